import { useMemo, useState, type ReactElement } from 'react';
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { query } from '../api.js';
import { formatCost, formatDuration, formatTokens } from '../format.js';
import { useFetch } from '../use-fetch.js';
import { useUrlState } from '../url-state.js';
import { RANGES } from './TracesPage.js';

type Row = Record<string, string | number | null>;
interface Dashboard {
  from: number;
  to: number;
  traces: Row[];
  observations: Row[];
  byModel: Row[];
  generationLatency: Row[];
  latencyOverTime: Row[];
  traceLatency: Row[];
  scores: Row[];
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const tick = (iso: string) => {
  const d = new Date(iso);
  return `${d.getMonth() + 1}/${d.getDate()} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

/** Traces and observations over time, errors, cost and tokens by model, latency percentiles and score averages. */
export default function DashboardPage({ projectId }: { projectId: string }) {
  const [params, set] = useUrlState();
  const range = params.get('range') ?? '7d';
  const env = params.get('env');
  const [now] = useState(() => Date.now());
  const span = RANGES[range] ?? RANGES['7d'];
  const { data, error } = useFetch<Dashboard>(
    `/projects/${projectId}/dashboard${query({ from: span === null ? 0 : now - span, to: now, environment: env })}`,
  );
  const environments = useFetch<{ data: string[] }>(`/projects/${projectId}/environments`).data?.data ?? [];

  const series = useMemo(() => {
    if (!data) return null;
    const buckets = new Map<string, { time: string; traces: number; observations: number; errors: number }>();
    const at = (t: unknown) => {
      const key = String(t);
      let b = buckets.get(key);
      if (!b) buckets.set(key, (b = { time: key, traces: 0, observations: 0, errors: 0 }));
      return b;
    };
    for (const r of data.traces) at(r.time_dimension).traces += num(r.count_count);
    for (const r of data.observations) {
      const b = at(r.time_dimension);
      b.observations += num(r.count_count);
      if (r.level === 'ERROR') b.errors += num(r.count_count);
    }
    const overTime = [...buckets.values()].sort((a, b) => a.time.localeCompare(b.time));
    const totals = overTime.reduce((t, b) => ({ traces: t.traces + b.traces, observations: t.observations + b.observations, errors: t.errors + b.errors }), {
      traces: 0, observations: 0, errors: 0,
    });
    const models = data.byModel.map((r) => ({ model: String(r.providedModelName ?? '(none)'), cost: num(r.sum_totalCost), tokens: num(r.sum_totalTokens), count: num(r.count_count) }));
    const latency = data.latencyOverTime
      .map((r) => ({ time: String(r.time_dimension), p50: num(r.p50_latency), p95: num(r.p95_latency), p99: num(r.p99_latency) }))
      .sort((a, b) => a.time.localeCompare(b.time));
    const scores = data.scores.map((r) => ({ name: String(r.name), average: num(r.avg_value), count: num(r.count_count) }));
    return { overTime, totals, models, latency, scores, cost: models.reduce((n, m) => n + m.cost, 0) };
  }, [data]);

  const traceLatency = data?.traceLatency[0] ?? {};
  return (
    <section className="page dashboard">
      <header className="page-head">
        <h1>Dashboard</h1>
        <div className="head-actions">
          <select aria-label="Time range" value={range} onChange={(e) => set({ range: e.target.value })}>
            <option value="1h">Last hour</option>
            <option value="24h">Last 24 hours</option>
            <option value="7d">Last 7 days</option>
            <option value="30d">Last 30 days</option>
            <option value="all">All time</option>
          </select>
          <select aria-label="Environment" value={env ?? ''} onChange={(e) => set({ env: e.target.value || null })}>
            <option value="">All environments</option>
            {environments.map((e) => (
              <option key={e}>{e}</option>
            ))}
          </select>
        </div>
      </header>
      {error && <p className="error">{error}</p>}
      {!series && !error && <p className="muted">Loading…</p>}
      {series && (
        <>
          <div className="stat-cards">
            <Stat label="Traces" value={series.totals.traces.toLocaleString()} />
            <Stat label="Observations" value={series.totals.observations.toLocaleString()} />
            <Stat label="Error rate" value={series.totals.observations ? `${((series.totals.errors / series.totals.observations) * 100).toFixed(2)}%` : '–'} />
            <Stat label="Cost" value={formatCost(series.cost)} />
            <Stat label="Trace latency p50 / p95 / p99" value={['p50', 'p95', 'p99'].map((p) => formatDuration(traceLatency[`${p}_latency`] as number | null)).join(' / ')} />
          </div>
          <div className="charts">
            <Chart title="Traces and observations over time">
              <AreaChart data={series.overTime}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="time" tickFormatter={tick} minTickGap={30} />
                <YAxis allowDecimals={false} />
                <Tooltip labelFormatter={(l) => tick(String(l))} />
                <Legend />
                <Area type="monotone" dataKey="observations" stroke="#6b8afd" fill="#6b8afd33" isAnimationActive={false} />
                <Area type="monotone" dataKey="traces" stroke="#2bb673" fill="#2bb67333" isAnimationActive={false} />
              </AreaChart>
            </Chart>
            <Chart title="Errors over time (observations at level ERROR)">
              <LineChart data={series.overTime}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="time" tickFormatter={tick} minTickGap={30} />
                <YAxis allowDecimals={false} />
                <Tooltip labelFormatter={(l) => tick(String(l))} />
                <Line type="monotone" dataKey="errors" stroke="#e5484d" dot={false} isAnimationActive={false} />
              </LineChart>
            </Chart>
            <Chart title="Cost by model (USD)">
              <BarChart data={series.models} layout="vertical" margin={{ left: 40 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis type="number" tickFormatter={(v: number) => formatCost(v)} />
                <YAxis type="category" dataKey="model" width={120} />
                <Tooltip formatter={(v) => formatCost(Number(v))} />
                <Bar dataKey="cost" fill="#f5a524" isAnimationActive={false} />
              </BarChart>
            </Chart>
            <Chart title="Tokens by model">
              <BarChart data={series.models} layout="vertical" margin={{ left: 40 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis type="number" tickFormatter={(v: number) => formatTokens(v)} />
                <YAxis type="category" dataKey="model" width={120} />
                <Tooltip />
                <Bar dataKey="tokens" fill="#6b8afd" isAnimationActive={false} />
              </BarChart>
            </Chart>
            <Chart title="Generation latency p50 / p95 / p99 (ms)">
              <LineChart data={series.latency}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="time" tickFormatter={tick} minTickGap={30} />
                <YAxis />
                <Tooltip labelFormatter={(l) => tick(String(l))} formatter={(v) => formatDuration(Number(v))} />
                <Legend />
                <Line type="monotone" dataKey="p50" stroke="#2bb673" dot={false} isAnimationActive={false} />
                <Line type="monotone" dataKey="p95" stroke="#f5a524" dot={false} isAnimationActive={false} />
                <Line type="monotone" dataKey="p99" stroke="#e5484d" dot={false} isAnimationActive={false} />
              </LineChart>
            </Chart>
            <Chart title="Score averages">
              <BarChart data={series.scores}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="name" />
                <YAxis />
                <Tooltip />
                <Bar dataKey="average" fill="#a06bfd" isAnimationActive={false} />
              </BarChart>
            </Chart>
          </div>
        </>
      )}
    </section>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat">
      <div className="muted small">{label}</div>
      <div className="stat-value">{value}</div>
    </div>
  );
}

function Chart({ title, children }: { title: string; children: ReactElement }) {
  return (
    <figure className="chart card" aria-label={title}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={240}>
        {children}
      </ResponsiveContainer>
    </figure>
  );
}
