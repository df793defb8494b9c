import { useMemo } from 'react';
import { Link } from 'wouter';
import { query } from '../api.js';
import { bucketNote, bucketStarts } from '../charts/buckets.js';
import { CategoryBars } from '../charts/CategoryBars.js';
import { ChartCard, emptyNote } from '../charts/ChartCard.js';
import { RangeSelect, useRange } from '../charts/range.js';
import { formatLatency, type Unit } from '../charts/scale.js';
import { firstWithData, PALETTE, perBucket } from '../charts/series.js';
import { TimeChart, type TimeSeries } from '../charts/TimeChart.js';
import { formatCost } from '../format.js';
import type { DashboardOverviewResponse, MetricRow } from '../types.js';
import { useFetch } from '../use-fetch.js';

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const sum = (values: (number | null)[]) => values.reduce<number>((n, v) => n + (v ?? 0), 0);

interface Overview {
  buckets: number[];
  traces: number[];
  observations: number[];
  errors: number[];
  cost: number[];
  tokens: number[];
  latency: TimeSeries[];
  models: { label: string; cost: number; tokens: number }[];
  numericScores: { name: string; values: (number | null)[] }[];
  categoricalScores: { name: string; dataType: string; items: { label: string; value: number }[] }[];
}

/** The response as per-bucket series, every bucket present (counts and sums 0, averages and percentiles a gap). */
function shape(d: DashboardOverviewResponse, trimToData: boolean): Overview {
  let buckets = bucketStarts(d.from, d.to, d.granularity);
  const zeros = (rows: MetricRow[], field: string, keep?: (r: MetricRow) => boolean) => perBucket(rows, buckets, field, 0, keep) as number[];
  if (trimToData) {
    const start = firstWithData([{ values: zeros(d.traces, 'count_count') }, { values: zeros(d.observations, 'count_count') }]);
    buckets = buckets.slice(start);
  }
  const hasGenerations = (r: MetricRow) => num(r.count_count) > 0;
  const latency = (['p50', 'p95', 'p99'] as const).map((p, i) => ({
    name: p, color: PALETTE[i + 1], values: perBucket(d.latencyOverTime.filter(hasGenerations), buckets, `${p}_latency`, null),
  }));
  const numericNames = [...new Set(d.scoresNumeric.map((r) => String(r.name)))].sort();
  const categorical = new Map<string, { name: string; dataType: string; items: { label: string; value: number }[] }>();
  for (const r of d.scoreCategories) {
    const key = `${String(r.dataType)} ${String(r.name)}`;
    const entry = categorical.get(key) ?? { name: String(r.name), dataType: String(r.dataType), items: [] };
    entry.items.push({ label: r.stringValue === null ? '(none)' : String(r.stringValue), value: num(r.count_count) });
    categorical.set(key, entry);
  }
  return {
    buckets,
    traces: zeros(d.traces, 'count_count'),
    observations: zeros(d.observations, 'count_count'),
    errors: zeros(d.errors, 'count_count'),
    cost: zeros(d.usage, 'sum_totalCost'),
    tokens: zeros(d.usage, 'sum_totalTokens'),
    latency,
    models: d.byModel.map((r) => ({ label: r.providedModelName === null ? '(no model)' : String(r.providedModelName), cost: num(r.sum_totalCost), tokens: num(r.sum_totalTokens) })),
    numericScores: numericNames.map((name) => ({ name, values: perBucket(d.scoresNumeric, buckets, 'avg_value', null, (r) => r.name === name) })),
    categoricalScores: [...categorical.values()]
      .map((c) => ({ ...c, items: c.items.sort((a, b) => b.value - a.value) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** The overview's bar charts of counts and sums, each on its own axis: title, series name, colour, values, unit. */
const totals = (o: Overview): [string, string, string, number[], Unit][] => [
  ['Traces', 'traces', PALETTE[1], o.traces, 'count'],
  ['Observations', 'observations', PALETTE[0], o.observations, 'count'],
  ['Errors (observations at level ERROR)', 'errors', PALETTE[3], o.errors, 'count'],
  ['Generation cost (USD)', 'cost', PALETTE[2], o.cost, 'usd'],
  ['Generation tokens', 'tokens', PALETTE[5], o.tokens, 'tokens'],
];

/**
 * The built-in overview: totals, then one chart per quantity (each on its own axis) over the
 * range in buckets that fit it, cost and tokens by model, and every score name on its own scale.
 */
/** Latency percentiles come from the rollups' histogram bins (storage metrics/histogram.ts). */
const APPROXIMATE = 'percentiles ≈, within 0.8 %';

export default function DashboardPage({ projectId }: { projectId: string }) {
  const { range, from, to, bucket, set, params } = useRange();
  const env = params.get('env');
  const { data, error } = useFetch<DashboardOverviewResponse>(`/projects/${projectId}/dashboard${query({ from, to, environment: env, granularity: bucket })}`);
  const environments = useFetch<{ data: string[] }>(`/projects/${projectId}/environments`).data?.data ?? [];
  const o = useMemo(() => (data ? shape(data, range === 'all') : null), [data, range]);
  const note = (empty: 0 | null) => emptyNote(bucketNote(bucket), empty);
  const time = (label: string, series: TimeSeries[], unit: Unit, kind: 'bar' | 'line' = 'bar') =>
    o && <TimeChart label={label} buckets={o.buckets} bucket={bucket} series={series} kind={kind} unit={unit} />;
  const traceLatency = data?.traceLatency[0] ?? {};

  return (
    <section className="page dashboard">
      <header className="page-head">
        <h1>Dashboard</h1>
        <div className="head-actions">
          <Link href={`/p/${projectId}/dashboards`}>Custom dashboards</Link>
          <RangeSelect range={range} onChange={(r) => set({ range: r })} />
          <select aria-label="Environment" value={env ?? ''} onChange={(e) => set({ env: e.target.value || null })}>
            <option value="">All environments</option>
            {environments.map((e) => (
              <option key={e}>{e}</option>
            ))}
          </select>
        </div>
      </header>
      {error && <p className="error">{error}</p>}
      {!o && !error && <p className="muted">Loading…</p>}
      {o && (
        <>
          <div className="stat-cards">
            <Stat label="Traces" value={sum(o.traces).toLocaleString()} />
            <Stat label="Observations" value={sum(o.observations).toLocaleString()} />
            <Stat label="Error rate" value={sum(o.observations) ? `${((sum(o.errors) / sum(o.observations)) * 100).toFixed(2)}%` : '–'} />
            <Stat label="Generation cost" value={formatCost(sum(o.cost))} />
            <Stat label="Trace latency p50 / p95 / p99" note={APPROXIMATE} value={['p50', 'p95', 'p99'].map((p) => formatLatency(traceLatency[`${p}_latency`] as number | null)).join(' / ')} />
          </div>
          <div className="charts">
            {totals(o).map(([title, name, color, values, unit]) => (
              <ChartCard key={title} title={title} note={note(0)}>
                {time(`${title} per bucket`, [{ name, color, values }], unit)}
              </ChartCard>
            ))}
            <ChartCard title="Generation latency p50 / p95 / p99" note={`${note(null)} · ${APPROXIMATE}`}>
              {time('Generation latency percentiles per bucket', o.latency, 'duration', 'line')}
            </ChartCard>
            <ChartCard title="Cost by model (USD)">
              <CategoryBars label="Cost by model" items={o.models.map((m) => ({ label: m.label, value: m.cost }))} unit="usd" color={PALETTE[2]} />
            </ChartCard>
            <ChartCard title="Tokens by model">
              <CategoryBars label="Tokens by model" items={[...o.models].sort((a, b) => b.tokens - a.tokens).map((m) => ({ label: m.label, value: m.tokens }))} unit="tokens" color={PALETTE[5]} />
            </ChartCard>
            {o.numericScores.map((s) => (
              <ChartCard key={`n ${s.name}`} title={`Score: ${s.name} (average)`} note={note(null)}>
                {time(`Average of score ${s.name} per bucket`, [{ name: s.name, color: PALETTE[4], values: s.values }], 'number', 'line')}
              </ChartCard>
            ))}
            {o.categoricalScores.map((s) => (
              <ChartCard key={`c ${s.dataType} ${s.name}`} title={`Score: ${s.name} (${s.dataType === 'BOOLEAN' ? 'boolean' : 'categorical'}, count per category)`} note="Over the whole range">
                <CategoryBars label={`Score ${s.name} per category`} items={s.items} unit="count" color={PALETTE[4]} />
              </ChartCard>
            ))}
          </div>
        </>
      )}
    </section>
  );
}

function Stat({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div className="stat">
      <div className="muted small">{label}</div>
      <div className="stat-value">{value}</div>
      {note && <div className="muted small">{note}</div>}
    </div>
  );
}
