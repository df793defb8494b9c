import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { ingestItem, metricsQuery, rawEvent, rollupMismatches } from '../testing/index.js';

const T0 = Date.UTC(2024, 5, 1, 12);
const CHILDREN = 25_000;

describeEachEngine('deleting a trace with more children than one transaction may lock', (ctx) => {
  // PostgreSQL keeps entity locks in a shared table of fixed size (about 12,000 here by default):
  // deleting 25,000 observations and scores under one lock set would fail with "out of shared memory".
  it('deletes every observation and score, and takes them all out of the rollups', async () => {
    const P = 'proj-big';
    const at = (i: number) => new Date(T0 + i * 1000).toISOString();
    const events = [rawEvent('trace-create', { id: 'big', name: 'big', timestamp: at(0) }, T0), rawEvent('trace-create', { id: 'kept', name: 'kept', timestamp: at(0) }, T0)];
    let kept = 0;
    for (let i = 0; i < CHILDREN; i++) {
      if (i % 5 !== 4 && i % 97 === 0) kept++;
      events.push(i % 5 === 4
        ? rawEvent('score-create', { id: `s${i}`, traceId: 'big', name: 'q', value: 1, timestamp: at(i) }, T0)
        : rawEvent('span-create', { id: `o${i}`, traceId: i % 97 === 0 ? 'kept' : 'big', name: 'step', startTime: at(i), endTime: at(i + 1) }, T0));
    }
    for (let i = 0; i < events.length; i += 10_000) await ctx.storage.ingest([ingestItem(P, events.slice(i, i + 10_000))]);

    expect(await ctx.storage.traces.delete(P, ['big', 'kept-not-asked', 'big'])).toBe(1);

    expect(await ctx.storage.traces.get(P, 'big')).toBeNull();
    expect(await ctx.storage.traces.get(P, 'kept')).not.toBeNull();
    expect((await ctx.storage.observations.list(P, { page: 1, limit: 1 })).totalItems).toBe(kept);
    expect((await ctx.storage.scores.list(P, { page: 1, limit: 1 })).totalItems).toBe(0);
    for (const view of ['observations', 'traces'] as const) {
      const q = metricsQuery({ view, fromTimestamp: T0 - 3_600_000, toTimestamp: T0 + CHILDREN * 1000 + 3_600_000, granularity: 'day', metrics: [{ measure: 'count', aggregation: 'count' }] });
      const rollup = await ctx.storage.metrics.query(P, q, 'rollup');
      expect(rollupMismatches(rollup.data, (await ctx.storage.metrics.query(P, q, 'scan')).data)).toEqual([]);
    }
  }, 120_000);
});
