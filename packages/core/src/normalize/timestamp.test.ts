import { describe, expect, it } from 'vitest';
import { toIso } from './timestamp.js';

describe('toIso', () => {
  it('formats every storable instant exactly as Date#toISOString does', () => {
    const edges = [0, 1, 999, 1000, 59_999, 3_599_999, 86_399_999, 86_400_000, 951_782_400_000, 1_764_720_000_123, 253_402_300_799_999];
    // Many instants on a few days, then the same days again: the cached day text must never leak.
    const sameDay = Array.from({ length: 200 }, (_, i) => 1_764_720_000_000 + i * 432_001);
    const spread = Array.from({ length: 2000 }, (_, i) => Math.floor((((i * 2654435761) % 4294967296) / 4294967296) * 253_402_300_799_999));
    for (const ms of [...edges, ...sameDay, ...spread, ...sameDay.reverse()]) expect(toIso(ms)).toBe(new Date(ms).toISOString());
  });

  it('keeps toISOString for instants outside the storable range and fractional milliseconds', () => {
    for (const ms of [-1, -86_400_001, 253_402_300_800_000, 1.5, 1_764_720_000_000.7]) expect(toIso(ms)).toBe(new Date(ms).toISOString());
    expect(() => toIso(Number.NaN)).toThrow(RangeError);
  });
});
