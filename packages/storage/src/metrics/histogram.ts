/**
 * A fixed log-linear histogram for integer values (latencies in ms), so rollups can answer
 * p50–p99 without a full scan. Each power of two [2^e, 2^(e+1)) is cut into SUB_BINS equal
 * bins; below 2^6 every integer has its own bin. A bin stands for the midpoint of the integers
 * it holds, so a percentile read from bins is within RELATIVE_ERROR of the true percentile
 * (|estimate − true| / |true| < 1/128 ≈ 0.8%), and exact for |v| < 64. Negative values mirror
 * positive ones. Bin numbers are computed with integer arithmetic only, identically in JS and
 * in SQL, so a bin never depends on floating-point rounding.
 */
export const SUB_BINS = 64;
export const RELATIVE_ERROR = 1 / (2 * SUB_BINS);
/** Values at or beyond ±2^MAX_EXP (≈ 4,400 years in ms) share the last bin. */
const MAX_EXP = 47;

function positiveBin(v: number): number {
  const x = Math.min(v, 2 ** MAX_EXP - 1);
  let e = Math.floor(Math.log2(x));
  while (2 ** (e + 1) <= x) e++;
  while (2 ** e > x) e--;
  return 1 + e * SUB_BINS + Math.floor(((x - 2 ** e) * SUB_BINS) / 2 ** e);
}

/** The bin of an integer value (fractions are truncated). */
export function binOf(value: number): number {
  const v = Math.trunc(value);
  if (v === 0) return 0;
  return v > 0 ? positiveBin(v) : -positiveBin(-v);
}

/** The value a bin stands for: the midpoint of the smallest and largest integer in it. */
export function binValue(bin: number): number {
  if (bin === 0) return 0;
  if (bin < 0) return -binValue(-bin);
  const e = Math.floor((bin - 1) / SUB_BINS);
  const m = (bin - 1) % SUB_BINS;
  const base = 2 ** e;
  const lo = base + Math.ceil((m * base) / SUB_BINS);
  const hi = base + Math.ceil(((m + 1) * base) / SUB_BINS) - 1;
  return (lo + hi) / 2;
}

/** SQL for the bin of the integer expression `v` (an SQL identifier or parenthesised expression). */
export function binSql(v: string): string {
  const chain = (x: string): string => {
    const parts: string[] = [];
    for (let e = 0; e < MAX_EXP; e++) {
      parts.push(`WHEN ${x} < ${2 ** (e + 1)} THEN ${1 + e * SUB_BINS} + ((${x} - ${2 ** e}) * ${SUB_BINS}) / ${2 ** e}`);
    }
    return `CASE ${parts.join(' ')} ELSE ${MAX_EXP * SUB_BINS} END`;
  };
  return `CASE WHEN ${v} = 0 THEN 0 WHEN ${v} > 0 THEN ${chain(v)} ELSE -(${chain(`(-${v})`)}) END`;
}

/** 1-based rank of the nearest-rank percentile `p` (0..100) among `n` values: ceil(p·n/100). */
export const percentileRank = (p: number, n: number): number => Math.ceil((p * n) / 100);

/** A histogram's bins in ascending order with running counts: sorted once, read for each percentile of a group (p50, p95 and p99 share one). */
export interface SortedBins {
  bins: Float64Array;
  /** Count of the values in bins[0..i]. */
  cumulative: Float64Array;
  total: number;
}

/** The bins of a histogram, sorted once (zero counts kept: they never decide a rank). */
export function sortBins(bins: Map<number, number>): SortedBins {
  // A typed array sorts numerically without a comparator call per step.
  const sorted = Float64Array.from(bins.keys()).sort();
  const cumulative = new Float64Array(sorted.length);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    total += bins.get(sorted[i]) ?? 0;
    cumulative[i] = total;
  }
  return { bins: sorted, cumulative, total };
}

/** The nearest-rank percentile `p` (0..100) of sorted bins, or null when they are empty: the first bin whose running count reaches the rank. */
export function percentileOfSorted({ bins, cumulative, total }: SortedBins, p: number): number | null {
  if (total <= 0) return null;
  const rank = Math.max(1, percentileRank(p, total));
  for (let i = 0; i < bins.length; i++) if (cumulative[i] >= rank) return binValue(bins[i]);
  return null;
}

/** The nearest-rank percentile `p` (0..100) of a histogram, or null when it is empty. */
export function percentileOfBins(bins: Map<number, number>, p: number): number | null {
  return percentileOfSorted(sortBins(bins), p);
}
