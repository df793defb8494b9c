import type { Ranges } from './base-rows.js';
import type { FilterColumn } from './filter.js';
import type { ResolvedQuery } from './resolve.js';
import { DAY, HOUR } from './time-buckets.js';

const ROLLUP_AGGREGATIONS = new Set(['count', 'sum', 'avg', 'p50', 'p75', 'p90', 'p95', 'p99']);
const STRING_FILTERS = new Set(['string', 'stringOptions', 'null']);

/**
 * Why rollups cannot answer `rq`, or null when they can: every dimension and filter column
 * must be a rollup group column, every metric a rollup counter sum/count or a percentile of a
 * measure kept as bins, and buckets no finer than the hourly rollup rows.
 */
export function rollupGap(rq: ResolvedQuery): string | null {
  const { view } = rq;
  if (!view.rollup) return `the ${view.name} view has no rollups`;
  if (rq.bucketing === 'minute') return 'minute buckets are finer than the hourly rollups';
  for (const { name, dim } of rq.dims) if (!dim.rollup) return `dimension ${name} is not a rollup dimension`;
  for (const f of rq.filters) {
    const dim = Object.hasOwn(view.dims, f.column) ? view.dims[f.column] : undefined;
    if (!dim?.rollup || !STRING_FILTERS.has(f.type)) return `a filter on ${f.column} (${f.type}) is not covered by rollups`;
  }
  for (const m of rq.metrics) {
    const r = m.measure.rollup;
    const ok = r && ROLLUP_AGGREGATIONS.has(m.agg) && (m.agg.startsWith('p') ? r.bins !== undefined : m.agg === 'count' || m.measure.kind === 'count' || r.sum !== undefined);
    if (!ok) return `${m.field} is not kept in rollups`;
  }
  return null;
}

/** Filter columns over the rollup groups table (alias `g`). */
export function rollupFilterColumns(rq: ResolvedQuery): Record<string, FilterColumn> {
  const out: Record<string, FilterColumn> = {};
  for (const [name, dim] of Object.entries(rq.view.dims)) if (dim.rollup) out[name] = { sql: `g.${dim.rollup}`, kind: 'string' };
  return out;
}

/** Where each part of a query's range is read from. */
export interface Segments {
  /** Partial hours at the edges: base tables. */
  base: Ranges;
  hour: Ranges;
  day: Ranges;
}

const ceil = (t: number, g: number) => Math.ceil(t / g) * g;
const floor = (t: number, g: number) => Math.floor(t / g) * g;

/**
 * Splits `[from, to)` into whole days (daily rollups, unless buckets are hours), whole hours
 * (hourly rollups) and the partial hours at either end (base tables).
 */
export function splitRange(from: number, to: number, useDays: boolean): Segments {
  const out: Segments = { base: [], hour: [], day: [] };
  const h0 = ceil(from, HOUR);
  const h1 = floor(to, HOUR);
  if (h0 >= h1) {
    out.base.push([from, to]);
    return out;
  }
  if (from < h0) out.base.push([from, h0]);
  if (h1 < to) out.base.push([h1, to]);
  const d0 = ceil(h0, DAY);
  const d1 = floor(h1, DAY);
  if (!useDays || d0 >= d1) {
    out.hour.push([h0, h1]);
    return out;
  }
  if (h0 < d0) out.hour.push([h0, d0]);
  if (d1 < h1) out.hour.push([d1, h1]);
  out.day.push([d0, d1]);
  return out;
}
