import type { KeyboardEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { formatCost, formatDuration, formatTime, formatTokens } from '../format.js';
import type { TraceRow } from '../types.js';
import { ScoreChips } from './ScoreChips.js';
import { CommentBadge } from '../annotate/comment-counts.js';
import { SortHeader, splitSort } from './SortHeader.js';

const SORTABLE: Record<string, string> = {
  Time: 'timestamp', Name: 'name', User: 'userId', Session: 'sessionId', Latency: 'latency', Tokens: 'tokens', Cost: 'cost',
};
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
  /** The list could not be read: no "no traces match" (the page shows the error). */
  failed?: boolean;
}

const NUMERIC = new Set(['Latency', 'Tokens', 'Cost']);

/** The Scores header: sorts by one score name's value, chosen among the names on the page (or the one sorted by). */
function ScoreSortHeader({ rows, sort, onSort }: { rows: TraceRow[]; sort: string; onSort(sort: string): void }) {
  const cur = splitSort(sort);
  const current = cur.field.startsWith('score:') ? cur.field.slice('score:'.length) : '';
  const names = [...new Set([current, ...rows.flatMap((r) => r.scores.map((s) => s.name))].filter(Boolean))].sort();
  return (
    <th aria-sort={current ? (cur.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <select aria-label="Sort by score" value={current ? `${current}.${cur.dir}` : ''} onChange={(e) => e.target.value && onSort(`score:${e.target.value}`)}>
        <option value="">Scores</option>
        {names.flatMap((n) => [
          <option key={`${n}.desc`} value={`${n}.desc`}>
            {n} ▼
          </option>,
          <option key={`${n}.asc`} value={`${n}.asc`}>
            {n} ▲
          </option>,
        ])}
      </select>
    </th>
  );
}

/** The trace list. Rows are focusable: ↑/↓ move, Enter opens. */
export function TraceTable({ projectId, rows, loading, sort, onSort, failed, selected, onSelect, commentCounts }: Props) {
  const [, navigate] = useLocation();
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
              if (c === 'Scores') return <ScoreSortHeader key={c} rows={rows} sort={sort} onSort={onSort} />;
              if (!field) return <th key={c}>{c}</th>;
              return <SortHeader key={c} label={c} field={field} sort={sort} onSort={onSort} className={NUMERIC.has(c) ? 'num' : undefined} />;
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
              <td>
                {t.userId && (
                  <Link href={`/p/${projectId}/users/${encodeURIComponent(t.userId)}`} onClick={(e) => e.stopPropagation()}>
                    {t.userId}
                  </Link>
                )}
              </td>
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
      {!loading && !failed && rows.length === 0 && <p className="empty">No traces match. Widen the time range or clear filters.</p>}
    </div>
  );
}
