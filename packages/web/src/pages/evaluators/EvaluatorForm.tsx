import { useMemo, useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api.js';
import { FormError } from '../../annotate/FormError.js';
import type { EvaluatorBody, EvaluatorRecord, EvaluatorTemplate, LlmConnectionOption, ScoreConfigListResponse } from '../../types.js';
import { useFetch } from '../../use-fetch.js';
import { promptVariables } from './prompt-variables.js';

type DataType = EvaluatorBody['output']['dataType'];

/** Where a form starts: an existing evaluator (a new version of it), a template, or nothing. */
export type EvaluatorStart = { kind: 'version'; evaluator: EvaluatorRecord } | { kind: 'template'; template: EvaluatorTemplate } | { kind: 'scratch' };

function initial(start: EvaluatorStart): EvaluatorBody {
  if (start.kind === 'version') {
    const e = start.evaluator;
    return { name: e.name, description: e.description, prompt: e.prompt, provider: e.provider, model: e.model, modelParams: e.modelParams, output: e.output, scoreName: e.scoreName, scoreConfigId: e.scoreConfigId, templateId: e.templateId };
  }
  if (start.kind === 'template') {
    const t = start.template;
    return { name: t.id, description: t.description, prompt: t.prompt, provider: null, model: null, modelParams: { temperature: 0 }, output: t.output, scoreName: t.scoreName, scoreConfigId: null, templateId: t.id };
  }
  return {
    name: '', description: null, prompt: '', provider: null, model: null, modelParams: { temperature: 0 }, scoreConfigId: null, templateId: null, scoreName: '',
    output: { dataType: 'NUMERIC', scoreDescription: '0 to 1', reasoningDescription: 'One or two sentences explaining the score.', categories: null, minValue: 0, maxValue: 1 },
  };
}

/**
 * Creates an evaluator (from a template or from scratch) or, for an existing one, its next
 * version: rules move to the new version. The judge model is picked from the project's connections.
 */
export function EvaluatorForm({ projectId, start, connections, onSaved, onCancel }: {
  projectId: string;
  start: EvaluatorStart;
  connections: LlmConnectionOption[];
  onSaved(): void;
  onCancel(): void;
}) {
  const [body, setBody] = useState<EvaluatorBody>(() => initial(start));
  const [categories, setCategories] = useState((body.output.categories ?? []).join(', '));
  const [error, setError] = useState<string | null>(null);
  const variables = useMemo(() => promptVariables(body.prompt), [body.prompt]);
  const connection = connections.find((c) => c.provider === body.provider);
  const configs = useFetch<ScoreConfigListResponse>(`/projects/${projectId}/score-configs`);
  const matchingConfigs = (configs.data?.data ?? []).filter((c) => !c.isArchived && c.dataType === body.output.dataType);
  const set = (patch: Partial<EvaluatorBody>) => setBody((b) => ({ ...b, ...patch }));
  const setOutput = (patch: Partial<EvaluatorBody['output']>) => setBody((b) => ({ ...b, output: { ...b.output, ...patch } }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const cats = categories.split(',').map((s) => s.trim()).filter(Boolean);
    const output = { ...body.output, categories: body.output.dataType === 'CATEGORICAL' ? cats : null };
    try {
      await api.post(`/projects/${projectId}/evaluators`, { ...body, name: body.name.trim(), scoreName: body.scoreName.trim() || body.name.trim(), output });
      onSaved();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }

  const editing = start.kind === 'version';
  return (
    <form className="card evaluator-form prompt-editor" aria-label="Evaluator" onSubmit={(e) => void submit(e)}>
      <h2>{editing ? `New version of ${body.name}` : start.kind === 'template' ? `New evaluator from the ${start.template.name} template` : 'New evaluator'}</h2>
      <div className="inline-form">
        <input aria-label="Evaluator name" required placeholder="Name" value={body.name} readOnly={editing} onChange={(e) => set({ name: e.target.value })} />
        <input aria-label="Score name" placeholder="Score name (default: the evaluator's)" value={body.scoreName} onChange={(e) => set({ scoreName: e.target.value })} />
      </div>
      <input aria-label="Description" placeholder="Description (optional)" value={body.description ?? ''} onChange={(e) => set({ description: e.target.value || null })} />
      <label>
        Judge prompt
        <textarea aria-label="Judge prompt" required rows={12} value={body.prompt} onChange={(e) => set({ prompt: e.target.value })} />
      </label>
      <p className="small" aria-label="Detected variables">
        Variables:{' '}
        {variables.length === 0 ? <span className="muted">none yet; write {'{{input}}'}, {'{{output}}'}…</span> : variables.map((v) => <span key={v} className="chip">{v}</span>)}
      </p>
      <div className="inline-form">
        <label>
          Connection{' '}
          <select aria-label="Connection" value={body.provider ?? ''} onChange={(e) => set({ provider: e.target.value || null, model: e.target.value ? (connections.find((c) => c.provider === e.target.value)?.customModels[0] ?? '') : null })}>
            <option value="">Project default (first connection)</option>
            {connections.map((c) => (
              <option key={c.provider} value={c.provider}>
                {c.provider} ({c.adapter})
              </option>
            ))}
          </select>
        </label>
        {body.provider !== null && (
          <>
            <input aria-label="Model" list="evaluator-models" required placeholder="Model" value={body.model ?? ''} onChange={(e) => set({ model: e.target.value })} />
            <datalist id="evaluator-models">{connection?.customModels.map((m) => <option key={m} value={m} />)}</datalist>
          </>
        )}
        <label>
          Temperature{' '}
          <input aria-label="Temperature" type="number" min={0} max={2} step={0.1} value={Number(body.modelParams.temperature ?? 0)} onChange={(e) => set({ modelParams: { ...body.modelParams, temperature: Number(e.target.value) } })} />
        </label>
      </div>
      {connections.length === 0 && <p className="muted small">The project has no LLM connection yet: add one in Settings → LLM connections (or PUT /api/public/llm-connections) before saving.</p>}
      <fieldset>
        <legend>Output: a score and its reasoning</legend>
        <div className="inline-form">
          <select aria-label="Score type" value={body.output.dataType} onChange={(e) => { setOutput({ dataType: e.target.value as DataType }); set({ scoreConfigId: null }); }}>
            <option value="NUMERIC">Numeric</option>
            <option value="BOOLEAN">Boolean</option>
            <option value="CATEGORICAL">Categorical</option>
          </select>
          {body.output.dataType === 'NUMERIC' && (
            <>
              <input aria-label="Minimum" type="number" placeholder="min" value={body.output.minValue ?? ''} onChange={(e) => setOutput({ minValue: e.target.value === '' ? null : Number(e.target.value) })} />
              <input aria-label="Maximum" type="number" placeholder="max" value={body.output.maxValue ?? ''} onChange={(e) => setOutput({ maxValue: e.target.value === '' ? null : Number(e.target.value) })} />
            </>
          )}
          {body.output.dataType === 'CATEGORICAL' && <input aria-label="Categories" placeholder="Categories, comma separated" value={categories} onChange={(e) => setCategories(e.target.value)} />}
          <label>
            Score config{' '}
            <select aria-label="Score config" value={body.scoreConfigId ?? ''} onChange={(e) => set({ scoreConfigId: e.target.value || null })}>
              <option value="">None</option>
              {matchingConfigs.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <input aria-label="Score instructions" required placeholder="What the score means" value={body.output.scoreDescription} onChange={(e) => setOutput({ scoreDescription: e.target.value })} />
        <input aria-label="Reasoning instructions" required placeholder="What the reasoning should say" value={body.output.reasoningDescription} onChange={(e) => setOutput({ reasoningDescription: e.target.value })} />
      </fieldset>
      <div className="inline-form">
        <button type="submit" className="primary">
          {editing ? 'Save new version' : 'Create evaluator'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <FormError error={error} />
    </form>
  );
}
