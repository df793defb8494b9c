import { useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { ApiError } from '../api.js';
import { formatCost, formatDuration, formatTokens } from '../format.js';
import { useSession } from '../session.js';
import type { LlmConnectionListResponse, PlaygroundRunDone, PromptVersionView } from '../types.js';
import { useFetch } from '../use-fetch.js';
import { configOf, draftFromPrompt, emptyDraft, numberOrNull, paramProblem, type Draft } from './draft.js';
import { LoadPrompt } from './LoadPrompt.js';
import { MessagesEditor } from './MessagesEditor.js';
import { RunError, streamRun } from './run-stream.js';
import { SavePrompt } from './SavePrompt.js';
import { fillVariables, findVariables } from './variables.js';

type RunState =
  | { status: 'idle' }
  | { status: 'running'; startedAt: number }
  | { status: 'done'; result: PlaygroundRunDone }
  | { status: 'failed'; message: string; traceId: string | null }
  | { status: 'cancelled' };

/**
 * The playground: a prompt (written here or loaded from prompt management) sent to one of the
 * project's LLM connections, the answer streamed as it is written, with tokens, cost and latency,
 * and a link to the trace that recorded the run. Members run; viewers read.
 */
export function PlaygroundPage({ projectId }: { projectId: string }) {
  const { session } = useSession();
  const role = session?.projects.find((p) => p.id === projectId)?.role;
  const canRun = role !== undefined && role !== 'viewer';
  const connections = useFetch<LlmConnectionListResponse>(`/projects/${projectId}/llm-connections`);
  const [connectionId, setConnectionId] = useState('');
  const [model, setModel] = useState('');
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [values, setValues] = useState<Record<string, string>>({});
  const [loaded, setLoaded] = useState<{ name: string; version: number; note: string | null } | null>(null);
  const [output, setOutput] = useState('');
  const [run, setRun] = useState<RunState>({ status: 'idle' });
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const list = connections.data?.data ?? [];
  const connection = list.find((c) => c.id === connectionId) ?? list[0];
  const models = connection?.models ?? [];
  const chosenModel = models.includes(model) ? model : (models[0] ?? '');
  const texts = draft.mode === 'text' ? [draft.text] : draft.messages.map((m) => m.content);
  const variables = findVariables(texts);
  const missing = variables.filter((v) => (values[v] ?? '') === '');

  function load(name: string, v: PromptVersionView) {
    const { draft: next, dropped, model: configModel } = draftFromPrompt(v);
    setDraft(next);
    if (configModel) setModel(configModel);
    setLoaded({ name, version: v.version, note: dropped > 0 ? `${dropped} placeholder message${dropped === 1 ? ' was' : 's were'} left out` : null });
  }

  async function start() {
    if (!connection) return;
    const problem = paramProblem(draft);
    if (problem) {
      setRun({ status: 'failed', message: problem, traceId: null });
      return;
    }
    const controller = new AbortController();
    abort.current = controller;
    setOutput('');
    setRun({ status: 'running', startedAt: Date.now() });
    const messages = draft.mode === 'text'
      ? [{ role: 'user' as const, content: fillVariables(draft.text, values) }]
      : draft.messages.map((m) => ({ role: m.role, content: fillVariables(m.content, values) }));
    try {
      const result = await streamRun(projectId, {
        connectionId: connection.id, model: chosenModel, messages,
        temperature: numberOrNull(draft.temperature), maxTokens: numberOrNull(draft.maxTokens), topP: numberOrNull(draft.topP),
        prompt: loaded ? { name: loaded.name, version: loaded.version } : null,
      }, controller.signal, (text) => setOutput((o) => o + text));
      setRun({ status: 'done', result });
    } catch (err) {
      if (controller.signal.aborted) setRun({ status: 'cancelled' });
      else if (err instanceof RunError) setRun({ status: 'failed', message: err.message, traceId: err.traceId });
      else setRun({ status: 'failed', message: err instanceof ApiError || err instanceof Error ? err.message : String(err), traceId: null });
    } finally {
      if (abort.current === controller) abort.current = null;
    }
  }

  const setParam = (key: 'temperature' | 'maxTokens' | 'topP') => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value });

  return (
    <section className="page playground">
      <header className="page-head">
        <h1>Playground</h1>
        <LoadPrompt projectId={projectId} onLoad={load} />
      </header>
      {connections.error && <p className="error">{connections.error}</p>}
      {connections.data && list.length === 0 && (
        <p className="card">
          No LLM connection in this project yet. An owner or admin adds one in <Link href={`/p/${projectId}/settings`}>Settings</Link>.
        </p>
      )}
      {loaded && (
        <p className="muted" data-testid="loaded-prompt">
          From prompt {loaded.name} v{loaded.version}
          {loaded.note ? ` (${loaded.note})` : ''}
        </p>
      )}
      <div className="pg-grid">
        <div className="card pg-input">
          <div className="inline-form">
            <label>
              Connection{' '}
              <select aria-label="Connection" value={connection?.id ?? ''} onChange={(e) => setConnectionId(e.target.value)}>
                {list.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.provider} ({c.adapter})
                  </option>
                ))}
              </select>
            </label>
            <label>
              Model{' '}
              <select aria-label="Model" value={chosenModel} onChange={(e) => setModel(e.target.value)}>
                {models.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </label>
            <div role="radiogroup" aria-label="Prompt type" className="inline-form">
              {(['chat', 'text'] as const).map((mode) => (
                <label key={mode}>
                  <input type="radio" name="pg-mode" checked={draft.mode === mode} onChange={() => setDraft({ ...draft, mode })} /> {mode}
                </label>
              ))}
            </div>
          </div>
          {draft.mode === 'text' ? (
            <textarea aria-label="Prompt text" className="pg-text" rows={8} value={draft.text} onChange={(e) => setDraft({ ...draft, text: e.target.value })} />
          ) : (
            <MessagesEditor messages={draft.messages} onChange={(messages) => setDraft({ ...draft, messages })} />
          )}
          {variables.length > 0 && (
            <fieldset className="pg-variables">
              <legend>Variables</legend>
              {variables.map((v) => (
                <label key={v}>
                  {v}
                  <textarea aria-label={`Variable ${v}`} rows={1} value={values[v] ?? ''} onChange={(e) => setValues({ ...values, [v]: e.target.value })} />
                </label>
              ))}
            </fieldset>
          )}
          <div className="inline-form pg-params">
            <label>
              Temperature <input aria-label="Temperature" inputMode="decimal" placeholder="default" value={draft.temperature} onChange={setParam('temperature')} />
            </label>
            <label>
              Max tokens <input aria-label="Max tokens" inputMode="numeric" placeholder="default" value={draft.maxTokens} onChange={setParam('maxTokens')} />
            </label>
            <label>
              Top p <input aria-label="Top p" inputMode="decimal" placeholder="default" value={draft.topP} onChange={setParam('topP')} />
            </label>
          </div>
          <div className="inline-form">
            {run.status === 'running' ? (
              <button type="button" className="danger" onClick={() => abort.current?.abort()}>
                Cancel
              </button>
            ) : (
              <button type="button" className="primary" disabled={!canRun || !connection || !chosenModel || missing.length > 0} onClick={() => void start()}>
                Run
              </button>
            )}
            {!canRun && <span className="muted">Viewers cannot run the playground.</span>}
            {canRun && missing.length > 0 && <span className="muted">Fill the variable{missing.length === 1 ? '' : 's'}: {missing.join(', ')}</span>}
          </div>
          {canRun && (
            <SavePrompt
              projectId={projectId}
              defaultName={loaded?.name ?? ''}
              body={() => ({
                type: draft.mode,
                prompt: draft.mode === 'text' ? draft.text : draft.messages.map((m) => ({ role: m.role, content: m.content })),
                config: configOf(draft, chosenModel),
              })}
            />
          )}
        </div>
        <div className="card pg-output" aria-label="Output">
          <h2>Output</h2>
          <pre className="pg-answer" data-testid="playground-output" aria-busy={run.status === 'running'}>
            {output}
          </pre>
          <RunSummary run={run} projectId={projectId} />
        </div>
      </div>
    </section>
  );
}

