import { normalizeRanges, rangesContain, type Ranges } from './char-set.js';

/**
 * JavaScript's case canonicalisation for the `i` flag without `u` (ECMA-262 Canonicalize):
 * the upper-case form when it is one code unit, except that nothing outside ASCII folds into it.
 */
export function canonicalize(unit: number): number {
  const upper = String.fromCharCode(unit).toUpperCase();
  if (upper.length !== 1) return unit;
  const folded = upper.charCodeAt(0);
  return unit >= 128 && folded < 128 ? unit : folded;
}

let groups: number[][] | undefined;

/** Every group of two or more code units sharing a canonical form; built once, on first need. */
function caseGroups(): number[][] {
  if (!groups) {
    const byCanonical = new Map<number, number[]>();
    for (let u = 0; u <= 0xffff; u++) {
      const c = canonicalize(u);
      const g = byCanonical.get(c);
      if (g) g.push(u);
      else byCanonical.set(c, [u]);
    }
    groups = [...byCanonical.values()].filter((g) => g.length > 1);
  }
  return groups;
}

/**
 * Adds to a set every code unit that matches one of its members case-insensitively, so that
 * matching becomes a plain membership test. An ASCII unit only ever folds with its ASCII
 * partner, so ASCII-only sets (every built-in pattern) never need the full table.
 */
export function closeUnderCase(r: Ranges): Ranges {
  const extra: number[] = [];
  if (r.length === 0 || r[r.length - 1] < 128) {
    for (let upper = 0x41; upper <= 0x5a; upper++) {
      if (rangesContain(r, upper) || rangesContain(r, upper + 32)) extra.push(upper, upper, upper + 32, upper + 32);
    }
  } else {
    for (const g of caseGroups()) {
      if (g.some((u) => rangesContain(r, u))) for (const u of g) extra.push(u, u);
    }
  }
  return extra.length === 0 ? r : normalizeRanges([...r, ...extra]);
}
