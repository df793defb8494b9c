import type { FilterColumn } from './filter.js';
import type { ResolvedQuery } from './resolve.js';
import { DAY, FIVE_MINUTES, HOUR } from './time-buckets.js';

const ROLLUP_AGGREGATIONS = new Set(['count', 'sum', 'avg', 'p50', 'p75', 'p90', 'p95', 'p99']);
const STRING_FILTERS = new Set(['string', 'stringOptions', 'null']);

/**
 * Why rollups cannot answer `rq`, or null when they can: every dimension and filter column
 * must be a rollup dimension column, every metric a rollup counter sum/count or a percentile
 * of a measure kept as bins, and buckets no finer than the 5-minute rollup rows.
 */
export function rollupGap(rq: ResolvedQuery): string | null {
  const { view } = rq;
  if (!view.rollup) return `the ${view.name} view has no rollups`;
  if (rq.bucketing === 'minute') return 'minute buckets are finer than the 5-minute rollups';
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

/** Filter columns over the rollup table (alias `r`). */
export function rollupFilterColumns(rq: ResolvedQuery): Record<string, FilterColumn> {
  const out: Record<string, FilterColumn> = {};
  for (const [name, dim] of Object.entries(rq.view.dims)) if (dim.rollup) out[name] = { sql: `r.${dim.rollup}`, kind: 'string' };
  return out;
}

/**
 * Rollup grains, coarsest first. Each nests in the next coarser one (UTC), so a range splits
 * into whole days, whole hours and whole 5-minute buckets, and at most two 5-minute partial
 * edges come from the base tables whatever the data rate.
 */
export const GRAINS = [DAY, HOUR, FIVE_MINUTES] as const;

/** Where each part of a query's range is read from: rollup rows of a grain, or the base tables (`grain` null). */
export interface Segment {
  grain: number | null;
  from: number;
  to: number;
}

/** Grains whose rows fit inside the query's buckets (all of them without a time dimension). */
export function usableGrains(rq: ResolvedQuery): number[] {
  const size = rq.bucketing === null || rq.bucketing === 'week' || rq.bucketing === 'month' ? Infinity : BUCKET_SIZE[rq.bucketing];
  return GRAINS.filter((g) => g <= size);
}
const BUCKET_SIZE: Record<'minute' | 'hour' | 'day', number> = { minute: 60_000, hour: HOUR, day: DAY };

/** Splits `[from, to)` into whole buckets of the coarsest grain that fits, recursing into finer grains at the edges. */
export function splitRange(from: number, to: number, grains: readonly number[]): Segment[] {
  if (from >= to) return [];
  if (grains.length === 0) return [{ grain: null, from, to }];
  const [g, ...finer] = grains;
  const a = Math.ceil(from / g) * g;
  const b = Math.floor(to / g) * g;
  if (a >= b) return splitRange(from, to, finer);
  return [...splitRange(from, a, finer), { grain: g, from: a, to: b }, ...splitRange(b, to, finer)];
}
