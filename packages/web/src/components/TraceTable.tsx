import type { KeyboardEvent } from 'react';
import { useLocation } from 'wouter';
import { formatCost, formatDuration, formatTime, formatTokens } from '../format.js';
import type { TraceRow } from '../types.js';
import { ScoreChips } from './ScoreChips.js';
import { CommentBadge } from '../annotate/comment-counts.js';

const SORTABLE: Record<string, string> = { Time: 'timestamp', Name: 'name', User: 'userId', Session: 'sessionId' };
const COLUMNS = ['Time', 'Name', 'User', 'Session', 'Latency', 'Tokens', 'Cost', 'Scores', 'Tags'];

interface Props {
  projectId: string;
  rows: TraceRow[];
  loading: boolean;
  sort: string;
  onSort(sort: string): void;
  /** With `onSelect`: a checkbox per row (bulk actions). */
  selected?: ReadonlySet<string>;
  onSelect?(ids: string[], on: boolean): void;
  commentCounts?: Record<string, number>;
}

/** The trace list. Rows are focusable: ↑/↓ move, Enter opens. */
export function TraceTable({ projectId, rows, loading, sort, onSort, selected, onSelect, commentCounts }: Props) {
  const [, navigate] = useLocation();
  const [sortField, sortDir] = sort.split('.');
  const open = (id: string) => navigate(`/p/${projectId}/traces/${encodeURIComponent(id)}`);

  function onKey(e: KeyboardEvent<HTMLTableRowElement>, id: string) {
    const row = e.currentTarget;
    if (e.key === 'ArrowDown') (row.nextElementSibling as HTMLElement | null)?.focus();
    else if (e.key === 'ArrowUp') (row.previousElementSibling as HTMLElement | null)?.focus();
    else if (e.key === 'Enter') open(id);
    else return;
    e.preventDefault();
  }

  return (
    <div className="table-wrap">
      <table className="data traces" aria-label="Traces">
        <thead>
          <tr>
            {onSelect && (
              <th>
                <input type="checkbox" aria-label="Select all on this page" checked={rows.length > 0 && rows.every((r) => selected?.has(r.id))} onChange={(e) => onSelect(rows.map((r) => r.id), e.target.checked)} />
              </th>
            )}
            {COLUMNS.map((c) => {
              const field = SORTABLE[c];
              if (!field) return <th key={c}>{c}</th>;
              const active = sortField === field;
              const next = active && sortDir === 'desc' ? 'asc' : 'desc';
              return (
                <th key={c} aria-sort={active ? (sortDir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                  <button type="button" className="sort" onClick={() => onSort(`${field}.${next}`)}>
                    {c} {active ? (sortDir === 'asc' ? '▲' : '▼') : ''}
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={t.id} tabIndex={0} data-trace-id={t.id} onClick={() => open(t.id)} onKeyDown={(e) => onKey(e, t.id)} className={t.errorCount > 0 ? 'has-error' : ''}>
              {onSelect && (
                <td onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
                  <input type="checkbox" aria-label={`Select ${t.id}`} checked={selected?.has(t.id) ?? false} onChange={(e) => onSelect([t.id], e.target.checked)} />
                </td>
              )}
              <td className="nowrap">{formatTime(t.timestamp)}</td>
              <td className="name-cell">
                {t.name ?? <span className="muted">(unnamed)</span>} <CommentBadge count={commentCounts?.[t.id]} />
              </td>
              <td>{t.userId ?? ''}</td>
              <td className="ellipsis">{t.sessionId ?? ''}</td>
              <td className="num">{formatDuration(t.latencyMs)}</td>
              <td className="num">{formatTokens(t.totalTokens)}</td>
              <td className="num">{formatCost(t.totalCost)}</td>
              <td>
                <ScoreChips scores={t.scores} />
              </td>
              <td>
                <span className="chips">
                  {t.tags.map((tag) => (
                    <span key={tag} className="chip tag">
                      {tag}
                    </span>
                  ))}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {loading && <p className="muted">Loading…</p>}
      {!loading && rows.length === 0 && <p className="empty">No traces match. Widen the time range or clear filters.</p>}
    </div>
  );
}
