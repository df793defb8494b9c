import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { ingestItem, rawEvent } from '../testing/index.js';
import { dataset, HOUR, iso, metricsQuery, rollupMismatches, T0 } from '../testing/metrics-data.js';
import { binOf, binValue, percentileRank } from './histogram.js';
import type { Aggregation, MetricsQuery } from './types.js';

const m = (measure: string, aggregation: Aggregation) => ({ measure, aggregation });
const METRICS = [m('count', 'count'), m('latency', 'sum'), m('latency', 'count'), m('latency', 'p50'), m('latency', 'p95'), m('latency', 'p99')];
const QUERIES: Partial<MetricsQuery>[] = [
  { view: 'traces', metrics: METRICS },
  { view: 'traces', dimensions: ['name', 'environment'], granularity: 'hour', metrics: METRICS },
];

/** A shuffle that depends only on `seed`. */
function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describeEachEngine('metrics: trace latency from rollups', (ctx) => {
  /**
   * The traces' latency straight from their observations (MAX(end) − MIN(start), none without
   * an end), as the whole-range answer of QUERIES[0] should give it: percentiles binned.
   */
  async function direct(projectId: string, traceIds: string[]): Promise<Record<string, number | null>> {
    const traces = await ctx.storage.traces.getMany(projectId, traceIds);
    const observations = await ctx.storage.observations.ofTraces(projectId, traceIds);
    const latencies: number[] = [];
    for (const t of traces) {
      const own = observations.filter((o) => o.traceId === t.id);
      const ends = own.flatMap((o) => (o.endTime === null ? [] : [o.endTime]));
      if (ends.length > 0) latencies.push(Math.max(...ends) - Math.min(...own.map((o) => o.startTime)));
    }
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => (latencies.length === 0 ? null : binValue(binOf(latencies[Math.max(1, percentileRank(p, latencies.length)) - 1])));
    return {
      count_count: traces.length, sum_latency: latencies.length === 0 ? null : latencies.reduce((a, b) => a + b, 0), count_latency: latencies.length,
      p50_latency: pct(50), p95_latency: pct(95), p99_latency: pct(99),
    };
  }

  async function expectRollupsEqualScan(projectId: string): Promise<void> {
    for (const over of QUERIES) {
      const q = metricsQuery(over);
      const rollup = await ctx.storage.metrics.query(projectId, q, 'rollup');
      const scan = await ctx.storage.metrics.query(projectId, q, 'scan');
      expect(rollupMismatches(rollup.data, scan.data)).toEqual([]);
    }
  }

  it('equals the scan whatever order the traces and observations arrive in', async () => {
    const events = dataset(60, 3, 'o');
    const answers = [];
    for (const [i, order] of [events, [...events].reverse(), shuffled(events, 5)].entries()) {
      const p = ctx.newProject();
      // Small commits: a trace's observations land in different commits, some before the trace.
      for (let k = 0; k < order.length; k += 13 + i) await ctx.storage.ingest([ingestItem(p, order.slice(k, k + 13 + i))]);
      await expectRollupsEqualScan(p);
      const ids = Array.from({ length: 60 }, (_, t) => `ot${t}`);
      expect((await ctx.storage.metrics.query(p, metricsQuery(QUERIES[0]), 'rollup')).data).toEqual([await direct(p, ids)]);
      answers.push((await ctx.storage.metrics.query(p, metricsQuery(QUERIES[1]), 'rollup')).data);
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('follows observations that end later or start later, and traces deleted', async () => {
    const p = ctx.newProject();
    const at = (ms: number) => iso(T0 + ms);
    await ctx.ingest(p,
      rawEvent('trace-create', { id: 'a', name: 'chat', timestamp: at(0) }, T0),
      rawEvent('trace-create', { id: 'b', name: 'chat', timestamp: at(HOUR) }, T0),
      rawEvent('trace-create', { id: 'empty', name: 'chat', timestamp: at(0) }, T0),
      rawEvent('span-create', { id: 'a1', traceId: 'a', startTime: at(0), endTime: at(500) }, T0),
      rawEvent('span-create', { id: 'a2', traceId: 'a', startTime: at(100) }, T0),
      rawEvent('span-create', { id: 'b1', traceId: 'b', startTime: at(HOUR + 10) }, T0));
    await expectRollupsEqualScan(p);
    const latencies = async () => (await ctx.storage.metrics.query(p, metricsQuery({ view: 'traces', metrics: [m('latency', 'sum'), m('latency', 'count')] }), 'rollup')).data;
    // a: 0–500 ms; b has no end yet; empty has no observations.
    expect(await latencies()).toEqual([{ sum_latency: 500, count_latency: 1 }]);
    // a2 ends later; b1 gets an end.
    await ctx.ingest(p, rawEvent('span-update', { id: 'a2', traceId: 'a', endTime: at(2000) }, T0 + 1), rawEvent('span-update', { id: 'b1', traceId: 'b', endTime: at(HOUR + 40) }, T0 + 1));
    expect(await latencies()).toEqual([{ sum_latency: 2030, count_latency: 2 }]);
    // a1 is sent again with a later start.
    await ctx.ingest(p, rawEvent('span-update', { id: 'a1', traceId: 'a', startTime: at(300) }, T0 + 2));
    const whole = async () => (await ctx.storage.metrics.query(p, metricsQuery(QUERIES[0]), 'rollup')).data;
    expect(await whole()).toEqual([await direct(p, ['a', 'b', 'empty'])]);
    await expectRollupsEqualScan(p);
    await ctx.storage.traces.delete(p, ['b']);
    expect(await whole()).toEqual([await direct(p, ['a', 'empty'])]);
    await expectRollupsEqualScan(p);
    await ctx.storage.traces.delete(p, ['a', 'empty']);
    expect(await latencies()).toEqual([{ sum_latency: null, count_latency: 0 }]);
  });

  it('follows an observation that moves to another trace, taking the bounds it held along', async () => {
    const p = ctx.newProject();
    const at = (ms: number) => iso(T0 + ms);
    await ctx.ingest(p,
      rawEvent('trace-create', { id: 'a', name: 'chat', timestamp: at(0) }, T0),
      rawEvent('trace-create', { id: 'b', name: 'chat', timestamp: at(0) }, T0),
      rawEvent('span-create', { id: 'a1', traceId: 'a', startTime: at(0), endTime: at(900) }, T0),
      rawEvent('span-create', { id: 'a2', traceId: 'a', startTime: at(100), endTime: at(200) }, T0),
      rawEvent('span-create', { id: 'b1', traceId: 'b', startTime: at(50), endTime: at(80) }, T0));
    // An earlier event of a1 names trace b (the first event's trace wins): a1 held both of a's bounds; in b it widens b's.
    await ctx.ingest(p, rawEvent('span-update', { id: 'a1', traceId: 'b' }, T0 - 1));
    const whole = async () => (await ctx.storage.metrics.query(p, metricsQuery(QUERIES[0]), 'rollup')).data;
    expect(await whole()).toEqual([await direct(p, ['a', 'b'])]);
    await expectRollupsEqualScan(p);
    const moved = await ctx.storage.observations.ofTraces(p, ['a', 'b']);
    expect(moved.map((o) => `${o.id}:${o.traceId}`).sort()).toEqual(['a1:b', 'a2:a', 'b1:b']);
    const byLatency = await ctx.storage.traces.search(p, { sort: { field: 'latency', direction: 'asc' }, limit: 10 });
    expect(byLatency.rows.map((t) => t.id)).toEqual(['a', 'b']);
  });

  it('rebuilding gives what ingestion maintained', async () => {
    const p = ctx.newProject();
    const events = dataset(40, 9, 'r');
    for (let k = 0; k < events.length; k += 17) await ctx.storage.ingest([ingestItem(p, events.slice(k, k + 17).reverse())]);
    const q = metricsQuery(QUERIES[1]);
    const before = await ctx.storage.metrics.query(p, q, 'rollup');
    await ctx.storage.metrics.rebuildRollups();
    expect((await ctx.storage.metrics.query(p, q, 'rollup')).data).toEqual(before.data);
  });
});
