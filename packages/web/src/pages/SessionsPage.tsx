import { Link } from 'wouter';
import { query } from '../api.js';
import { Pager } from '../components/Pager.js';
import { CommentBadge, useCommentCounts } from '../annotate/comment-counts.js';
import { formatCost, formatTime } from '../format.js';
import { useFetch } from '../use-fetch.js';
import { useUrlState } from '../url-state.js';
import type { SessionListResponse } from '../types.js';

export function SessionsPage({ projectId }: { projectId: string }) {
  const [params, set] = useUrlState();
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const { data, error } = useFetch<SessionListResponse>(`/projects/${projectId}/sessions${query({ page, limit: 50 })}`);
  const comments = useCommentCounts(projectId, 'SESSION', data?.data.map((s) => s.id) ?? []);
  return (
    <section className="page">
      <header className="page-head">
        <h1>Sessions</h1>
      </header>
      {error && <p className="error">{error}</p>}
      <div className="table-wrap">
        <table className="data" aria-label="Sessions">
          <thead>
            <tr>
              <th>Session</th>
              <th>Created</th>
              <th>Traces</th>
              <th>Users</th>
              <th>Last trace</th>
              <th>Cost</th>
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
                <td>{s.userIds.join(', ')}</td>
                <td className="nowrap">{s.lastTrace ? formatTime(s.lastTrace) : ''}</td>
                <td className="num">{formatCost(s.totalCost)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {data && data.data.length === 0 && <p className="empty">No sessions yet. Traces with a sessionId appear here.</p>}
      </div>
      {data && <Pager page={page} limit={data.limit} total={data.totalItems} onPage={(p) => set({ page: String(p) })} />}
    </section>
  );
}
