import { TIME_FIELD, type ResolvedQuery } from './resolve.js';
import { finalize, stateOf, type GroupState, type States } from './state.js';
import { bucketsBetween } from './time-buckets.js';
import type { MetricsRow } from './types.js';

/**
 * Partial states → response rows: dimension fields by name, `time_dimension` as ISO text,
 * metrics as `<aggregation>_<measure>`; ordered, limited, and — for a plain time series
 * without an explicit order — with empty buckets filled with zeros, like Langfuse's WITH FILL.
 */
export function presentRows(rq: ResolvedQuery, states: States, exactPercentiles: boolean): MetricsRow[] {
  const grouped = rq.dims.length > 0 || rq.bucketing !== null;
  let groups = [...states.values()];
  // Rollup rows can outlive their data (updates, deletions) with zero counts; a scan would not see them.
  if (grouped) groups = groups.filter((g) => g.rows > 0);
  else if (groups.length === 0) groups = [stateOf(states, rq, {})];
  const rows = groups.map((st) => toRow(rq, st, exactPercentiles));
  if (rq.bucketing && rq.dims.length === 0 && rq.orderBy.length === 0) {
    const seen = new Set(groups.map((g) => g.tb));
    for (const tb of bucketsBetween(rq.from, rq.to, rq.bucketing)) {
      if (!seen.has(tb)) rows.push(zeroRow(rq, tb));
    }
  }
  return rows.sort(comparator(rq)).slice(0, rq.rowLimit);
}

function toRow(rq: ResolvedQuery, st: GroupState, exact: boolean): MetricsRow {
  const row: MetricsRow = {};
  rq.dims.forEach(({ name, dim }, j) => {
    const v = st.dims[j];
    row[name] = dim.present ? dim.present(v) : v === null ? null : dim.type === 'number' ? Number(v) : String(v);
  });
  if (rq.bucketing) row[TIME_FIELD] = new Date(st.tb ?? 0).toISOString();
  // The group's bins are complete here: each measure's are sorted once for all its percentiles.
  const sorted = new Map();
  rq.metrics.forEach((m, i) => (row[m.field] = finalize(st, m, i, exact, sorted)));
  return row;
}

function zeroRow(rq: ResolvedQuery, tb: number): MetricsRow {
  const row: MetricsRow = { [TIME_FIELD]: new Date(tb).toISOString() };
  for (const m of rq.metrics) row[m.field] = m.agg === 'histogram' ? [] : 0;
  return row;
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  const x = typeof a === 'string' ? a : JSON.stringify(a);
  const y = typeof b === 'string' ? b : JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const isNull = (v: unknown) => v === null || v === undefined;

/** The requested (or Langfuse's default) order; nulls last either way; ties fall back to every dimension, then the time bucket. */
function comparator(rq: ResolvedQuery): (a: MetricsRow, b: MetricsRow) => number {
  let order = rq.orderBy;
  if (order.length === 0) {
    const firstMetric = rq.metrics.find((m) => m.agg !== 'histogram');
    if (rq.bucketing) order = [{ field: TIME_FIELD, direction: 'asc' }];
    else if (firstMetric) order = [{ field: firstMetric.field, direction: 'desc' }];
  }
  const keys = [...order, ...rq.dims.map((x) => ({ field: x.name, direction: 'asc' as const })), { field: TIME_FIELD, direction: 'asc' as const }];
  return (a, b) => {
    for (const { field, direction } of keys) {
      if (isNull(a[field]) || isNull(b[field])) {
        if (isNull(a[field]) && isNull(b[field])) continue;
        return isNull(a[field]) ? 1 : -1;
      }
      const c = compareValues(a[field], b[field]);
      if (c !== 0) return direction === 'asc' ? c : -c;
    }
    return 0;
  };
}
