import { describe, expect, it } from 'vitest';
import { decodeBins, encodeBins } from './bins-codec.js';

describe('rollup bins as text', () => {
  it('reads back what it writes, negative bins and large counts included, adding to the bins given', () => {
    const bins = new Map([[-3008, 2], [-1, 1], [0, 5], [64, 9_007_199_254_740_991], [2900, 1]]);
    const text = encodeBins(bins);
    expect(text).toBe('[-3008,2,-1,1,0,5,64,9007199254740991,2900,1]');
    expect(decodeBins(text)).toEqual(bins);
    const into = new Map([[0, 1], [7, 3]]);
    decodeBins(text, into);
    expect(into).toEqual(new Map([[0, 6], [7, 3], [-3008, 2], [-1, 1], [64, 9_007_199_254_740_991], [2900, 1]]));
  });

  it('reads any JSON array of numbers the same way JSON.parse does (spaces, exponents, fractions)', () => {
    for (const text of ['[1, 2, 3, 4]', '[ -5 ,1,-5,2 ]', '[1e3,2,5,0.5]', '[]', '']) {
      const expected = new Map<number, number>();
      if (text.trim() !== '' && text !== '[]') {
        const flat = JSON.parse(text) as number[];
        for (let i = 0; i < flat.length; i += 2) expected.set(flat[i], (expected.get(flat[i]) ?? 0) + flat[i + 1]);
      }
      expect(decodeBins(text)).toEqual(expected);
    }
    expect(decodeBins(null)).toEqual(new Map());
  });
});
