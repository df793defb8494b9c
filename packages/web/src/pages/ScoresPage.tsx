import { useMemo, useState } from 'react';
import { Link } from 'wouter';
import { query } from '../api.js';
import { Distribution } from '../annotate/Distribution.js';
import { formatScore, formatTime } from '../format.js';
import { useFetch } from '../use-fetch.js';
import { useUrlState } from '../url-state.js';
import type { ScoreDistributionsResponse, ScorePageResponse, ScoreRow } from '../types.js';
import { RANGES } from './TracesPage.js';
import { FormError } from '../annotate/FormError.js';

const SOURCES = ['API', 'EVAL', 'ANNOTATION'];
const TYPES = ['NUMERIC', 'CATEGORICAL', 'BOOLEAN', 'TEXT', 'CORRECTION'];
const SORTABLE: [string, string][] = [
  ['Time', 'timestamp'],
  ['Name', 'name'],
  ['Value', 'value'],
];

function Target({ projectId, s }: { projectId: string; s: ScoreRow }) {
  const p = `/p/${projectId}`;
  if (s.traceId) {
    const obs = s.observationId ? `?observation=${encodeURIComponent(s.observationId)}` : '';
    return <Link href={`${p}/traces/${encodeURIComponent(s.traceId)}${obs}`}>{s.observationId ? `observation ${s.observationId}` : `trace ${s.traceId}`}</Link>;
  }
  if (s.sessionId) return <Link href={`${p}/sessions/${encodeURIComponent(s.sessionId)}`}>session {s.sessionId}</Link>;
  return <span className="muted">{s.datasetRunId ? `run ${s.datasetRunId}` : '–'}</span>;
}

function Choice({ label, value, options, onChange }: { label: string; value: string | null; options: string[]; onChange(v: string): void }) {
  return (
    <label>
      {label}
      <select aria-label={label} value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    </label>
  );
}

/** All scores of the project: filters, sort and keyset pages in the URL; distributions per score name over the time range. */
export function ScoresPage({ projectId }: { projectId: string }) {
  const [params, set] = useUrlState();
  const [now] = useState(() => Date.now());
  const range = params.get('range') ?? '7d';
  const span = RANGES[range] ?? RANGES['7d'];
  const sort = params.get('sort') ?? 'timestamp.desc';
  const [sortField, sortDir] = sort.split('.');
  const cursor = params.get('cursor');
  const filters = useMemo(
    () => ({
      name: params.get('name'),
      source: params.get('source'),
      dataType: params.get('dataType'),
      from: span === null ? undefined : now - span,
    }),
    [params, span, now],
  );
  const list = useFetch<ScorePageResponse>(`/projects/${projectId}/scores${query({ ...filters, min: params.get('min'), max: params.get('max'), sort, cursor, limit: 50 })}`);
  const dist = useFetch<ScoreDistributionsResponse>(`/projects/${projectId}/scores/distributions${query(filters)}`);
  const names = useMemo(() => [...new Set((dist.data?.data ?? []).map((d) => d.name))], [dist.data]);
  const change = (c: Record<string, string | null>) => set({ ...c, cursor: null });

  return (
    <section className="page">
      <header className="page-head">
        <h1>Scores</h1>
      </header>
      <div className="filters" role="search" aria-label="Score filters">
        <label>
          Time
          <select aria-label="Time range" value={range} onChange={(e) => change({ range: e.target.value })}>
            {Object.keys(RANGES).map((r) => (
              <option key={r} value={r}>
                {r === 'all' ? 'All time' : `Last ${r}`}
              </option>
            ))}
          </select>
        </label>
        <Choice label="Score name" value={params.get('name')} options={[...new Set([...names, ...(params.get('name') ? [params.get('name') as string] : [])])]} onChange={(v) => change({ name: v })} />
        <Choice label="Source" value={params.get('source')} options={SOURCES} onChange={(v) => change({ source: v })} />
        <Choice label="Data type" value={params.get('dataType')} options={TYPES} onChange={(v) => change({ dataType: v })} />
        <label>
          Value ≥
          <input aria-label="Minimum value" type="number" step="any" defaultValue={params.get('min') ?? ''} onBlur={(e) => change({ min: e.target.value })} onKeyDown={(e) => e.key === 'Enter' && change({ min: e.currentTarget.value })} />
        </label>
        <label>
          Value ≤
          <input aria-label="Maximum value" type="number" step="any" defaultValue={params.get('max') ?? ''} onBlur={(e) => change({ max: e.target.value })} onKeyDown={(e) => e.key === 'Enter' && change({ max: e.currentTarget.value })} />
        </label>
      </div>
      {dist.data && dist.data.data.length > 0 && (
        <div className="distributions" aria-label="Distributions">
          {dist.data.data.map((d) => (
            <Distribution key={`${d.name}-${d.dataType}`} d={d} />
          ))}
        </div>
      )}
      <FormError error={list.error} />
      <div className="table-wrap">
        <table className="data" aria-label="Scores">
          <thead>
            <tr>
              {['Time', 'Name', 'Value', 'Source', 'Data type', 'Target', 'Author', 'Comment'].map((c) => {
                const field = SORTABLE.find(([label]) => label === c)?.[1];
                if (!field) return <th key={c}>{c}</th>;
                const on = sortField === field;
                const next = on && sortDir === 'desc' ? 'asc' : 'desc';
                return (
                  <th key={c} aria-sort={on ? (sortDir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                    <button type="button" className="sort" onClick={() => change({ sort: `${field}.${next}` })}>
                      {c} {on ? (sortDir === 'asc' ? '▲' : '▼') : ''}
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {list.data?.data.map((s) => (
              <tr key={s.id} data-score-id={s.id}>
                <td className="nowrap">{formatTime(s.timestamp)}</td>
                <td>{s.name}</td>
                <td className="num">{formatScore(s)}</td>
                <td>{s.source}</td>
                <td>{s.dataType}</td>
                <td className="ellipsis">
                  <Target projectId={projectId} s={s} />
                </td>
                <td>{s.author ?? ''}</td>
                <td className="ellipsis">{s.comment ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.data && list.data.data.length === 0 && <p className="empty">No scores match. Widen the time range or clear filters.</p>}
      </div>
      <div className="pager">
        <button type="button" disabled={!cursor} onClick={() => set({ cursor: null })}>
          First page
        </button>
        <button type="button" disabled={!list.data?.nextCursor} onClick={() => set({ cursor: list.data?.nextCursor })}>
          Next page →
        </button>
      </div>
    </section>
  );
}
