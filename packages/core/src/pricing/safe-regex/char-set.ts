/**
 * A set of UTF-16 code units as sorted, disjoint, non-adjacent inclusive ranges:
 * `[lo0, hi0, lo1, hi1, …]`. Patterns match code units, as JavaScript regular expressions
 * without the `u` flag do.
 */
export type Ranges = readonly number[];

const MAX_UNIT = 0xffff;

/** Sorts and merges arbitrary `[lo, hi]` pairs into canonical ranges. */
export function normalizeRanges(pairs: readonly number[]): Ranges {
  const sorted: [number, number][] = [];
  for (let i = 0; i < pairs.length; i += 2) sorted.push([pairs[i], pairs[i + 1]]);
  sorted.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of sorted) {
    const last = out.length - 1;
    if (last > 0 && lo <= out[last] + 1) out[last] = Math.max(out[last], hi);
    else out.push(lo, hi);
  }
  return out;
}

/** Every code unit not in `r`. */
export function complementRanges(r: Ranges): Ranges {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < r.length; i += 2) {
    if (r[i] > next) out.push(next, r[i] - 1);
    next = r[i + 1] + 1;
  }
  if (next <= MAX_UNIT) out.push(next, MAX_UNIT);
  return out;
}

export function rangesContain(r: Ranges, unit: number): boolean {
  let lo = 0;
  let hi = r.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (unit < r[2 * mid]) hi = mid - 1;
    else if (unit > r[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The sets of `\d`, `\w`, `\s` and the line terminators `.` excludes, as JavaScript defines them. */
export const DIGIT: Ranges = [0x30, 0x39];
export const WORD: Ranges = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];
export const SPACE: Ranges = normalizeRanges([
  0x09, 0x0d, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff,
]);
export const LINE_TERMINATORS: Ranges = [0x0a, 0x0a, 0x0d, 0x0d, 0x2028, 0x2029];

export const isWordUnit = (unit: number): boolean =>
  (unit >= 0x61 && unit <= 0x7a) || (unit >= 0x41 && unit <= 0x5a) || (unit >= 0x30 && unit <= 0x39) || unit === 0x5f;

/** A compiled set with an ASCII bitmap, so the common case costs one array read. */
export class UnitSet {
  private readonly ascii = new Uint32Array(4);

  constructor(private readonly ranges: Ranges) {
    for (let i = 0; i < ranges.length && ranges[i] < 128; i += 2) {
      for (let u = ranges[i]; u <= Math.min(ranges[i + 1], 127); u++) this.ascii[u >> 5] |= 1 << (u & 31);
    }
  }

  has(unit: number): boolean {
    return unit < 128 ? ((this.ascii[unit >> 5] >>> (unit & 31)) & 1) === 1 : rangesContain(this.ranges, unit);
  }
}
