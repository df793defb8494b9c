import { expect, it } from 'vitest';
import { rng, shuffle } from '../../../../test/support/random.mjs';
import { describeEachEngine, type EngineSuite } from '../testing/each-engine.js';
import { rawEvent, type RawEvent } from '../testing/index.js';
import { h, iso } from '../testing/store-queries.js';
import type { TraceSearchCursor, TraceSearchQuery } from '../traces/trace-store.js';

const trace = (id: string, at: number, environment = 'production') => rawEvent('trace-create', { id, timestamp: iso(at), environment }, at);
const score = (id: string, traceId: string, value: number, at = h(9), name = 'quality') => rawEvent('score-create', { id, traceId, name, value }, at);

/** Every page of a score sort (limit 1, so each cursor carries a row's kept mean). */
async function pages(ctx: EngineSuite, p: string, direction: 'asc' | 'desc', over: Partial<TraceSearchQuery> = {}): Promise<{ ids: string[]; means: Record<string, unknown> }> {
  const ids: string[] = [];
  const means: Record<string, unknown> = {};
  let cursor: TraceSearchCursor | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await ctx.storage.traces.search(p, { limit: 1, sort: { field: 'score', direction, scoreName: 'quality' }, ...over, cursor });
    ids.push(...page.rows.map((t) => t.id));
    if (!page.nextCursor) return { ids, means };
    if (page.nextCursor.value !== null) means[page.nextCursor.id] = page.nextCursor.value;
    cursor = page.nextCursor;
  }
  throw new Error('more than 50 pages');
}

/** The order the stored scores give: mean of the trace's `quality` scores, ties by id, traces without one last by id. */
async function expected(ctx: EngineSuite, p: string, ids: string[], direction: 'asc' | 'desc'): Promise<string[]> {
  const scores = (await ctx.storage.scores.ofTraces(p, ids)).filter((s) => s.name === 'quality');
  const mean = (id: string) => {
    const mine = scores.filter((s) => s.traceId === id).map((s) => s.value);
    return mine.length === 0 ? null : mine.reduce((a, b) => a + b, 0) / mine.length;
  };
  const sign = direction === 'asc' ? 1 : -1;
  const byId = (a: string, b: string) => sign * (a < b ? -1 : 1);
  return [...ids.filter((id) => mean(id) !== null).sort((a, b) => sign * (mean(a)! - mean(b)!) || byId(a, b)), ...ids.filter((id) => mean(id) === null).sort(byId)];
}

const IDS = ['A', 'B', 'C', 'D', 'E'];
/** Updates (same id, new value; an update naming another trace; a renamed score), several scores per trace. */
function events(): RawEvent[] {
  return [
    trace('A', h(1)), trace('B', h(2)), trace('C', h(3), 'staging'), trace('D', h(4)), trace('E', h(5), 'staging'),
    score('a1', 'A', 0.9, h(9)), score('a1', 'A', 0.1, h(10)),
    score('b1', 'B', 0.4), score('b2', 'B', 0.8), score('b3', 'B', 0.6),
    score('c1', 'C', 0.5, h(9)), score('c1', 'D', 0.3, h(11)),
    score('e1', 'E', 0.7, h(9)), rawEvent('score-create', { id: 'e1', traceId: 'E', name: 'other', value: 0.7 }, h(12)),
  ];
}

describeEachEngine('traces sorted by a score: means kept per trace and name', (ctx) => {
  it('equals the stored scores after updates, whatever the order and grouping of commits', async () => {
    for (let seed = 1; seed <= 5; seed++) {
      const r = rng(seed);
      const order = shuffle(events(), r);
      const p = ctx.newProject();
      for (let i = 0; i < order.length; ) {
        const n = 1 + Math.floor(r() * 3);
        await ctx.ingest(p, ...order.slice(i, i + n));
        i += n;
      }
      for (const direction of ['desc', 'asc'] as const) {
        const { ids, means } = await pages(ctx, p, direction);
        expect(ids, `seed ${seed}`).toEqual(await expected(ctx, p, IDS, direction));
        // a1 was updated to 0.1; c1 to 0.3, keeping its trace (C); e1 was renamed; B has three scores.
        expect(means, `seed ${seed}`).toEqual({ A: 0.1, B: 0.6, C: 0.3 });
      }
      expect((await pages(ctx, p, 'desc')).ids).toEqual(['B', 'C', 'A', 'E', 'D']);
      expect((await pages(ctx, p, 'asc', { environment: ['staging'] })).ids).toEqual(['C', 'E']);
    }
  });

  it('stays exact when the commits run concurrently (PostgreSQL writers side by side)', async () => {
    for (let seed = 11; seed <= 13; seed++) {
      const p = ctx.newProject();
      await Promise.all(shuffle(events(), rng(seed)).map((e) => ctx.ingest(p, e)));
      expect((await pages(ctx, p, 'desc')).means, `seed ${seed}`).toEqual({ A: 0.1, B: 0.6, C: 0.3 });
    }
  });

  it('follows deleted scores, deleted traces and retention', async () => {
    const p = ctx.newProject();
    await ctx.ingest(p, ...events());
    expect(await ctx.storage.scores.delete(p, 'b2')).toBe(true);
    expect((await pages(ctx, p, 'desc')).means).toEqual({ A: 0.1, B: 0.5, C: 0.3 });
    await ctx.storage.scores.delete(p, 'a1');
    expect(await pages(ctx, p, 'desc')).toEqual({ ids: ['B', 'C', 'E', 'D', 'A'], means: { B: 0.5, C: 0.3 } });
    await ctx.storage.traces.delete(p, ['B']);
    expect((await pages(ctx, p, 'desc')).ids).toEqual(['C', 'E', 'D', 'A']);
    // B comes back without its scores: no value.
    await ctx.ingest(p, trace('B', h(2)));
    expect(await pages(ctx, p, 'desc')).toEqual({ ids: ['C', 'E', 'D', 'B', 'A'], means: { C: 0.3 } });

    // A score on a trace not stored yet, expired by retention before the trace arrives.
    await ctx.ingest(p, rawEvent('score-create', { id: 'g1', traceId: 'G', name: 'quality', value: 0.95, timestamp: iso(h(1)) }, h(1)));
    await ctx.storage.retention.deleteExpired(p, h(3), 100);
    await ctx.ingest(p, trace('G', h(20)));
    expect((await pages(ctx, p, 'desc')).means).toEqual({ C: 0.3 });
  });
});
