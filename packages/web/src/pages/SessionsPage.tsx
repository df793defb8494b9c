import { Link } from 'wouter';
import { query } from '../api.js';
import { Pager } from '../components/Pager.js';
import { CommentBadge, useCommentCounts } from '../annotate/comment-counts.js';
import { formatCost, formatDuration, formatTime, formatTokens } from '../format.js';
import { ScoreCell, ScoreSortForm, sortedScore } from '../components/ScoreSort.js';
import { SortHeader } from '../components/SortHeader.js';
import { useFetch } from '../use-fetch.js';
import { useUrlState } from '../url-state.js';
import type { SessionListResponse } from '../types.js';

export function SessionsPage({ projectId }: { projectId: string }) {
  const [params, set] = useUrlState();
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const sort = params.get('sort') ?? 'createdAt.desc';
  const { data, error } = useFetch<SessionListResponse>(`/projects/${projectId}/sessions${query({ page, limit: 50, sort })}`);
  const comments = useCommentCounts(projectId, 'SESSION', data?.data.map((s) => s.id) ?? []);
  const onSort = (next: string) => set({ sort: next, page: null });
  const head = (label: string, field: string, num = false) => <SortHeader label={label} field={field} sort={sort} onSort={onSort} className={num ? 'num' : undefined} />;
  const score = sortedScore(sort);
  return (
    <section className="page">
      <header className="page-head">
        <h1>Sessions</h1>
        <ScoreSortForm projectId={projectId} sort={sort} onSort={onSort} />
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="table-wrap">
        <table className="data" aria-label="Sessions">
          <thead>
            <tr>
              {head('Session', 'id')}
              {head('Created', 'createdAt')}
              {head('Traces', 'traceCount', true)}
              <th>Users</th>
              {head('Duration', 'duration', true)}
              {head('Tokens', 'totalTokens', true)}
              {head('Last trace', 'lastTrace')}
              {head('Cost', 'totalCost', true)}
              {score !== null && head(`Score: ${score}`, `score:${score}`, true)}
            </tr>
          </thead>
          <tbody>
            {data?.data.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link href={`/p/${projectId}/sessions/${encodeURIComponent(s.id)}`}>{s.id}</Link> <CommentBadge count={comments[s.id]} />
                </td>
                <td className="nowrap">{formatTime(s.createdAt)}</td>
                <td className="num">{s.traceCount}</td>
                <td>
                  {s.userIds.map((u, i) => (
                    <span key={u}>
                      {i > 0 && ', '}
                      <Link href={`/p/${projectId}/users/${encodeURIComponent(u)}`}>{u}</Link>
                    </span>
                  ))}
                </td>
                <td className="num" title="From the first to the last trace">
                  {s.firstTrace !== null && s.lastTrace !== null ? formatDuration(s.lastTrace - s.firstTrace) : '–'}
                </td>
                <td className="num">{formatTokens(s.totalTokens)}</td>
                <td className="nowrap">{s.lastTrace ? formatTime(s.lastTrace) : ''}</td>
                <td className="num">{formatCost(s.totalCost)}</td>
                {score !== null && <ScoreCell value={s.score} />}
              </tr>
            ))}
          </tbody>
        </table>
        {!error && data && data.data.length === 0 && <p className="empty">No sessions yet. Traces with a sessionId appear here.</p>}
      </div>
      {data && <Pager page={page} limit={data.limit} total={data.totalItems} estimated={data.totalEstimated} onPage={(p) => set({ page: String(p) })} />}
    </section>
  );
}
