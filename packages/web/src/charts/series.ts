import type { MetricRow } from '../types.js';
import type { TimeSeries } from './TimeChart.js';

export const PALETTE = ['#3b5bdb', '#2bb673', '#f5a524', '#e5484d', '#a06bfd', '#0ea5e9', '#db2777', '#65a30d'];
/** A chart shows at most this many series (the largest); the rest would be unreadable. */
export const MAX_SERIES = 8;

const TIME = 'time_dimension';
const numberOf = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number(v));

/**
 * `field` of each bucket from rows carrying `time_dimension`; a bucket without a row gets
 * `empty` — 0 for counts and sums (nothing happened), null (a gap) for averages and percentiles.
 * Rows may be narrowed by `keep` (one level, one score name).
 */
export function perBucket(rows: readonly MetricRow[], buckets: readonly number[], field: string, empty: 0 | null, keep: (r: MetricRow) => boolean = () => true): (number | null)[] {
  const at = new Map<number, number | null>();
  for (const r of rows) {
    if (!keep(r)) continue;
    const t = Date.parse(String(r[TIME]));
    const v = numberOf(r[field]);
    at.set(t, v === null ? (at.get(t) ?? null) : (at.get(t) ?? 0) + v);
  }
  return buckets.map((b) => at.get(b) ?? empty);
}

/** Rows split into one series per value of `dimension` (or one series when there is none), the largest totals first. */
export function seriesByDimension(rows: readonly MetricRow[], buckets: readonly number[], field: string, dimension: string | null, empty: 0 | null): TimeSeries[] {
  const names = dimension === null ? [field] : [...new Set(rows.map((r) => String(r[dimension] ?? '(none)')))];
  const all = names.map((name) => ({
    name,
    values: perBucket(rows, buckets, field, empty, dimension === null ? undefined : (r) => String(r[dimension] ?? '(none)') === name),
  }));
  const total = (s: { values: (number | null)[] }) => s.values.reduce<number>((n, v) => n + (v ?? 0), 0);
  return all
    .sort((a, b) => total(b) - total(a))
    .slice(0, MAX_SERIES)
    .map((s, i) => ({ ...s, color: PALETTE[i % PALETTE.length] }));
}

/** The first bucket index with data in any of `series`, to trim an all-time chart to where the data starts. */
export function firstWithData(series: readonly { values: readonly (number | null)[] }[]): number {
  const firsts = series.map((s) => s.values.findIndex((v) => v !== null && v !== 0)).filter((i) => i >= 0);
  return firsts.length ? Math.min(...firsts) : 0;
}
