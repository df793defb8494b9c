import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { ingestItem, rawEvent, type RawEvent } from '../testing/index.js';
import { dataset, HOUR, iso, metricsQuery as query, rollupMismatches, T0 } from '../testing/metrics-data.js';
import type { Aggregation, MetricsQuery } from './types.js';

const m = (measure: string, aggregation: Aggregation) => ({ measure, aggregation });
const METRICS = [
  m('count', 'count'), m('inputTokens', 'sum'), m('outputTokens', 'sum'), m('totalTokens', 'avg'), m('totalCost', 'sum'),
  m('inputCost', 'sum'), m('latency', 'avg'), m('latency', 'p95'), m('timeToFirstToken', 'p50'), m('streamingLatency', 'sum'),
];
const QUERIES: Partial<MetricsQuery>[] = [
  { dimensions: ['providedModelName', 'type', 'level', 'environment'], granularity: 'day', metrics: METRICS },
  { dimensions: ['name'], granularity: 'hour', metrics: METRICS },
  { metrics: METRICS },
  { view: 'traces', dimensions: ['name', 'environment'], granularity: 'hour', metrics: [m('count', 'count')] },
];

describeEachEngine('metrics: rollups under updates and deletions', (ctx) => {
  const P = 'proj-upd';
  const ingest = (...events: RawEvent[]) => ctx.storage.ingest([ingestItem(P, events)]);

  /** Rollups answer like a scan, and like rollups rebuilt from scratch. */
  async function expectConsistent(): Promise<void> {
    for (const over of QUERIES) {
      const q = query(over);
      const rollup = (await ctx.storage.metrics.query(P, q, 'rollup')).data;
      expect(rollupMismatches(rollup, (await ctx.storage.metrics.query(P, q, 'scan')).data)).toEqual([]);
    }
    const before = (await ctx.storage.metrics.query(P, query(QUERIES[0]), 'rollup')).data;
    await ctx.storage.metrics.rebuildRollups();
    expect((await ctx.storage.metrics.query(P, query(QUERIES[0]), 'rollup')).data).toEqual(before);
  }

  beforeAll(async () => {
    await ingest(...dataset(60, 11, 'u'));
    // Another project's data must never leak into this one's rollups.
    await ctx.storage.ingest([ingestItem('other-project', dataset(30, 12, 'u'))]);
  });

  it('starts consistent', expectConsistent);

  it('follows updates that change model, usage, latency, start time and level', async () => {
    const at = T0 + 200 * HOUR;
    const updates: RawEvent[] = [];
    for (let i = 0; i < 60; i += 3) {
      updates.push(rawEvent('generation-update', {
        id: `ut${i}-o0`, traceId: `ut${i}`, model: i % 2 ? 'gpt-4o' : 'gpt-3.5-turbo', usage: { input: 100 + i, output: 7 * i },
        endTime: iso(T0 + i * HOUR + 1234), level: i % 4 ? 'DEFAULT' : 'ERROR',
      }, at));
      updates.push(rawEvent('span-update', { id: `ut${i}-o1`, traceId: `ut${i}`, startTime: iso(T0 + (i + 5) * HOUR), endTime: iso(T0 + (i + 5) * HOUR + 99) }, at));
      updates.push(rawEvent('trace-create', { id: `ut${i + 1}`, name: 'renamed', environment: 'staging', timestamp: iso(T0 + i * 2 * HOUR) }, at));
    }
    await ingest(...updates.slice(0, 20));
    await ingest(...updates.slice(20));
    await expectConsistent();
  });

  it('stays exact when an older event arrives after a newer one (replay)', async () => {
    const base = T0 + 300 * HOUR;
    await ingest(rawEvent('generation-create', { id: 'late', traceId: 'ut0', model: 'gpt-4o', startTime: iso(T0 + HOUR), usage: { input: 10, output: 10 } }, base));
    await ingest(rawEvent('generation-update', { id: 'late', traceId: 'ut0', model: 'claude-3-5-sonnet-20241022', endTime: iso(T0 + HOUR + 5000) }, base + 2000));
    // Envelope time between the two: the fold is replayed, the model stays claude, the usage changes.
    await ingest(rawEvent('generation-update', { id: 'late', traceId: 'ut0', model: 'gpt-3.5-turbo', usage: { input: 999, output: 1 } }, base + 1000));
    const o = await ctx.storage.observations.get(P, 'late');
    expect(o?.model).toBe('claude-3-5-sonnet-20241022');
    expect(o?.usageDetails).toEqual({ input: 999, output: 1, total: 1000 });
    await expectConsistent();
  });

  it('takes deleted traces and their observations out of the rollups', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `ut${i * 2}`);
    const count = async () => (await ctx.storage.metrics.query(P, query({}), 'rollup')).data[0].count_count as number;
    const before = await count();
    expect(await ctx.storage.traces.delete(P, ids)).toBe(20);
    expect(await count()).toBeLessThan(before);
    await expectConsistent();
    const traces = await ctx.storage.metrics.query(P, query({ view: 'traces', metrics: [m('count', 'count')] }), 'rollup');
    expect(traces.data[0].count_count).toBe(40);
  });
});
