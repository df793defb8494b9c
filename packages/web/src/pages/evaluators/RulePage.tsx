import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { api, ApiError } from '../../api.js';
import { FormError } from '../../annotate/FormError.js';
import { usePromptRights } from '../../prompts/use-prompt-role.js';
import { useFetch } from '../../use-fetch.js';
import type { EvaluationRuleBody, EvaluationRuleView, EvaluationTarget, EvaluatorsPageResponse, MappingSource, RuleFilter, VariableMapping } from '../../types.js';
import { RULE_EXTENSIONS } from './rule-extensions.js';

const LIST_OPERATORS = ['any of', 'none of', 'all of'];
const OPERATORS = ['=', '!=', 'contains', 'does not contain', 'starts with', 'any of', 'none of', 'all of', '>', '<', '>=', '<=', 'is null', 'is not null'];

/** The sources a variable may read for a target (as the server's rule-mapping.ts checks them). */
function sourcesFor(target: EvaluationTarget, object: VariableMapping['object']): MappingSource[] {
  if (target === 'experiment') return ['input', 'output', 'metadata', 'tool_calls', 'expected_output', 'experiment_item_metadata'];
  if (target === 'trace' && object === 'trace') return ['input', 'output', 'metadata'];
  return ['input', 'output', 'metadata', 'tool_calls'];
}

const emptyRule = (evaluatorName: string): EvaluationRuleBody => ({ name: '', evaluatorName, target: 'trace', filter: [], mapping: [], sampling: 1, delayMs: 30_000, enabled: true });

/** The mapping for `variables`: kept where the variable already has one, else the template's suggestion or the output. */
function mappingFor(variables: string[], current: VariableMapping[], suggested: Record<string, MappingSource>, target: EvaluationTarget): VariableMapping[] {
  return variables.map((variable) => {
    const kept = current.find((m) => m.variable === variable);
    if (kept) return kept;
    const source = suggested[variable] && sourcesFor(target, 'trace').includes(suggested[variable]) ? suggested[variable] : variable === 'input' ? 'input' : 'output';
    return { variable, source, object: 'trace', observationName: null, jsonPath: null };
  });
}

/**
 * One evaluation rule: what it targets, its filters, sampling, delay and variable mapping, and
 * whether it runs. `/p/:projectId/evaluators/rules/new` creates one; members edit, viewers read.
 * Saved rules render the RULE_EXTENSIONS (rule-extensions.ts) below the form.
 */
