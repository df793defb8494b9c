import { query } from '../api.js';
import type { ChartQuery, DashboardChart, MetricRow, MetricsResponse } from '../types.js';
import { useFetch } from '../use-fetch.js';
import { bucketCount, bucketNote, bucketStarts, type Bucket } from './buckets.js';
import { CategoryBars } from './CategoryBars.js';
import { emptyNote } from './ChartCard.js';
import { formatValue, unitOf } from './scale.js';
import { firstWithData, PALETTE, seriesByDimension } from './series.js';
import { TimeChart } from './TimeChart.js';

const BUCKETS: readonly string[] = ['minute', 'hour', 'day', 'week', 'month'];
/** The metrics engine answers at most 1000 rows: a finer bucket than that over the range would lose the newest. */
const MOST_BUCKETS = 1000;

/**
 * The query a saved chart runs over the viewer's range: `auto` buckets become the bucket that
 * fits the range, and so does a saved bucket too fine for it (hourly over all time).
 */
export function chartRequest(q: ChartQuery, from: number, to: number, fits: Bucket): { json: Record<string, unknown>; bucket: Bucket | null } {
  const asked = q.timeDimension?.granularity;
  const usable = asked !== undefined && BUCKETS.includes(asked) && bucketCount(from, to, asked as Bucket) <= MOST_BUCKETS;
  const bucket = asked === undefined ? null : usable ? (asked as Bucket) : fits;
  const json = { ...q, timeDimension: bucket === null ? null : { granularity: bucket }, fromTimestamp: new Date(from).toISOString(), toTimestamp: new Date(to).toISOString() };
  return { json, bucket };
}

/** What a custom chart shows: its first metric, split by its first dimension. */
export function chartField(q: ChartQuery): { field: string; dimension: string | null; unit: ReturnType<typeof unitOf> } {
  const m = q.metrics?.[0] ?? { measure: 'count', aggregation: 'count' };
  return { field: `${m.aggregation}_${m.measure}`, dimension: q.dimensions?.[0]?.field ?? null, unit: unitOf(m.measure, m.aggregation) };
}

/**
 * A saved chart: its query sent as it is (with the viewer's range) to the UI twin of
 * `GET /api/public/metrics`, drawn as its type says. A time series shows every bucket of the
 * range, 0 where the engine has no row (as the public API fills them).
 */
export function MetricChart({ projectId, chart, from, to, fits, trimToData }: { projectId: string; chart: DashboardChart; from: number; to: number; fits: Bucket; trimToData: boolean }) {
  const { json, bucket } = chartRequest(chart.query, from, to, fits);
  const path = `/projects/${projectId}/metrics${query({ query: JSON.stringify(json) })}`;
  const { data, dataPath, error } = useFetch<MetricsResponse>(path);
  if (error) return <p className="error">{error}</p>;
  // A changed query (an edited chart) must not draw the previous query's rows under the new measure.
  if (!data || dataPath !== path) return <p className="muted small">Loading…</p>;
  const rows = data.data as MetricRow[];
  const { field, dimension, unit } = chartField(chart.query);
  const dimName = (r: MetricRow) => (dimension === null ? field : String(r[dimension] ?? '(none)'));

  if (chart.chartType === 'number') {
    const total = rows.reduce((n, r) => n + Number(r[field] ?? 0), 0);
    const single = rows.length === 1 ? Number(rows[0][field] ?? 0) : total;
    return <div className="number-chart" data-value={single}>{formatValue(single, unit)}</div>;
  }
  if (chart.chartType === 'table') return <MetricTable rows={rows} />;
  if (bucket !== null) {
    let buckets = bucketStarts(from, to, bucket);
    let series = seriesByDimension(rows, buckets, field, dimension, 0);
    if (trimToData) {
      const start = firstWithData(series);
      buckets = buckets.slice(start);
      series = series.map((s) => ({ ...s, values: s.values.slice(start) }));
    }
    return (
      <>
        <TimeChart label={chart.title} buckets={buckets} bucket={bucket} series={series} kind={chart.chartType} unit={unit} />
        <p className="chart-note muted small">{emptyNote(bucketNote(bucket), 0)}</p>
      </>
    );
  }
  const items = rows.map((r) => ({ label: dimName(r), value: Number(r[field] ?? 0) }));
  return <CategoryBars label={chart.title} items={items} unit={unit} color={PALETTE[0]} />;
}

function MetricTable({ rows }: { rows: MetricRow[] }) {
  if (rows.length === 0) return <p className="muted small">No data in this range.</p>;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return (
    <table className="chart-table">
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c}>{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {columns.map((c) => (
              <td key={c}>{typeof r[c] === 'number' ? formatValue(r[c], unitOf(c.slice(c.indexOf('_') + 1), c.slice(0, c.indexOf('_')))) : String(r[c] ?? '–')}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
