import { beforeAll, expect, it } from 'vitest';
import { rng, shuffle } from '../../../../test/support/random.mjs';
import { describeEachEngine, type EngineSuite } from '../testing/each-engine.js';
import { rawEvent, type RawEvent } from '../testing/index.js';
import { h, iso } from '../testing/store-queries.js';
import type { TraceSearchCursor, TraceSearchQuery, TraceSearchSortField } from './trace-store.js';

const gen = (id: string, traceId: string, start: number, end: number | null, extra: Record<string, unknown> = {}) =>
  rawEvent('generation-create', { id, traceId, startTime: iso(start), ...(end === null ? {} : { endTime: iso(end) }), ...extra }, start);
const trace = (id: string, at: number, userId = 'u1') => rawEvent('trace-create', { id, userId, timestamp: iso(at) }, at);
const score = (id: string, traceId: string, value: number, name = 'quality') => rawEvent('score-create', { id, traceId, name, value }, h(9));

/** Ties (A/B latency, B/E cost), a trace without observations (D, F), scores on some. */
const EVENTS: RawEvent[] = [
  trace('A', h(1)), trace('B', h(2)), trace('C', h(3), 'u2'), trace('D', h(4)), trace('E', h(5)), trace('F', h(6), 'u2'),
  gen('a1', 'A', h(1), h(1) + 5000, { usageDetails: { total: 100 }, costDetails: { total: 0.5 } }),
  gen('b1', 'B', h(2), h(2) + 5000, { usageDetails: { total: 300 }, costDetails: { total: 0.1 } }),
  gen('c1', 'C', h(3), h(3) + 1000, { usageDetails: { total: 50 }, costDetails: { total: 1.5 } }),
  gen('c2', 'C', h(3) + 500, null, { costDetails: { total: 0.5 } }),
  gen('e1', 'E', h(5), null, { costDetails: { total: 0.1 } }),
  score('sa', 'A', 0.9), score('sb', 'B', 0.2), score('sd', 'D', 0.5), score('sd2', 'D', 0.7), score('sx', 'C', 1, 'other'),
];

const base = (over: Partial<TraceSearchQuery>): TraceSearchQuery => ({ sort: { field: 'timestamp', direction: 'desc' }, limit: 2, ...over });

/** Every page of a search, following nextCursor; the cursors too. */
async function allPages(ctx: EngineSuite, p: string, q: TraceSearchQuery): Promise<{ ids: string[]; cursors: TraceSearchCursor[] }> {
  const ids: string[] = [];
  const cursors: TraceSearchCursor[] = [];
  let cursor: TraceSearchCursor | undefined;
  for (let i = 0; i < 20; i++) {
    const page = await ctx.storage.traces.search(p, { ...q, cursor });
    ids.push(...page.rows.map((t) => t.id));
    if (!page.nextCursor) return { ids, cursors };
    cursors.push(page.nextCursor);
    cursor = page.nextCursor;
  }
  throw new Error('more than 20 pages');
}

/** The order a sort must give, from the base rows: by value then id, traces without a value last (by id), in the direction. */
async function expectedOrder(ctx: EngineSuite, p: string, ids: string[], field: TraceSearchSortField, direction: 'asc' | 'desc'): Promise<string[]> {
  const totals = await ctx.storage.traces.totals(p, ids);
  const scores = await ctx.storage.scores.ofTraces(p, ids);
  const value = (id: string): number | null => {
    const t = totals.get(id)!;
    if (field === 'score') {
      const mine = scores.filter((s) => s.traceId === id && s.name === 'quality');
      return mine.length === 0 ? null : mine.reduce((a, s) => a + s.value, 0) / mine.length;
    }
    if (t.observationCount === 0) return null;
    return field === 'latency' ? t.latencyMs : field === 'cost' ? t.totalCost : t.totalTokens;
  };
  const sign = direction === 'asc' ? 1 : -1;
  const byId = (a: string, b: string) => sign * (a < b ? -1 : 1);
  const withValue = ids.filter((id) => value(id) !== null).sort((a, b) => sign * (value(a)! - value(b)!) || byId(a, b));
  return [...withValue, ...ids.filter((id) => value(id) === null).sort(byId)];
}

