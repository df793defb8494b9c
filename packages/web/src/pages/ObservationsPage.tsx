import { useMemo, useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import { query } from '../api.js';
import { ObservationFilters } from '../components/ObservationFilters.js';
import { ScoreChips } from '../components/ScoreChips.js';
import { SortHeader } from '../components/SortHeader.js';
import { TypeIcon } from '../components/TypeIcon.js';
import { formatCost, formatDuration, formatTime, formatTokens } from '../format.js';
import { promptHref } from '../prompts/prompt-links.js';
import { useFetch } from '../use-fetch.js';
import { useUrlState } from '../url-state.js';
import type { ObservationTableResponse, ObservationTableRowView as Row } from '../types.js';
import { RANGES } from './TracesPage.js';

interface Column {
  key: string;
  label: string;
  /** The server's sort field, when the column sorts. */
  sort?: string;
  num?: boolean;
  cell(r: Row, projectId: string): ReactNode;
}

const seconds = (v: string | null) => (v ? String(Number(v) * 1000) : undefined);

const COLUMNS: Column[] = [
  { key: 'time', label: 'Start time', sort: 'startTime', cell: (r) => formatTime(r.startTime) },
  { key: 'type', label: 'Type', cell: (r) => <TypeIcon type={r.type} /> },
  { key: 'name', label: 'Name', sort: 'name', cell: (r) => r.name ?? <span className="muted">(unnamed)</span> },
  {
    key: 'trace', label: 'Trace',
    cell: (r, p) => (r.traceId ? <Link href={`/p/${p}/traces/${encodeURIComponent(r.traceId)}?observation=${encodeURIComponent(r.id)}`}>{r.traceName ?? r.traceId}</Link> : ''),
  },
  { key: 'model', label: 'Model', sort: 'model', cell: (r) => r.model ?? '' },
  { key: 'latency', label: 'Latency', sort: 'latency', num: true, cell: (r) => formatDuration(r.latencyMs) },
  { key: 'ttft', label: 'Time to first token', sort: 'timeToFirstToken', num: true, cell: (r) => formatDuration(r.timeToFirstTokenMs) },
  {
    key: 'tokens', label: 'Tokens', sort: 'tokens', num: true,
    cell: (r) => <span title={r.inputTokens !== null || r.outputTokens !== null ? `${r.inputTokens ?? '–'} in, ${r.outputTokens ?? '–'} out` : undefined}>{formatTokens(r.totalTokens)}</span>,
  },
  { key: 'cost', label: 'Cost', sort: 'cost', num: true, cell: (r) => formatCost(r.totalCost) },
  { key: 'level', label: 'Level', sort: 'level', cell: (r) => <span className={`level level-${r.level.toLowerCase()}`}>{r.level}</span> },
  {
    key: 'prompt', label: 'Prompt',
    cell: (r, p) =>
      r.promptName === null ? '' : r.promptId ? (
        <Link href={promptHref(p, r.promptName, { version: r.promptVersion ?? undefined })}>{`${r.promptName} v${r.promptVersion}`}</Link>
      ) : (
        <span title="No stored version">{`${r.promptName} v${r.promptVersion ?? '?'}`}</span>
      ),
  },
  { key: 'scores', label: 'Scores', cell: (r) => <ScoreChips scores={r.scores} /> },
];
const DEFAULT_COLUMNS = COLUMNS.map((c) => c.key);

/**
 * Observations across traces. The whole view — filters, sort, visible columns and page — is in
 * the URL, so it can be bookmarked and shared.
 */
export function ObservationsPage({ projectId }: { projectId: string }) {
  const [params, set] = useUrlState();
  const [now] = useState(() => Date.now());
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const sort = params.get('sort') ?? 'startTime.desc';
  const cols = params.get('cols')?.split(',').filter((c) => DEFAULT_COLUMNS.includes(c)) ?? DEFAULT_COLUMNS;
  const path = useMemo(() => {
    const span = RANGES[params.get('range') ?? '7d'] ?? RANGES['7d'];
    return `/projects/${projectId}/observations${query({
      from: span === null ? undefined : now - span,
      type: params.get('type'),
      level: params.get('level'),
      model: (params.get('model') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
      name: params.get('name'),
      prompt: params.get('prompt'),
      minLatency: seconds(params.get('minLatency')),
      minTtft: seconds(params.get('minTtft')),
      minTokens: params.get('minTokens'),
      minCost: params.get('minCost'),
      score: params.get('score'),
      minScore: params.get('minScore'),
      sort,
      page,
      limit: 50,
    })}`;
  }, [projectId, params, sort, page, now]);
  const { data, error, loading } = useFetch<ObservationTableResponse>(path);
  const shown = COLUMNS.filter((c) => cols.includes(c.key));
  const toggle = (key: string) => {
    const next = DEFAULT_COLUMNS.filter((k) => (k === key ? !cols.includes(k) : cols.includes(k)));
    set({ cols: next.length === DEFAULT_COLUMNS.length ? null : next.join(',') || 'time' }, true);
  };
  const rows = error ? [] : (data?.data ?? []);

  return (
    <section className="page">
      <header className="page-head">
        <h1>Observations</h1>
        <details className="column-chooser">
          <summary>Columns</summary>
          <fieldset aria-label="Columns">
            {COLUMNS.map((c) => (
              <label key={c.key}>
                <input type="checkbox" name={`col-${c.key}`} checked={cols.includes(c.key)} onChange={() => toggle(c.key)} /> {c.label}
              </label>
            ))}
          </fieldset>
        </details>
      </header>
      <ObservationFilters params={params} set={(c) => set({ ...c, page: null })} />
      {error && (
        <p className="error" role="alert">
          Could not load observations: {error}
        </p>
      )}
      <div className="table-wrap">
        <table className="data observations" aria-label="Observations">
          <thead>
            <tr>
              {shown.map((c) =>
                c.key === 'scores' && params.get('score') ? (
                  // With a score name filtered on, its values sort the table.
                  <SortHeader key={c.key} label={`Scores (${params.get('score')})`} field={`score:${params.get('score')}`} sort={sort} onSort={(s) => set({ sort: s, page: null })} />
                ) : c.sort ? (
                  <SortHeader key={c.key} label={c.label} field={c.sort} sort={sort} onSort={(s) => set({ sort: s, page: null })} className={c.num ? 'num' : undefined} />
                ) : (
                  <th key={c.key}>{c.label}</th>
                ),
              )}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-observation-id={r.id}>
                {shown.map((c) => (
                  <td key={c.key} className={c.num ? 'num' : c.key === 'time' ? 'nowrap' : undefined}>
                    {c.cell(r, projectId)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {loading && !data && <p className="muted">Loading…</p>}
        {!error && data && rows.length === 0 && <p className="empty">No observations match. Widen the time range or clear filters.</p>}
      </div>
      <div className="pager">
        <button type="button" disabled={page <= 1} onClick={() => set({ page: page > 2 ? String(page - 1) : null })}>
          ← Previous
        </button>
        <span className="muted">Page {page}</span>
        <button type="button" disabled={!data?.hasMore} onClick={() => set({ page: String(page + 1) })}>
          Next →
        </button>
      </div>
    </section>
  );
}
