import { beforeAll, expect, it } from 'vitest';
import { rng } from '../../../../test/support/random.mjs';
import { describeEachEngine } from '../testing/each-engine.js';
import { ingestItem, rawEvent, type RawEvent } from '../testing/index.js';
import { HOUR, iso, metricsQuery, rollupMismatches, T0 } from '../testing/metrics-data.js';
import type { Aggregation, MetricsQuery } from './types.js';

const m = (measure: string, aggregation: Aggregation) => ({ measure, aggregation });
const VALUES = [m('count', 'count'), m('value', 'sum'), m('value', 'avg'), m('value', 'count')];
const anyOf = (column: string, value: string[]) => ({ type: 'stringOptions' as const, column, operator: 'any of' as const, value });

/**
 * Scores of every data type over ~3.5 days: numeric values with many decimals, negative ones
 * and the largest allowed magnitude, booleans, categories; some re-sent later with another
 * value, name or time (the rollups take the old contribution back), a few on a session.
 */
function scores(n: number, prefix: string): RawEvent[] {
  const r = rng(11);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const events: RawEvent[] = [];
  for (let i = 0; i < n; i++) {
    const at = T0 + Math.floor(r() * 84 * HOUR);
    const kind = pick(['NUMERIC', 'NUMERIC', 'BOOLEAN', 'CATEGORICAL']);
    const value = kind === 'NUMERIC' ? pick([Math.round(r() * 1e7) / 1e7, -r() * 10, 1e15, 0.1, 0.2]) : kind === 'BOOLEAN' ? pick([0, 1]) : pick(['good', 'bad', 'meh']);
    const body = {
      id: `${prefix}s${i}`, ...(i % 17 === 0 ? { sessionId: `${prefix}session` } : { traceId: `${prefix}t${i % 40}` }), name: pick(['quality', 'helpful', 'tone']),
      value, dataType: kind, source: pick(['API', 'EVAL', 'ANNOTATION']), environment: pick(['production', 'staging']), timestamp: iso(at),
    };
    events.push(rawEvent('score-create', body, at));
    // A later correction of the same score: another value, sometimes another name and time.
    if (kind === 'NUMERIC' && r() < 0.2) {
      const moved = at + Math.floor(r() * 10 * HOUR);
      events.push(rawEvent('score-create', { ...body, value: Math.round(r() * 1e6) / 1e3, name: pick(['quality', 'tone']), timestamp: iso(moved) }, at + 1000));
    }
  }
  return events;
}

const CASES: [string, Partial<MetricsQuery>][] = [
  ['numeric values, no grouping', { view: 'scores-numeric', metrics: VALUES }],
  ['numeric per name per hour over a partial-hour range', {
    view: 'scores-numeric', dimensions: ['name'], granularity: 'hour', fromTimestamp: T0 + 5 * HOUR + 123_457, toTimestamp: T0 + 30 * HOUR - 98_765, metrics: VALUES,
  }],
  ['numeric only (the dashboard), per day by name', { view: 'scores-numeric', dimensions: ['name'], granularity: 'day', filters: [anyOf('dataType', ['NUMERIC'])], metrics: VALUES }],
  ['by source and environment, per week', { view: 'scores-numeric', dimensions: ['source', 'environment'], granularity: 'week', metrics: VALUES }],
  ['categories (the dashboard)', { view: 'scores-categorical', dimensions: ['name', 'dataType', 'stringValue'] }],
  ['categories by value, filtered by name', { view: 'scores-categorical', dimensions: ['value'], filters: [{ type: 'string', column: 'name', operator: '=', value: 'tone' }], granularity: 'hour' }],
  ['booleans (the dashboard)', { view: 'scores-boolean', dimensions: ['name', 'dataType', 'stringValue'], metrics: VALUES }],
  ['the top names, limited', { view: 'scores-numeric', dimensions: ['name'], orderBy: [{ field: 'count_count', direction: 'desc' }], rowLimit: 2 }],
];

describeEachEngine('metrics: score rollups equal a full scan', (ctx) => {
  const P = 'proj-scores';

  beforeAll(async () => {
    const events = scores(400, 'a');
    // Several commits, and the corrections arrive in any order relative to the originals.
    for (let i = 0; i < events.length; i += 61) await ctx.storage.ingest([ingestItem(P, events.slice(i, i + 61).reverse())]);
  });

  it.each(CASES)('%s', async (_name, over) => {
    const q = metricsQuery(over);
    const rollup = await ctx.storage.metrics.query(P, q, 'rollup');
    const scan = await ctx.storage.metrics.query(P, q, 'scan');
    expect(scan.data.length).toBeGreaterThan(0);
    expect(rollupMismatches(rollup.data, scan.data)).toEqual([]);
    // Without a path the planner picks the rollups.
    expect((await ctx.storage.metrics.query(P, q)).path).toBe('rollup');
  });

  it('sums and averages score values exactly, to 10^-6', async () => {
    const p = ctx.newProject();
    const values = [0.1, 0.2, 1e15, -1e15, 0.3333337];
    await ctx.ingest(p, ...values.map((value, i) => rawEvent('score-create', { id: `v${i}`, traceId: 't', name: 'q', value, timestamp: iso(T0) }, T0)));
    for (const path of ['rollup', 'scan'] as const) {
      const [row] = (await ctx.storage.metrics.query(p, metricsQuery({ view: 'scores-numeric', metrics: [m('value', 'sum'), m('value', 'avg')] }), path)).data;
      expect(row).toMatchObject({ sum_value: 0.633334, avg_value: 0.1266668 });
    }
  });

  it('takes back deleted scores: one score, a trace with its scores', async () => {
    const p = ctx.newProject();
    await ctx.ingest(p,
      rawEvent('trace-create', { id: 't1', timestamp: iso(T0) }, T0),
      ...[1, 2, 3].map((i) => rawEvent('score-create', { id: `s${i}`, ...(i < 3 ? { traceId: 't1' } : { sessionId: 'session-1' }), name: 'q', value: i, timestamp: iso(T0 + i) }, T0 + i)));
    const q = metricsQuery({ view: 'scores-numeric', metrics: VALUES });
    const answer = async () => (await ctx.storage.metrics.query(p, q, 'rollup')).data;
    expect(await answer()).toEqual((await ctx.storage.metrics.query(p, q, 'scan')).data);
    expect(await ctx.storage.scores.delete(p, 's3')).toBe(true);
    expect(await answer()).toEqual([{ count_count: 2, sum_value: 3, avg_value: 1.5, count_value: 2 }]);
    await ctx.storage.traces.delete(p, ['t1']);
    expect(await answer()).toEqual([{ count_count: 0, sum_value: null, avg_value: null, count_value: 0 }]);
    expect(await answer()).toEqual((await ctx.storage.metrics.query(p, q, 'scan')).data);
  });

  it('rebuilding the rollups gives the same answers as maintaining them', async () => {
    const q = metricsQuery({ view: 'scores-numeric', dimensions: ['name', 'dataType'], granularity: 'day', metrics: VALUES });
    const before = await ctx.storage.metrics.query(P, q, 'rollup');
    await ctx.storage.metrics.rebuildRollups();
    expect((await ctx.storage.metrics.query(P, q, 'rollup')).data).toEqual(before.data);
  });
});
