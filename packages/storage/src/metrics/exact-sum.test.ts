import { describe, expect, it } from 'vitest';
import { fixedToNumber, fromHalves, toHalves } from './exact-sum.js';

describe('exact fixed-point sums', () => {
  it('split into halves and join back exactly, negative values included', () => {
    for (const x of [0n, 1n, -1n, 2n ** 63n + 12345n, -(2n ** 70n) - 7n, 10n ** 25n + 3n]) {
      const [hi, lo] = toHalves(x);
      expect(lo).toBeGreaterThanOrEqual(0);
      expect(lo).toBeLessThan(2 ** 32);
      expect(fromHalves(hi, lo)).toBe(x);
      expect(fromHalves(String(hi), String(lo))).toBe(x);
    }
  });

  it('turn a sum into the number nearest its exact decimal value', () => {
    expect(fixedToNumber(12_345_678_900_000_000_000n, 1e12)).toBe(12_345_678.9);
    expect(fixedToNumber(-5n, 1e12)).toBe(-5e-12);
    expect(fixedToNumber(10n ** 19n + 1n, 1e12)).toBe(Number('10000000.000000000001'));
    expect(fixedToNumber(2n ** 64n, 1)).toBe(2 ** 64);
  });
});
