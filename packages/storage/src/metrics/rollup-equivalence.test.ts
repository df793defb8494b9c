import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { ingestItem } from '../testing/index.js';
import { dataset, HOUR, metricsQuery as query, rollupMismatches, T0 } from '../testing/metrics-data.js';
import type { Aggregation, MetricsQuery } from './types.js';

const H10 = Date.UTC(2024, 2, 5, 10);
const m = (measure: string, aggregation: Aggregation) => ({ measure, aggregation });
const SUMS = ['inputTokens', 'outputTokens', 'totalTokens', 'inputCost', 'outputCost', 'totalCost', 'latency', 'timeToFirstToken', 'streamingLatency'];
const ALL_METRICS = [
  m('count', 'count'), m('count', 'sum'),
  ...SUMS.flatMap((s) => [m(s, 'sum'), m(s, 'avg'), m(s, 'count')]),
  ...(['p50', 'p75', 'p90', 'p95', 'p99'] as const).flatMap((p) => [m('latency', p), m('timeToFirstToken', p)]),
];

const TRACE_METRICS = [m('count', 'count'), m('latency', 'sum'), m('latency', 'avg'), m('latency', 'count'), m('latency', 'p50'), m('latency', 'p95'), m('latency', 'p99')];

/** Queries rollups can answer, over ranges with and without partial 5 minutes, hours and days at their edges. */
const CASES: [string, Partial<MetricsQuery>][] = [
  ['all metrics, no grouping', { metrics: ALL_METRICS }],
  ['by model and type, per day', { dimensions: ['providedModelName', 'type'], granularity: 'day', metrics: ALL_METRICS }],
  ['per hour over a partial-hour range', { granularity: 'hour', fromTimestamp: T0 + 5 * HOUR + 123_457, toTimestamp: T0 + 30 * HOUR - 98_765, metrics: ALL_METRICS }],
  ['per week and per month', { dimensions: ['environment'], granularity: 'week', metrics: [m('count', 'count'), m('totalCost', 'sum')] }],
  ['per month', { dimensions: ['level', 'name'], granularity: 'month', metrics: [m('latency', 'p95'), m('totalTokens', 'avg')] }],
  ['auto granularity (day over 102 h)', { granularity: 'auto', metrics: [m('count', 'count'), m('latency', 'p50')] }],
  // 10:01 to 11:59: 5-minute rollups and partial 5 minutes from the base tables; 10:01–10:04 only the base tables.
  ['a range without a whole hour', { fromTimestamp: H10 + 60_000, toTimestamp: H10 + 2 * HOUR - 60_000, dimensions: ['type'], metrics: ALL_METRICS }],
  ['whole days only', { fromTimestamp: Date.UTC(2024, 2, 5), toTimestamp: Date.UTC(2024, 2, 7), dimensions: ['name'], metrics: ALL_METRICS }],
  ['filters on rollup dimensions', {
    dimensions: ['providedModelName'],
    metrics: ALL_METRICS,
    filters: [
      { column: 'environment', operator: '=', value: 'production', type: 'string' },
      { column: 'type', operator: 'any of', value: ['GENERATION', 'SPAN'], type: 'stringOptions' },
      { column: 'providedModelName', operator: 'is not null', type: 'null' },
      { column: 'name', operator: 'does not contain', value: 'tool', type: 'string' },
    ],
  }],
  ['level none-of, ordered by a metric, limited', {
    dimensions: ['name', 'level'],
    filters: [{ column: 'level', operator: 'none of', value: ['DEBUG'], type: 'stringOptions' }],
    metrics: [m('count', 'count'), m('latency', 'avg')],
    orderBy: [{ field: 'avg_latency', direction: 'desc' }],
    rowLimit: 5,
  }],
  ['traces per hour by name', { view: 'traces', dimensions: ['name', 'environment'], granularity: 'hour', metrics: [m('count', 'count')] }],
  ['trace latency per hour by name', { view: 'traces', dimensions: ['name'], granularity: 'hour', metrics: TRACE_METRICS }],
  ['trace latency, the whole range (the dashboard)', { view: 'traces', metrics: TRACE_METRICS }],
  ['traces filtered by environment', { view: 'traces', filters: [{ column: 'environment', operator: 'starts with', value: 'prod', type: 'string' }], metrics: [m('count', 'sum')] }],
];

describeEachEngine('metrics: rollups equal a full scan', (ctx) => {
  const P = 'proj-eq';

  beforeAll(async () => {
    const events = dataset(150);
    // Several commits, as ingestion would make them.
    for (let i = 0; i < events.length; i += 97) await ctx.storage.ingest([ingestItem(P, events.slice(i, i + 97))]);
  });

  it.each(CASES)('%s', async (_name, over) => {
    const q = query(over);
    const rollup = await ctx.storage.metrics.query(P, q, 'rollup');
    const scan = await ctx.storage.metrics.query(P, q, 'scan');
    expect(rollup.path).toBe('rollup');
    expect(scan.path).toBe('scan');
    expect(scan.data.length).toBeGreaterThan(0);
    expect(rollupMismatches(rollup.data, scan.data)).toEqual([]);
  });

  it('picks rollups when they cover the query and scans otherwise', async () => {
    expect((await ctx.storage.metrics.query(P, query({ dimensions: ['providedModelName'], granularity: 'day' }))).path).toBe('rollup');
    const uncovered: Partial<MetricsQuery>[] = [
      { dimensions: ['traceName'] },
      { granularity: 'minute', toTimestamp: T0 + HOUR },
      { metrics: [m('latency', 'max')] },
      { metrics: [m('streamingLatency', 'p95')] },
      { metrics: [m('countScores', 'sum')] },
      { filters: [{ column: 'userId', operator: '=', value: 'u1', type: 'string' }] },
      { filters: [{ column: 'metadata', key: 'k', operator: '=', value: 'v', type: 'stringObject' }] },
      { view: 'scores-numeric', metrics: [m('value', 'p95')] },
      { view: 'scores-numeric', dimensions: ['traceName'] },
    ];
    for (const over of uncovered) {
      expect((await ctx.storage.metrics.query(P, query(over))).path).toBe('scan');
      await expect(ctx.storage.metrics.query(P, query(over), 'rollup')).rejects.toThrow(/rollups cannot answer/);
    }
  });

  it('rebuilding the rollups from the base tables gives the same answers as maintaining them', async () => {
    const q = query({ dimensions: ['providedModelName', 'level'], granularity: 'day', metrics: ALL_METRICS });
    const before = await ctx.storage.metrics.query(P, q, 'rollup');
    await ctx.storage.metrics.rebuildRollups();
    expect((await ctx.storage.metrics.query(P, q, 'rollup')).data).toEqual(before.data);
  });
});