export function RulePage({ projectId, ruleId }: { projectId: string; ruleId: string }) {
  const { canWrite } = usePromptRights(projectId);
  const page = useFetch<EvaluatorsPageResponse>(`/projects/${projectId}/evaluators`);
  const [, navigate] = useLocation();
  const isNew = ruleId === 'new';
  const stored: EvaluationRuleView | undefined = page.data?.rules.find((r) => r.id === ruleId);
  const [body, setBody] = useState<EvaluationRuleBody | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!page.data || body) return;
    if (isNew) {
      const wanted = new URLSearchParams(globalThis.location.search).get('evaluator');
      setBody(emptyRule(page.data.evaluators.find((e) => e.latest.name === wanted)?.latest.name ?? page.data.evaluators[0]?.latest.name ?? ''));
    } else if (stored) {
      setBody({ name: stored.name, evaluatorName: stored.evaluatorName ?? '', target: stored.target, filter: stored.filter, mapping: stored.mapping, sampling: stored.sampling, delayMs: stored.delayMs, enabled: stored.enabled });
    }
  }, [page.data, stored, isNew, body]);

  const evaluator = page.data?.evaluators.find((e) => e.latest.name === body?.evaluatorName)?.latest;
  const suggested = page.data?.templates.find((t) => t.id === evaluator?.templateId)?.suggestedMapping ?? {};
  // Keep one mapping row per variable of the chosen evaluator.
  useEffect(() => {
    if (!body || !evaluator) return;
    const next = mappingFor(evaluator.variables, body.mapping, suggested, body.target);
    if (JSON.stringify(next) !== JSON.stringify(body.mapping)) setBody({ ...body, mapping: next });
  }, [body, evaluator, suggested]);

  if (page.error) return <section className="page"><p className="error">{page.error}</p></section>;
  if (!page.data || (!isNew && !stored && !page.loading)) {
    return <section className="page">{page.data ? <p className="empty">No such evaluation rule in this project.</p> : <p className="muted">Loading…</p>}</section>;
  }
  if (!body) return <section className="page"><p className="muted">Loading…</p></section>;

  const set = (patch: Partial<EvaluationRuleBody>) => {
    setSaved(false);
    setBody({ ...body, ...patch });
  };
  const setMapping = (i: number, patch: Partial<VariableMapping>) => set({ mapping: body.mapping.map((m, j) => (j === i ? { ...m, ...patch } : m)) });
  const setFilter = (i: number, patch: Partial<RuleFilter>) => set({ filter: body.filter.map((f, j) => (j === i ? { ...f, ...patch } : f)) });
  const columns = page.data.filterColumns[body.target];

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!body) return;
    setError(null);
    try {
      if (isNew) {
        const { rule } = await api.post<{ rule: { id: string } }>(`/projects/${projectId}/evaluation-rules`, body);
        navigate(`/p/${projectId}/evaluators/rules/${rule.id}`, { replace: true });
      } else {
        await api.put(`/projects/${projectId}/evaluation-rules/${ruleId}`, body);
        setSaved(true);
      }
      page.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }

  async function remove() {
    if (!globalThis.confirm(`Delete the rule ${body?.name}? Scores it wrote stay.`)) return;
    try {
      await api.del(`/projects/${projectId}/evaluation-rules/${ruleId}`);
      navigate(`/p/${projectId}/evaluators`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }

  const filterValue = (f: RuleFilter) => (Array.isArray(f.value) ? f.value.join(', ') : f.value === null || f.value === undefined ? '' : String(f.value));
  const parseValue = (operator: string, text: string): unknown =>
    LIST_OPERATORS.includes(operator) ? text.split(',').map((s) => s.trim()).filter(Boolean) : ['>', '<', '>=', '<='].includes(operator) && text !== '' && !Number.isNaN(Number(text)) ? Number(text) : text;

  return (
    <section className="page rule-page">
      <header className="page-head">
        <h1>{isNew ? 'New evaluation rule' : `Rule ${stored?.name ?? ''}`}</h1>
        <Link href={`/p/${projectId}/evaluators`}>All evaluators</Link>
      </header>
      {stored && (
        <p aria-label="Rule status">
          <span className={`chip rule-status-${stored.status}`}>{stored.status}</span>{' '}
          {stored.pausedMessage && <span className="error small">{stored.pausedMessage}</span>}
        </p>
      )}
      <form className="card rule-form" aria-label="Evaluation rule" onSubmit={(e) => void submit(e)}>
        <fieldset disabled={!canWrite}>
          <div className="inline-form">
            <input aria-label="Rule name" required placeholder="Rule name" value={body.name} onChange={(e) => set({ name: e.target.value })} />
            <label>
              Evaluator{' '}
              <select aria-label="Evaluator" value={body.evaluatorName} onChange={(e) => set({ evaluatorName: e.target.value, mapping: [] })}>
                {page.data.evaluators.map((e) => (
                  <option key={e.latest.name} value={e.latest.name}>
                    {e.latest.name} (v{e.latest.version})
                  </option>
                ))}
              </select>
            </label>
            <label>
              Target{' '}
              <select aria-label="Target" value={body.target} onChange={(e) => set({ target: e.target.value as EvaluationTarget, filter: [] })}>
                <option value="trace">Traces</option>
                <option value="observation">Observations</option>
                <option value="experiment">Experiment items</option>
              </select>
            </label>
          </div>
          <div className="inline-form">
            <label>
              Sampling (%){' '}
              <input aria-label="Sampling percent" type="number" min={0.1} max={100} step={0.1} value={Math.round(body.sampling * 1000) / 10} onChange={(e) => set({ sampling: Number(e.target.value) / 100 })} />
            </label>
            <label>
              Delay (seconds){' '}
              <input aria-label="Delay seconds" type="number" min={0} max={86_400} value={body.delayMs / 1000} onChange={(e) => set({ delayMs: Math.round(Number(e.target.value) * 1000) })} />
            </label>
            <label>
              <input type="checkbox" aria-label="Enabled" checked={body.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> Enabled
            </label>
          </div>
          <h3>Filters (all must match)</h3>
          {body.filter.map((f, i) => (
            <div key={i} className="inline-form filter-row">
              <select aria-label={`Filter ${i + 1} column`} value={f.column} onChange={(e) => setFilter(i, { column: e.target.value, key: e.target.value === 'metadata' ? (f.key ?? '') : null })}>
                {columns.map((c) => <option key={c} value={c}>{c}</option>)}
              </select>
              {f.column === 'metadata' && <input aria-label={`Filter ${i + 1} key`} placeholder="key" value={f.key ?? ''} onChange={(e) => setFilter(i, { key: e.target.value })} />}
              <select aria-label={`Filter ${i + 1} operator`} value={f.operator} onChange={(e) => setFilter(i, { operator: e.target.value, value: parseValue(e.target.value, filterValue(f)) })}>
                {OPERATORS.map((o) => <option key={o} value={o}>{o}</option>)}
              </select>
              {!f.operator.startsWith('is ') && (
                <input aria-label={`Filter ${i + 1} value`} placeholder={LIST_OPERATORS.includes(f.operator) ? 'a, b, c' : 'value'} value={filterValue(f)} onChange={(e) => setFilter(i, { value: parseValue(f.operator, e.target.value) })} />
              )}
              <button type="button" onClick={() => set({ filter: body.filter.filter((_, j) => j !== i) })}>Remove</button>
            </div>
          ))}
          <button type="button" onClick={() => set({ filter: [...body.filter, { column: columns[0], operator: LIST_OPERATORS[0], key: null, value: [] }] })}>Add filter</button>
          <h3>Variables</h3>
          {!evaluator && <p className="muted">Create an evaluator first.</p>}
          <table className="data" aria-label="Variable mapping">
            <thead>
              <tr><th>Variable</th>{body.target === 'trace' && <th>Read from</th>}<th>Source</th><th>JSONPath (optional)</th></tr>
            </thead>
            <tbody>
              {body.mapping.map((m, i) => (
                <tr key={m.variable}>
                  <td><code>{`{{${m.variable}}}`}</code></td>
                  {body.target === 'trace' && (
                    <td>
                      <select aria-label={`${m.variable} object`} value={m.object} onChange={(e) => setMapping(i, { object: e.target.value as VariableMapping['object'], observationName: e.target.value === 'observation' ? (m.observationName ?? '') : null })}>
                        <option value="trace">the trace</option>
                        <option value="observation">an observation named…</option>
                      </select>
                      {m.object === 'observation' && <input aria-label={`${m.variable} observation name`} placeholder="observation name" value={m.observationName ?? ''} onChange={(e) => setMapping(i, { observationName: e.target.value })} />}
                    </td>
                  )}
                  <td>
                    <select aria-label={`${m.variable} source`} value={m.source} onChange={(e) => setMapping(i, { source: e.target.value as MappingSource })}>
                      {sourcesFor(body.target, m.object).map((s) => <option key={s} value={s}>{s}</option>)}
                    </select>
                  </td>
                  <td>
                    <input aria-label={`${m.variable} JSONPath`} placeholder="$.messages[-1].content" value={m.jsonPath ?? ''} onChange={(e) => setMapping(i, { jsonPath: e.target.value || null })} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {canWrite && (
            <div className="inline-form">
              <button type="submit" className="primary" disabled={!evaluator}>{isNew ? 'Create rule' : 'Save rule'}</button>
              {!isNew && <button type="button" onClick={() => void remove()}>Delete rule</button>}
              {saved && <span className="muted small" role="status">Saved</span>}
            </div>
          )}
        </fieldset>
        <FormError error={error} />
      </form>
      {stored && RULE_EXTENSIONS.map((Extension, i) => <Extension key={i} projectId={projectId} rule={stored} canWrite={canWrite} />)}
    </section>
  );
}
