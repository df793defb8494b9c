import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { query } from '../api.js';
import { Pager } from '../components/Pager.js';
import { formatCost, formatTime, formatTokens } from '../format.js';
import { ScoreCell, ScoreSortForm, sortedScore } from '../components/ScoreSort.js';
import { SortHeader } from '../components/SortHeader.js';
import { useFetch } from '../use-fetch.js';
import { useUrlState } from '../url-state.js';
import type { UserListResponse } from '../types.js';

export function UsersPage({ projectId }: { projectId: string }) {
  const [params, set] = useUrlState();
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const [search, setSearch] = useState(params.get('q') ?? '');
  const sort = params.get('sort') ?? 'lastTrace.desc';
  const { data, error } = useFetch<UserListResponse>(`/projects/${projectId}/users${query({ page, limit: 50, q: params.get('q'), sort: params.get('sort') })}`);
  const onSort = (next: string) => set({ sort: next, page: null });
  const head = (label: string, field: string, num = false) => <SortHeader label={label} field={field} sort={sort} onSort={onSort} className={num ? 'num' : undefined} />;
  const score = sortedScore(sort);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set({ q: search.trim() || null, page: null });
  };
  return (
    <section className="page">
      <header className="page-head">
        <h1>Users</h1>
        <form onSubmit={submit} className="inline-form">
          <input aria-label="Search users" placeholder="Search user ids" value={search} onChange={(e) => setSearch(e.target.value)} />
        </form>
        <ScoreSortForm projectId={projectId} sort={sort} onSort={onSort} />
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="table-wrap">
        <table className="data" aria-label="Users">
          <thead>
            <tr>
              {head('User', 'userId')}
              {head('Traces', 'traceCount', true)}
              {head('Tokens', 'totalTokens', true)}
              {head('Cost', 'totalCost', true)}
              {head('First seen', 'firstTrace')}
              {head('Last seen', 'lastTrace')}
              {score !== null && head(`Score: ${score}`, `score:${score}`, true)}
            </tr>
          </thead>
          <tbody>
            {data?.data.map((u) => (
              <tr key={u.userId}>
                <td>
                  <Link href={`/p/${projectId}/users/${encodeURIComponent(u.userId)}`}>{u.userId}</Link>
                </td>
                <td className="num">{u.traceCount.toLocaleString()}</td>
                <td className="num">{formatTokens(u.totalTokens)}</td>
                <td className="num">{formatCost(u.totalCost)}</td>
                <td className="nowrap">{formatTime(u.firstSeen)}</td>
                <td className="nowrap">{formatTime(u.lastSeen)}</td>
                {score !== null && <ScoreCell value={u.score} />}
              </tr>
            ))}
          </tbody>
        </table>
        {!error && data && data.data.length === 0 && <p className="empty">No users yet. Traces with a userId appear here.</p>}
      </div>
      {data && <Pager page={page} limit={data.limit} total={data.totalItems} estimated={data.totalEstimated} onPage={(p) => set({ page: String(p) })} />}
    </section>
  );
}
