import { Link } from 'wouter';
import { query } from '../api.js';
import { formatCost, formatDuration, formatTime, formatTokens } from '../format.js';
import { useFetch } from '../use-fetch.js';
import type { PromptGenerationsResponse, PromptMetricsResponse } from '../types.js';

const average = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/**
 * Per-version use of a prompt by generations, and the latest generations of one version linked
 * to their traces. A server without these routes (or an error) shows "no metrics", never breaks the page.
 */
export function PromptMetrics({ projectId, name, version }: { projectId: string; name: string; version: number }) {
  const metrics = useFetch<PromptMetricsResponse>(`/projects/${projectId}/prompt-metrics${query({ name })}`);
  const rows = metrics.data?.versions ?? [];
  const scoreNames = [...new Set(rows.flatMap((r) => r.scores.map((s) => s.name)))].sort();
  return (
    <div className="prompt-metrics">
      <h3>Metrics per version</h3>
      {metrics.error || (metrics.data && rows.length === 0) ? (
        <p className="muted">No metrics for this prompt yet: generations linked to it (promptName and promptVersion) appear here.</p>
      ) : !metrics.data ? (
        <p className="muted">Loading…</p>
      ) : (
        <div className="table-wrap">
          <table className="data" aria-label="Prompt metrics">
            <thead>
              <tr>
                <th>Version</th>
                <th>Generations</th>
                <th>Latency p50</th>
                <th>Latency p95</th>
                <th>Tokens in / out</th>
                <th>Cost</th>
                {scoreNames.map((s) => (
                  <th key={s}>{s}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.version} className={r.version === version ? 'selected' : ''}>
                  <td>v{r.version}</td>
                  <td className="num">{r.generations.toLocaleString()}</td>
                  <td className="num">{formatDuration(r.latencyP50Ms)}</td>
                  <td className="num">{formatDuration(r.latencyP95Ms)}</td>
                  <td className="num">
                    {formatTokens(r.inputTokens)} / {formatTokens(r.outputTokens)}
                  </td>
                  <td className="num">{formatCost(r.totalCost)}</td>
                  {scoreNames.map((s) => {
                    const score = r.scores.find((x) => x.name === s);
                    return (
                      <td key={s} className="num" title={score ? `${score.count} scores` : undefined}>
                        {score ? average(score.average) : '–'}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Generations projectId={projectId} name={name} version={version} />
    </div>
  );
}

function Generations({ projectId, name, version }: { projectId: string; name: string; version: number }) {
  const { data, error } = useFetch<PromptGenerationsResponse>(`/projects/${projectId}/prompt-generations${query({ name, version, page: 1, limit: 20 })}`);
  return (
    <section>
      <h3>Recent generations of v{version}</h3>
      {error || (data && data.data.length === 0) ? (
        <p className="muted">No generations of this version yet.</p>
      ) : !data ? (
        <p className="muted">Loading…</p>
      ) : (
        <ul className="generation-list" aria-label="Generations">
          {data.data.map((g) => (
            <li key={g.observationId}>
              {g.traceId === null ? (
                // A generation sent without a trace id has no trace page to link to.
                <span>{g.name ?? g.observationId}</span>
              ) : (
                <Link href={`/p/${projectId}/traces/${encodeURIComponent(g.traceId)}${query({ observation: g.observationId })}`}>{g.name ?? g.observationId}</Link>
              )}
              <span className="muted small">
                {' '}
                {formatTime(g.startTime)} · {g.model ?? 'no model'} · {formatDuration(g.latencyMs)} · {formatCost(g.totalCost)}
              </span>
            </li>
          ))}
          {data.totalItems > data.data.length && <li className="muted small">…and {(data.totalItems - data.data.length).toLocaleString()} more</li>}
        </ul>
      )}
    </section>
  );
}
