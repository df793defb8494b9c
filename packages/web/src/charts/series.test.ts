import { describe, expect, it } from 'vitest';
import { chartRequest } from './MetricChart.js';
import { firstWithData, perBucket, seriesByDimension } from './series.js';
import { linePath } from './TimeChart.js';

const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const buckets = [0, H, 2 * H, 3 * H];

describe('per-bucket series', () => {
  it('puts 0 in an empty bucket of a count and a gap in one of an average', () => {
    const rows = [{ time_dimension: iso(H), count_count: 2, avg_value: 0.5 }, { time_dimension: iso(3 * H), count_count: 1, avg_value: 1 }];
    expect(perBucket(rows, buckets, 'count_count', 0)).toEqual([0, 2, 0, 1]);
    expect(perBucket(rows, buckets, 'avg_value', null)).toEqual([null, 0.5, null, 1]);
  });

  it('splits rows by a dimension, largest series first, and adds rows of one bucket', () => {
    const rows = [
      { time_dimension: iso(0), level: 'DEFAULT', count_count: 1 },
      { time_dimension: iso(0), level: 'ERROR', count_count: 2 },
      { time_dimension: iso(2 * H), level: 'ERROR', count_count: 3 },
    ];
    expect(seriesByDimension(rows, buckets, 'count_count', 'level', 0).map((s) => [s.name, s.values])).toEqual([
      ['ERROR', [2, 0, 3, 0]],
      ['DEFAULT', [1, 0, 0, 0]],
    ]);
    expect(perBucket(rows, buckets, 'count_count', 0)).toEqual([3, 0, 3, 0]);
    expect(firstWithData([{ values: [0, 0, 3, 0] }, { values: [null, 1, null, null] }])).toBe(1);
  });
});

describe('linePath', () => {
  it('draws straight segments and breaks the line at a bucket without data', () => {
    expect(linePath([1, 2, null, 4, 5], (i) => i * 10, (v) => 100 - v)).toBe('M0.0,99.0L10.0,98.0M30.0,96.0L40.0,95.0');
    expect(linePath([null, 3, null], (i) => i, (v) => v)).toBe('M1.0,3.0');
  });
});

describe('chartRequest', () => {
  const q = { view: 'traces', metrics: [{ measure: 'count', aggregation: 'count' }] };
  const now = Date.UTC(2025, 4, 14);

  it('sends the saved query with the viewer range, and the fitting bucket for auto', () => {
    const { json, bucket } = chartRequest({ ...q, timeDimension: { granularity: 'auto' } }, now - 86_400_000, now, 'hour');
    expect(bucket).toBe('hour');
    expect(json).toEqual({ ...q, timeDimension: { granularity: 'hour' }, fromTimestamp: '2025-05-13T00:00:00.000Z', toTimestamp: '2025-05-14T00:00:00.000Z' });
    expect(chartRequest(q, now - 1000, now, 'minute')).toMatchObject({ bucket: null, json: { timeDimension: null } });
  });

  it('keeps a saved bucket unless the range holds more than 1000 of them', () => {
    expect(chartRequest({ ...q, timeDimension: { granularity: 'day' } }, now - 86_400_000, now, 'hour').bucket).toBe('day');
    expect(chartRequest({ ...q, timeDimension: { granularity: 'hour' } }, 0, now, 'month').bucket).toBe('month');
  });
});