function RunSummary({ run, projectId }: { run: RunState; projectId: string }) {
  const traceLink = (traceId: string) => (
    <Link href={`/p/${projectId}/traces/${encodeURIComponent(traceId)}`} data-testid="playground-trace-link">
      View trace
    </Link>
  );
  if (run.status === 'running') return <p className="muted">Streaming…</p>;
  if (run.status === 'cancelled') return <p className="muted">Cancelled.</p>;
  if (run.status === 'failed') {
    return (
      <p className="error" role="alert">
        {run.message} {run.traceId && traceLink(run.traceId)}
      </p>
    );
  }
  if (run.status !== 'done') return null;
  const { usage, cost, latency, traceId } = run.result;
  return (
    <dl className="pg-stats" data-testid="playground-stats">
      <dt>Input tokens</dt>
      <dd data-testid="input-tokens">{usage ? formatTokens(usage.input) : 'unknown'}</dd>
      <dt>Output tokens</dt>
      <dd data-testid="output-tokens">{usage ? formatTokens(usage.output) : 'unknown'}</dd>
      <dt>Cost</dt>
      <dd data-testid="cost">{cost === null ? 'unknown' : formatCost(cost)}</dd>
      <dt>First token</dt>
      <dd>{formatDuration(latency.firstTokenMs)}</dd>
      <dt>Total</dt>
      <dd>{formatDuration(latency.totalMs)}</dd>
      <dt>Trace</dt>
      <dd>{traceLink(traceId)}</dd>
    </dl>
  );
}