describeEachEngine('trace search sorted by latency, cost, tokens and score', (ctx) => {
  const p = ctx.newProject();
  const other = ctx.newProject();
  beforeAll(async () => {
    await ctx.ingest(p, ...EVENTS);
    // Another project's traces outrank all of them: none may show.
    await ctx.ingest(other, trace('A', h(1)), gen('oa', 'A', h(1), h(1) + 99_000, { usageDetails: { total: 9999 }, costDetails: { total: 99 } }), score('os', 'A', 5));
  });

  for (const field of ['latency', 'cost', 'tokens', 'score'] as const) {
    for (const direction of ['desc', 'asc'] as const) {
      it(`${field} ${direction}: pages in order, ties by id, traces without a value last, other projects' traces never`, async () => {
        const q = base({ sort: { field, direction, scoreName: 'quality' } });
        const expected = await expectedOrder(ctx, p, ['A', 'B', 'C', 'D', 'E', 'F'], field, direction);
        const { ids } = await allPages(ctx, p, q);
        expect(ids).toEqual(expected);
        // Any page size gives the same order.
        expect((await allPages(ctx, p, { ...q, limit: 1 })).ids).toEqual(expected);
        expect((await allPages(ctx, p, { ...q, limit: 50 })).ids).toEqual(expected);
        // Filters still apply.
        const u2 = await allPages(ctx, p, { ...q, userId: 'u2' });
        expect(u2.ids).toEqual(expected.filter((id) => id === 'C' || id === 'F'));
      });
    }
  }

  it('latency desc puts the 5 s ties first (B before A by id), the unfinished trace last of those with observations', async () => {
    expect((await allPages(ctx, p, base({ sort: { field: 'latency', direction: 'desc' } }))).ids).toEqual(['B', 'A', 'C', 'E', 'F', 'D']);
  });

  it('counts matches exactly, and past the exact bound estimates and says so', async () => {
    expect(await ctx.storage.traces.count(p, base({}))).toEqual({ count: 6, estimated: false });
    expect(await ctx.storage.traces.count(p, base({ userId: 'u2' }))).toEqual({ count: 2, estimated: false });
    expect(await ctx.storage.traces.count(other, base({}))).toEqual({ count: 1, estimated: false });
    const many = ctx.newProject();
    // 40 traces, one an hour: walking the newest 11 covers 10 hours of the 39.
    await ctx.ingest(many, ...Array.from({ length: 40 }, (_, i) => trace(`m${String(i).padStart(2, '0')}`, h(i))));
    const est = await ctx.storage.traces.count(many, base({}), { exactUpTo: 10 });
    expect(est.estimated).toBe(true);
    expect(est.count).toBeGreaterThanOrEqual(35);
    expect(est.count).toBeLessThanOrEqual(45);
    expect(await ctx.storage.traces.count(many, base({ fromTimestamp: h(35) }), { exactUpTo: 10 })).toEqual({ count: 5, estimated: false });
  });
});

/** Observation times that move: the kept latency must equal the base rows' whatever the order of commits. */
function moving(): RawEvent[] {
  return [
    trace('T', h(1)), trace('U', h(2)), trace('Z', h(3)),
    gen('x1', 'T', h(1), h(1) + 2000),
    gen('x2', 'T', h(1) + 100, h(1) + 9000),
    rawEvent('generation-update', { id: 'x2', traceId: 'T', endTime: iso(h(1) + 3000) }, h(1) + 10_000),
    rawEvent('generation-update', { id: 'x1', traceId: 'T', startTime: iso(h(1) + 50) }, h(1) + 11_000),
    gen('y1', 'U', h(2), h(2) + 4000),
    gen('y2', 'U', h(2) - 60_000, h(2) + 60_000),
  ];
}

describeEachEngine('latency kept at ingestion', (ctx) => {
  it('equals the base rows whatever the order and grouping of commits', async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const r = rng(seed);
      const order = shuffle(moving(), r);
      const p = ctx.newProject();
      for (let i = 0; i < order.length; ) {
        const n = 1 + Math.floor(r() * 3);
        await ctx.ingest(p, ...order.slice(i, i + n));
        i += n;
      }
      // With limit 1, each page's cursor carries the kept latency of its row.
      const { ids, cursors } = await allPages(ctx, p, base({ sort: { field: 'latency', direction: 'desc' }, limit: 1 }));
      const totals = await ctx.storage.traces.totals(p, ['T', 'U']);
      const kept = Object.fromEntries(cursors.filter((c) => c.value !== null).map((c) => [c.id, c.value]));
      expect(kept, `seed ${seed}`).toEqual({ T: totals.get('T')!.latencyMs, U: totals.get('U')!.latencyMs });
      // x2's end moved earlier (9 s → 3 s): the bound shrank.
      expect(kept.T).toBe(3000);
      expect(ids).toEqual(['U', 'T', 'Z']);
    }
  });

  it('stays exact when the commits run concurrently (PostgreSQL writers side by side)', async () => {
    for (let seed = 11; seed <= 13; seed++) {
      const r = rng(seed);
      const order = shuffle(moving(), r);
      const p = ctx.newProject();
      await Promise.all(order.map((e) => ctx.ingest(p, e)));
      const { cursors } = await allPages(ctx, p, base({ sort: { field: 'latency', direction: 'desc' }, limit: 1 }));
      const totals = await ctx.storage.traces.totals(p, ['T', 'U']);
      const kept = Object.fromEntries(cursors.filter((c) => c.value !== null).map((c) => [c.id, c.value]));
      expect(kept, `seed ${seed}`).toEqual({ T: totals.get('T')!.latencyMs, U: totals.get('U')!.latencyMs });
    }
  });

  it('drops a deleted trace and keeps the others', async () => {
    const p = ctx.newProject();
    await ctx.ingest(p, ...moving());
    await ctx.storage.traces.delete(p, ['T']);
    expect((await allPages(ctx, p, base({ sort: { field: 'latency', direction: 'desc' } }))).ids).toEqual(['U', 'Z']);
  });
});
