/**
 * Exact sums of fixed-point values, on both engines and whatever the data: each value is an
 * integer (the value × the measure's scale, rounded), split into two 64-bit halves
 * `hi × 2^32 + lo` with `0 ≤ lo < 2^32`; the halves are summed apart (in SQL, in rollup
 * columns `<sum>_hi` / `<sum>_lo`) and put back together in BigInt. A single 64-bit sum would
 * overflow at 2^63 (9.2 million USD of pico-dollars): on PostgreSQL an error failing the whole
 * group commit, on SQLite a silent change to floating point. The halves overflow only past
 * 2^95 units, and the split is exact in floating point because 2^32 is a power of two.
 */
export const HALF_BITS = 32n;
const HALF_SQL = 'CAST(4294967296 AS DOUBLE PRECISION)';

/** SQL of the two halves of the fixed-point value of the numeric expression `v`. */
export function halvesSql(v: string, scale: number): { hi: string; lo: string } {
  const x = `ROUND(CAST(${v} AS DOUBLE PRECISION) * ${scale})`;
  const hi = `FLOOR(${x} / ${HALF_SQL})`;
  return { hi: `CAST(${hi} AS BIGINT)`, lo: `CAST(${x} - ${hi} * ${HALF_SQL} AS BIGINT)` };
}

/** SQL aggregates `s<i>` / `f<i>`: the exact sums of the halves, as decimal text (drivers would round big numbers). */
export function sumHalvesSql(hi: string, lo: string, i: number): string[] {
  return [`CAST(SUM(${hi}) AS TEXT) AS s${i}`, `CAST(SUM(${lo}) AS TEXT) AS f${i}`];
}

/** The halves of an integer, as safe numbers for binding. */
export function toHalves(x: bigint): [number, number] {
  return [Number(x >> HALF_BITS), Number(BigInt.asUintN(Number(HALF_BITS), x))];
}

/** Sums of halves (decimal text, numbers or null) back to one integer. */
export function fromHalves(hi: unknown, lo: unknown): bigint {
  const big = (v: unknown) => (v === null || v === undefined ? 0n : BigInt(typeof v === 'number' ? v : String(v)));
  return (big(hi) << HALF_BITS) + big(lo);
}

/** An exact fixed-point sum as the nearest number: `sum / scale` correctly rounded (scale a power of ten). */
export function fixedToNumber(sum: bigint, scale: number): number {
  const digits = Math.round(Math.log10(scale));
  if (digits <= 0) return Number(sum);
  const text = (sum < 0n ? -sum : sum).toString().padStart(digits + 1, '0');
  return Number(`${sum < 0n ? '-' : ''}${text.slice(0, -digits)}.${text.slice(-digits)}`);
}
