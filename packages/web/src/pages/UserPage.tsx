import { Link } from 'wouter';
import { query } from '../api.js';
import { DayBars } from '../components/DayBars.js';
import { SortHeader } from '../components/SortHeader.js';
import { TraceTable } from '../components/TraceTable.js';
import { formatCost, formatDuration, formatTime, formatTokens } from '../format.js';
import { useFetch } from '../use-fetch.js';
import { useUrlState } from '../url-state.js';
import type { SessionListResponse, TraceListResponse, UserDetailResponse } from '../types.js';

const DAY = 86_400_000;
const RANGES: Record<string, number> = { '7d': 7, '30d': 30, '90d': 90 };

/** One application user: their totals, traces, cost and scores per day, sessions and latest traces. */
export function UserPage({ projectId, userId }: { projectId: string; userId: string }) {
  const [params, set] = useUrlState();
  const range = params.get('range') ?? '30d';
  const to = Math.floor(Date.now() / DAY) * DAY + DAY;
  const from = to - (RANGES[range] ?? 30) * DAY;
  const id = encodeURIComponent(userId);
  const detail = useFetch<UserDetailResponse>(`/projects/${projectId}/users/${id}${query({ from, to })}`);
  const sessionSort = params.get('sessionSort') ?? 'lastTrace.desc';
  const sessions = useFetch<SessionListResponse>(`/projects/${projectId}/sessions${query({ userId, limit: 20, sort: sessionSort })}`);
  const traceSort = params.get('sort') ?? 'timestamp.desc';
  const traces = useFetch<TraceListResponse>(`/projects/${projectId}/traces${query({ userId, limit: 20, sort: traceSort })}`);

  if (detail.error) {
    return (
      <section className="page">
        <h1>User {userId}</h1>
        <p className="error" role="alert">
          {detail.error}
        </p>
      </section>
    );
  }
  const u = detail.data?.user;
  const activity = detail.data?.activity;
  const scoreNames = [...new Set(activity?.scores.map((s) => s.name) ?? [])].sort();
  const scoreDays = [...new Set(activity?.scores.map((s) => s.day) ?? [])].sort((a, b) => b - a);
  return (
    <section className="page user-page">
      <header className="page-head">
        <h1>
          User <span className="mono">{userId}</span>
        </h1>
        <label>
          Range{' '}
          <select aria-label="Activity range" value={range} onChange={(e) => set({ range: e.target.value }, true)}>
            <option value="7d">Last 7 days</option>
            <option value="30d">Last 30 days</option>
            <option value="90d">Last 90 days</option>
          </select>
        </label>
      </header>
      {u && (
        <dl className="figures" aria-label="User totals">
          <div><dt>Traces</dt><dd>{u.traceCount.toLocaleString()}</dd></div>
          <div><dt>Tokens</dt><dd>{formatTokens(u.totalTokens)}</dd></div>
          <div><dt>Cost</dt><dd>{formatCost(u.totalCost)}</dd></div>
          <div><dt>First seen</dt><dd>{formatTime(u.firstSeen)}</dd></div>
          <div><dt>Last seen</dt><dd>{formatTime(u.lastSeen)}</dd></div>
        </dl>
      )}
      {activity && detail.data && (
        <div className="charts">
          <DayBars label="Traces" days={activity.days.map((d) => ({ day: d.day, value: d.traceCount }))} from={detail.data.from} to={detail.data.to} format={(v) => v.toLocaleString()} />
          <DayBars label="Cost" days={activity.days.map((d) => ({ day: d.day, value: d.totalCost }))} from={detail.data.from} to={detail.data.to} format={formatCost} />
        </div>
      )}
      <h2>Scores over time</h2>
      {scoreNames.length === 0 ? (
        <p className="muted">No numeric or boolean scores on this user&apos;s traces in the range.</p>
      ) : (
        <table className="data" aria-label="Scores over time">
          <thead>
            <tr>
              <th>Day</th>
              {scoreNames.map((n) => <th key={n} className="num">{n} (mean)</th>)}
            </tr>
          </thead>
          <tbody>
            {scoreDays.map((day) => (
              <tr key={day}>
                <td className="nowrap">{new Date(day).toISOString().slice(0, 10)}</td>
                {scoreNames.map((n) => {
                  const s = activity?.scores.find((x) => x.day === day && x.name === n);
                  return <td key={n} className="num" title={s ? `${s.count} scores` : undefined}>{s ? s.mean.toFixed(2) : ''}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Sessions</h2>
      <table className="data" aria-label="Sessions of the user">
        <thead>
          <tr>
            <SortHeader label="Session" field="id" sort={sessionSort} onSort={(s) => set({ sessionSort: s }, true)} />
            <SortHeader label="Traces" field="traceCount" sort={sessionSort} onSort={(s) => set({ sessionSort: s }, true)} className="num" />
            <SortHeader label="Duration" field="duration" sort={sessionSort} onSort={(s) => set({ sessionSort: s }, true)} className="num" />
            <SortHeader label="Cost" field="totalCost" sort={sessionSort} onSort={(s) => set({ sessionSort: s }, true)} className="num" />
            <SortHeader label="Last trace" field="lastTrace" sort={sessionSort} onSort={(s) => set({ sessionSort: s }, true)} />
          </tr>
        </thead>
        <tbody>
          {sessions.data?.data.map((s) => (
            <tr key={s.id}>
              <td><Link href={`/p/${projectId}/sessions/${encodeURIComponent(s.id)}`}>{s.id}</Link></td>
              <td className="num">{s.traceCount}</td>
              <td className="num">{s.firstTrace !== null && s.lastTrace !== null ? formatDuration(s.lastTrace - s.firstTrace) : '–'}</td>
              <td className="num">{formatCost(s.totalCost)}</td>
              <td className="nowrap">{s.lastTrace ? formatTime(s.lastTrace) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {sessions.data && sessions.data.totalItems > sessions.data.data.length && (
        <p className="muted">{sessions.data.totalItems.toLocaleString()} sessions in all; the 20 shown are the first in this order.</p>
      )}
      <h2>Latest traces</h2>
      <TraceTable
        projectId={projectId}
        rows={traces.error ? [] : (traces.data?.data ?? [])}
        failed={traces.error !== null}
        loading={traces.loading && !traces.data}
        sort={traceSort}
        onSort={(s) => set({ sort: s }, true)}
      />
      <p>
        <Link href={`/p/${projectId}/traces?user=${id}&range=all`}>All traces of this user →</Link>
      </p>
    </section>
  );
}
