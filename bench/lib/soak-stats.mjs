// Small statistics helpers for bench/soak.mjs: percentiles, least-squares slope and the
// "is memory flat after warm-up" verdict.

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
}

/** Least-squares slope of y over x (units of y per unit of x). */
export function slope(xs, ys) {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Judges one memory series (bytes) sampled after warm-up. Flat means: the mean of the last
 * third is within `tolerance` (fraction) or `floorBytes` (whichever is larger) of the mean of
 * the first third. Also returns the least-squares trend in MB per 10 minutes for the record.
 */
export function judgeFlat(samples, { tolerance, floorBytes }) {
  if (samples.length < 6) return { flat: null, reason: `only ${samples.length} samples after warm-up (need 6)` };
  const third = Math.floor(samples.length / 3);
  const first = mean(samples.slice(0, third).map((s) => s.value));
  const last = mean(samples.slice(-third).map((s) => s.value));
  const allowed = Math.max(first * tolerance, floorBytes);
  const trend = slope(samples.map((s) => s.t / 600_000), samples.map((s) => s.value / 2 ** 20));
  return {
    flat: last - first <= allowed,
    firstMb: first / 2 ** 20,
    lastMb: last / 2 ** 20,
    growthMb: (last - first) / 2 ** 20,
    allowedMb: allowed / 2 ** 20,
    trendMbPer10Min: trend,
  };
}
