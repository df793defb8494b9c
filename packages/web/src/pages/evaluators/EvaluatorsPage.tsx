import { useState } from 'react';
import { Link } from 'wouter';
import { api, ApiError } from '../../api.js';
import { FormError } from '../../annotate/FormError.js';
import { formatTime } from '../../format.js';
import { usePromptRights } from '../../prompts/use-prompt-role.js';
import { useFetch } from '../../use-fetch.js';
import type { EvaluatorsPageResponse } from '../../types.js';
import { EvaluatorForm, type EvaluatorStart } from './EvaluatorForm.js';

const TARGETS = { trace: 'Traces', observation: 'Observations', experiment: 'Experiment items' } as const;

/** LLM-as-a-judge evaluators (latest version, versions, rules using them) and the rules running them; members create and edit. */
export function EvaluatorsPage({ projectId }: { projectId: string }) {
  const { canWrite } = usePromptRights(projectId);
  const page = useFetch<EvaluatorsPageResponse>(`/projects/${projectId}/evaluators`);
  const [start, setStart] = useState<EvaluatorStart | null>(null);
  const [error, setError] = useState<string | null>(null);
  const data = page.data;

  async function remove(name: string) {
    if (!globalThis.confirm(`Delete the evaluator ${name}, all its versions and the rules using it? Scores it wrote stay.`)) return;
    setError(null);
    try {
      await api.del(`/projects/${projectId}/evaluators/${encodeURIComponent(name)}`);
      page.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }

  return (
    <section className="page evaluators-page">
      <header className="page-head">
        <h1>Evaluators</h1>
      </header>
      {page.error && <p className="error">{page.error}</p>}
      <FormError error={error} />
      <div className="table-wrap">
        <table className="data" aria-label="Evaluators">
          <thead>
            <tr><th>Evaluator</th><th>Version</th><th>Versions</th><th>Score</th><th>Model</th><th>Rules</th><th>Updated</th>{canWrite && <th />}</tr>
          </thead>
          <tbody>
            {data?.evaluators.map(({ latest, versionCount, ruleCount }) => (
              <tr key={latest.name} data-evaluator={latest.name}>
                <td>
                  <strong>{latest.name}</strong>
                  {latest.description && <div className="muted small">{latest.description}</div>}
                </td>
                <td className="num">v{latest.version}</td>
                <td className="num">{versionCount}</td>
                <td>{latest.scoreName} <span className="chip">{latest.output.dataType}</span></td>
                <td>{latest.provider ? `${latest.provider} / ${latest.model ?? ''}` : <span className="muted">project default</span>}</td>
                <td className="num">{ruleCount}</td>
                <td className="nowrap">{formatTime(latest.createdAt)}</td>
                {canWrite && (
                  <td className="nowrap">
                    <button type="button" onClick={() => setStart({ kind: 'version', evaluator: latest })}>Edit</button>{' '}
                    <Link href={`/p/${projectId}/evaluators/rules/new?evaluator=${encodeURIComponent(latest.name)}`}>Add rule</Link>{' '}
                    <button type="button" onClick={() => void remove(latest.name)}>Delete</button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {data && data.evaluators.length === 0 && <p className="empty">No evaluators yet.{canWrite && ' Start from a template below.'}</p>}
      </div>
      {canWrite && data && !start && (
        <div className="card" aria-label="New evaluator">
          <h2>New evaluator</h2>
          <div className="inline-form">
            {data.templates.map((t) => (
              <button key={t.id} type="button" title={t.description} onClick={() => setStart({ kind: 'template', template: t })}>
                From template: {t.name}
              </button>
            ))}
            <button type="button" onClick={() => setStart({ kind: 'scratch' })}>From scratch</button>
          </div>
        </div>
      )}
      {start && data && (
        <EvaluatorForm
          key={start.kind === 'version' ? start.evaluator.id : start.kind === 'template' ? start.template.id : 'scratch'}
          projectId={projectId}
          start={start}
          connections={data.connections}
          onCancel={() => setStart(null)}
          onSaved={() => {
            setStart(null);
            page.reload();
          }}
        />
      )}
      <h2>Evaluation rules</h2>
      <div className="table-wrap">
        <table className="data" aria-label="Evaluation rules">
          <thead>
            <tr><th>Rule</th><th>Evaluator</th><th>Target</th><th>Sampling</th><th>Delay</th><th>Status</th></tr>
          </thead>
          <tbody>
            {data?.rules.map((r) => (
              <tr key={r.id} data-rule-id={r.id}>
                <td><Link href={`/p/${projectId}/evaluators/rules/${r.id}`}>{r.name}</Link></td>
                <td>{r.evaluatorName ? `${r.evaluatorName} (v${r.evaluatorVersion ?? '?'})` : <span className="muted">deleted</span>}</td>
                <td>{TARGETS[r.target]}</td>
                <td className="num">{Math.round(r.sampling * 1000) / 10}%</td>
                <td className="num">{r.delayMs / 1000}s</td>
                <td>
                  <span className={`chip rule-status-${r.status}`}>{r.status}</span>
                  {r.pausedMessage && <div className="error small">{r.pausedMessage}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {data && data.rules.length === 0 && <p className="empty">No rules yet: a rule runs an evaluator on a sample of new traces, observations or experiment items.</p>}
      </div>
      {canWrite && data && data.evaluators.length > 0 && <Link href={`/p/${projectId}/evaluators/rules/new`}>New rule</Link>}
    </section>
  );
}
