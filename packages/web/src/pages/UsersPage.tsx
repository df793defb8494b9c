import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { query } from '../api.js';
import { Pager } from '../components/Pager.js';
import { formatCost, formatTime, formatTokens } from '../format.js';
import { useFetch } from '../use-fetch.js';
import { useUrlState } from '../url-state.js';
import type { UserListResponse } from '../types.js';

export function UsersPage({ projectId }: { projectId: string }) {
  const [params, set] = useUrlState();
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const [search, setSearch] = useState(params.get('q') ?? '');
  const { data, error } = useFetch<UserListResponse>(
    `/projects/${projectId}/users${query({ page, limit: 50, q: params.get('q') })}`,
  );
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
      </header>
      {error && <p className="error">{error}</p>}
      <div className="table-wrap">
        <table className="data" aria-label="Users">
          <thead>
            <tr>
              <th>User</th>
              <th>Traces</th>
              <th>Tokens</th>
              <th>Cost</th>
              <th>First seen</th>
              <th>Last seen</th>
            </tr>
          </thead>
          <tbody>
            {data?.data.map((u) => (
              <tr key={u.userId}>
                <td>
                  <Link href={`/p/${projectId}/traces?user=${encodeURIComponent(u.userId)}&range=all`}>{u.userId}</Link>
                </td>
                <td className="num">{u.traceCount.toLocaleString()}</td>
                <td className="num">{formatTokens(u.totalTokens)}</td>
                <td className="num">{formatCost(u.totalCost)}</td>
                <td className="nowrap">{formatTime(u.firstSeen)}</td>
                <td className="nowrap">{formatTime(u.lastSeen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {data && data.data.length === 0 && <p className="empty">No users yet. Traces with a userId appear here.</p>}
      </div>
      {data && <Pager page={page} limit={data.limit} total={data.totalItems} onPage={(p) => set({ page: String(p) })} />}
    </section>
  );
}
