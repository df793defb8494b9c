import { describe, expect, it } from 'vitest';
import { GRAINS, splitRange } from './rollup-plan.js';
import { DAY, FIVE_MINUTES, HOUR } from './time-buckets.js';

const at = (d: number, h: number, m: number, s = 0) => Date.UTC(2024, 0, d, h, m, s);

describe('splitting a range over rollup grains', () => {
  it('reads whole days, then whole hours, then whole 5 minutes, and only the rest from the base tables', () => {
    const segments = splitRange(at(1, 22, 58, 30), at(4, 1, 7), GRAINS);
    expect(segments).toEqual([
      { grain: null, from: at(1, 22, 58, 30), to: at(1, 23, 0) },
      { grain: HOUR, from: at(1, 23, 0), to: at(2, 0, 0) },
      { grain: DAY, from: at(2, 0, 0), to: at(4, 0, 0) },
      { grain: HOUR, from: at(4, 0, 0), to: at(4, 1, 0) },
      { grain: FIVE_MINUTES, from: at(4, 1, 0), to: at(4, 1, 5) },
      { grain: null, from: at(4, 1, 5), to: at(4, 1, 7) },
    ]);
  });

  it('covers the range exactly, without gaps or overlaps', () => {
    for (const [from, to] of [[at(1, 0, 0), at(1, 0, 3)], [at(1, 10, 1), at(1, 11, 59)], [at(1, 0, 0), at(31, 0, 0)]]) {
      const segments = splitRange(from, to, GRAINS);
      expect(segments[0].from).toBe(from);
      expect(segments[segments.length - 1].to).toBe(to);
      segments.slice(1).forEach((s, i) => expect(s.from).toBe(segments[i].to));
      for (const s of segments) if (s.grain !== null) expect([s.from % s.grain, s.to % s.grain]).toEqual([0, 0]);
    }
    expect(splitRange(at(1, 0, 0), at(1, 0, 3), GRAINS)).toEqual([{ grain: null, from: at(1, 0, 0), to: at(1, 0, 3) }]);
  });
});
