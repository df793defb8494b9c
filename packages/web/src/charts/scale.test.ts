import { describe, expect, it } from 'vitest';
import { axisFor, formatCompact, formatLatency, niceStep, niceTicks, scaleY, unitOf } from './scale.js';

describe('niceTicks', () => {
  it('steps by 1, 2, 2.5 or 5 times a power of ten and covers the data from zero', () => {
    expect(niceStep(0.7)).toBe(1);
    expect(niceStep(1.6)).toBe(2);
    expect(niceStep(2.2)).toBe(2.5);
    expect(niceStep(37)).toBe(50);
    expect(niceTicks(0, 93)).toEqual({ min: 0, max: 100, ticks: [0, 25, 50, 75, 100] });
    expect(niceTicks(0, 0.0003)).toEqual({ min: 0, max: 0.0003, ticks: [0, 0.0001, 0.0002, 0.0003] });
    expect(niceTicks(-1, 1).ticks).toEqual([-1, -0.5, 0, 0.5, 1]);
  });

  it('gives an empty series a unit axis rather than dividing by zero', () => {
    expect(niceTicks(0, 0)).toEqual({ min: 0, max: 1, ticks: [0, 0.25, 0.5, 0.75, 1] });
    const y = scaleY({ min: 0, max: 0 }, 100, 0);
    expect(y(0)).toBe(100);
  });
});

describe('axes', () => {
  it('labels durations in one readable unit chosen by the largest value', () => {
    const seconds = axisFor([1500, null, 90_000], 'duration');
    expect(seconds.ticks.map(seconds.format)).toEqual(['0 s', '25 s', '50 s', '75 s', '100 s']);
    expect(seconds.max).toBe(100_000);
    const minutes = axisFor([600_000], 'duration');
    expect(minutes.ticks.map(minutes.format)).toEqual(['0 min', '2.5 min', '5 min', '7.5 min', '10 min']);
    const millis = axisFor([420], 'duration');
    expect(millis.ticks.map(millis.format)).toEqual(['0 ms', '200 ms', '400 ms', '600 ms']);
  });

  it('never gives counts fractional ticks, and shows money as money', () => {
    expect(axisFor([0, 1, 0], 'count').ticks).toEqual([0, 1]);
    expect(axisFor([3], 'count').ticks).toEqual([0, 1, 2, 3]);
    const usd = axisFor([0.00004], 'usd');
    expect(usd.ticks.map(usd.format)).toEqual(['$0', '$0.00001', '$0.00002', '$0.00003', '$0.00004']);
  });

  it('maps values onto pixels with y growing downwards', () => {
    const y = scaleY({ min: 0, max: 100 }, 200, 0);
    expect([y(0), y(50), y(100)]).toEqual([200, 100, 0]);
  });
});

describe('formatting', () => {
  it('shows latency as ms, s, min or h', () => {
    expect(formatLatency(850)).toBe('850 ms');
    expect(formatLatency(1500)).toBe('1.5 s');
    expect(formatLatency(90_000)).toBe('90 s');
    expect(formatLatency(150_000)).toBe('2.5 min');
    expect(formatLatency(3 * 3_600_000)).toBe('3 h');
    expect(formatLatency(null)).toBe('–');
  });

  it('shortens big numbers and keeps small ones', () => {
    expect(formatCompact(950)).toBe('950');
    expect(formatCompact(12_345)).toBe('12.3k');
    expect(formatCompact(3_400_000)).toBe('3.4M');
    expect(formatCompact(0.756)).toBe('0.756');
  });

  it('knows a metric unit from its measure and aggregation', () => {
    expect(unitOf('latency', 'p95')).toBe('duration');
    expect(unitOf('timeToFirstToken', 'avg')).toBe('duration');
    expect(unitOf('totalCost', 'sum')).toBe('usd');
    expect(unitOf('totalTokens', 'sum')).toBe('tokens');
    expect(unitOf('latency', 'count')).toBe('count');
    expect(unitOf('value', 'avg')).toBe('number');
  });
});
