import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SqlDialect, WritableDb } from '../db.js';
import { openPostgres, postgresDialect } from '../postgres/driver.js';
import { openSqlite, sqliteDialect } from '../sqlite/driver.js';
import { createPgTestDatabase } from '../testing/index.js';
import { binOf, binSql, binValue, percentileOfBins, percentileOfSorted, RELATIVE_ERROR, sortBins } from './histogram.js';
import { bucketSql, bucketStart } from './time-buckets.js';

const SAMPLES = [
  0, 1, 2, 3, 63, 64, 65, 127, 128, 129, 1000, 1023, 1024, 4095, 4096, 123_456, 2 ** 31, 2 ** 40 + 12_345, 2 ** 47 + 5,
  -1, -64, -65, -1000, -123_456,
];

describe('log-linear histogram', () => {
  it('keeps every value within the documented relative error of its bin value, exact below 64', () => {
    for (let v = -5000; v <= 200_000; v += v < 200 ? 1 : 97) {
      const err = Math.abs(binValue(binOf(v)) - v);
      if (Math.abs(v) < 64) expect(err).toBe(0);
      else expect(err / Math.abs(v)).toBeLessThanOrEqual(RELATIVE_ERROR);
    }
  });

  it('orders bins like values', () => {
    const sorted = [...SAMPLES].sort((a, b) => a - b);
    const bins = sorted.map(binOf);
    expect([...bins].sort((a, b) => a - b)).toEqual(bins);
  });

  it('reads nearest-rank percentiles from bins', () => {
    const bins = new Map<number, number>();
    for (let v = 1; v <= 100; v++) bins.set(binOf(v), (bins.get(binOf(v)) ?? 0) + 1);
    expect(percentileOfBins(bins, 50)).toBe(50);
    expect(percentileOfBins(bins, 99)).toBe(binValue(binOf(99)));
    expect(percentileOfBins(new Map(), 50)).toBeNull();
  });

  it('reads percentiles in numeric order of bins whatever the order they were filled in, negatives included', () => {
    const bins = new Map<number, number>();
    for (const v of [7, -1000, 250, 0, -3]) bins.set(binOf(v), 1);
    expect([20, 40, 60, 80, 100].map((p) => percentileOfBins(bins, p))).toEqual([-1000, -3, 0, 7, 250].map((v) => binValue(binOf(v))));
  });
});

describe('percentiles of bins sorted once', () => {
  /** The nearest-rank percentile of the values themselves, read off the sorted list. */
  const byValues = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted.length === 0 ? null : binValue(binOf(sorted[Math.max(1, Math.ceil((p * sorted.length) / 100)) - 1]));
  };

  it('answers every percentile of a group from one sort, as from the values themselves', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 40; round++) {
      const values = Array.from({ length: 1 + Math.floor(random() * 400) }, () => Math.floor((random() - 0.1) * 10 ** (1 + random() * 5)));
      const bins = new Map<number, number>();
      for (const v of values) bins.set(binOf(v), (bins.get(binOf(v)) ?? 0) + 1);
      // A bin whose rows were all deleted stays with a zero count: it never decides a rank.
      bins.set(binOf(-123_456), 0);
      const sorted = sortBins(bins);
      expect(sorted.total).toBe(values.length);
      for (const p of [1, 25, 50, 75, 90, 95, 99, 100]) {
        expect(percentileOfSorted(sorted, p)).toBe(byValues(values, p));
        expect(percentileOfBins(bins, p)).toBe(byValues(values, p));
      }
    }
    expect(percentileOfSorted(sortBins(new Map([[5, 0]])), 50)).toBeNull();
  });
});

describe.each(['sqlite', 'postgres'] as const)('SQL of bins and buckets on %s', (engine) => {
  async function withDb(fn: (db: WritableDb, d: SqlDialect) => Promise<void>): Promise<void> {
    if (engine === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'sl-hist-'));
      const db = openSqlite({ file: join(dir, 'h.db') });
      try {
        await fn(db, sqliteDialect);
      } finally {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      }
      return;
    }
    const pg = await createPgTestDatabase();
    const db = openPostgres({ connectionString: pg.url });
    try {
      await fn(db, postgresDialect);
    } finally {
      await db.close();
      await pg.drop();
    }
  }

  it('computes the same bin as JavaScript for every sample', () =>
    withDb(async (db) => {
      for (const v of SAMPLES) {
        const row = await db.get<{ b: number }>(`SELECT ${binSql('x.v')} AS b FROM (SELECT CAST(? AS BIGINT) AS v) x`, [v]);
        expect({ v, bin: Number(row?.b) }).toEqual({ v, bin: binOf(v) });
      }
    }));

  it('computes the same bucket starts as JavaScript', () =>
    withDb(async (db, d) => {
      const t = Date.UTC(2024, 1, 29, 23, 59, 59, 999);
      for (const g of ['minute', 'hour', 'day', 'week', 'month'] as const) {
        const row = await db.get<{ b: number }>(`SELECT ${bucketSql('x.t', g, d)} AS b FROM (SELECT CAST(? AS BIGINT) AS t) x`, [t]);
        expect({ g, start: Number(row?.b) }).toEqual({ g, start: bucketStart(t, g) });
      }
      expect(bucketStart(t, 'week')).toBe(Date.UTC(2024, 1, 26));
      expect(bucketStart(t, 'month')).toBe(Date.UTC(2024, 1, 1));
    }));
});
