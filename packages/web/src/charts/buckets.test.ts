import { describe, expect, it } from 'vitest';
import { bucketLabel, bucketNote, bucketStarts, bucketTitle, chooseBucket, labelledBuckets } from './buckets.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2025, 4, 14, 15, 37);

describe('chooseBucket', () => {
  it('fits the bucket to the range: by minute for an hour, hourly for a day, daily for a month', () => {
    expect(chooseBucket(NOW - HOUR, NOW)).toBe('minute');
    expect(chooseBucket(NOW - DAY, NOW)).toBe('hour');
    expect(chooseBucket(NOW - 30 * DAY, NOW)).toBe('day');
    expect(chooseBucket(NOW - 365 * DAY, NOW)).toBe('week');
    expect(chooseBucket(NOW - 5 * 365 * DAY, NOW)).toBe('month');
  });

  it('gives 24 to 60 buckets whenever a granularity can', () => {
    for (const [span, n] of [[HOUR, 60], [DAY, 24], [2 * DAY, 48], [30 * DAY, 30], [45 * DAY, 45]] as const) {
      expect(bucketStarts(NOW - span, NOW, chooseBucket(NOW - span, NOW)).length).toBeGreaterThanOrEqual(n);
      expect(bucketStarts(NOW - span, NOW, chooseBucket(NOW - span, NOW)).length).toBeLessThanOrEqual(n + 1);
    }
  });

  it('takes the nearest count when none fits: a week is hourly (168) rather than daily (7)', () => {
    expect(chooseBucket(NOW - 7 * DAY, NOW)).toBe('hour');
    expect(chooseBucket(NOW - 3 * HOUR, NOW)).toBe('minute');
    expect(chooseBucket(NOW - 90 * DAY, NOW)).toBe('day');
  });
});

describe('bucket starts and labels', () => {
  it('starts buckets on UTC boundaries, weeks on Monday, months on the 1st', () => {
    expect(bucketStarts(NOW - 2 * HOUR, NOW, 'hour')).toEqual([Date.UTC(2025, 4, 14, 13), Date.UTC(2025, 4, 14, 14), Date.UTC(2025, 4, 14, 15)]);
    expect(bucketStarts(Date.UTC(2025, 4, 14), Date.UTC(2025, 4, 20), 'week')).toEqual([Date.UTC(2025, 4, 12), Date.UTC(2025, 4, 19)]);
    expect(bucketStarts(Date.UTC(2025, 0, 31), Date.UTC(2025, 2, 2), 'month')).toEqual([Date.UTC(2025, 0, 1), Date.UTC(2025, 1, 1), Date.UTC(2025, 2, 1)]);
  });

  it('labels buckets in UTC and says so', () => {
    const start = Date.UTC(2025, 0, 5, 14);
    expect(bucketLabel(start, 'hour')).toBe('14:00');
    expect(bucketLabel(start, 'day')).toBe('Jan 5');
    expect(bucketLabel(start, 'month')).toBe('Jan 2025');
    expect(bucketTitle(start, 'hour')).toBe('2025-01-05 14:00 UTC');
    expect(bucketTitle(start, 'day')).toBe('2025-01-05');
    expect(bucketLabel(start, 'hour', true)).toBe('Jan 5 14:00');
    expect(bucketNote('hour')).toBe('Hourly buckets, UTC');
  });

  it('labels the x axis on round times, at most seven of them', () => {
    const week = bucketStarts(NOW - 7 * DAY, NOW, 'hour');
    const labels = labelledBuckets(week, 'hour').map((i) => week[i]);
    expect(labels.length).toBeLessThanOrEqual(7);
    expect(labels.every((t) => new Date(t).getUTCHours() === 0)).toBe(true);
    const day = bucketStarts(NOW - DAY, NOW, 'hour');
    expect(labelledBuckets(day, 'hour').map((i) => new Date(day[i]).getUTCHours())).toEqual([18, 0, 6, 12]);
    const month = bucketStarts(NOW - 30 * DAY, NOW, 'day');
    expect(labelledBuckets(month, 'day').length).toBeLessThanOrEqual(7);
  });
});
