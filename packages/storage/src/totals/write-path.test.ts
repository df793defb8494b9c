import { expect, it } from 'vitest';
import { rng, shuffle } from '../../../../test/support/random.mjs';
import { describeEachEngine, type EngineSuite } from '../testing/each-engine.js';
import { rawEvent, type RawEvent } from '../testing/index.js';
import { h, iso } from '../testing/store-queries.js';
import type { TraceSearchCursor } from '../traces/trace-store.js';

/*
 * The totals as ingestion writes them in few statements (totals-change.ts): one row write per
 * trace, session and user per commit, rows that only end an observation (times only) or only add
 * usage (sums only) written with just those columns on SQLite, the session_users upsert inside the
 * group statement on PostgreSQL, and the sessions and users of traces that only get observations
 * read with the commit's traces. Whatever the order and grouping, the lists and the kept latency
 * must equal the base rows.
 */

const at = (ms: number) => iso(h(1) + ms);
const obs = (type: string, id: string, traceId: string, body: Record<string, unknown>, ms: number) => rawEvent(type, { id, traceId, ...body }, h(1) + ms);

/** Agent-like traces: a span and a generation that are created, then ended (the generation with usage and cost), and an event. */
function agentTrace(k: number, sessionId: string, userId: string): RawEvent[] {
  const t = `t${k}`;
  const base = k * 1000;
  return [
    rawEvent('trace-create', { id: t, sessionId, userId, timestamp: at(base) }, h(1) + base),
    obs('span-create', `s${k}`, t, { startTime: at(base + 1) }, base + 1),
    obs('generation-create', `g${k}`, t, { parentObservationId: `s${k}`, startTime: at(base + 2), model: 'gpt-x' }, base + 2),
    obs('event-create', `e${k}`, t, { parentObservationId: `s${k}`, startTime: at(base + 3) }, base + 3),
    obs('generation-update', `g${k}`, t, { endTime: at(base + 90 + k), usageDetails: { total: 100 + k }, costDetails: { total: 0.25 * k } }, base + 90),
    obs('span-update', `s${k}`, t, { endTime: at(base + 95 + 2 * k) }, base + 95),
  ];
}

/** Three traces in session s1 (users u1, u2), one in s2 (u1). */
const scenario = (): RawEvent[] => [...agentTrace(1, 's1', 'u1'), ...agentTrace(2, 's1', 'u2'), ...agentTrace(3, 's1', 'u1'), ...agentTrace(4, 's2', 'u1')];
const TRACES = ['t1', 't2', 't3', 't4'];

/** The latency kept for each trace: each page's cursor (limit 1) carries its row's, in both directions (the last row of one is the first of the other). */
async function keptLatency(ctx: EngineSuite, p: string): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  for (const direction of ['desc', 'asc'] as const) {
    let cursor: TraceSearchCursor | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await ctx.storage.traces.search(p, { sort: { field: 'latency', direction }, limit: 1, cursor });
      if (!page.nextCursor) break;
      out[page.nextCursor.id] = page.nextCursor.value as number | null;
      cursor = page.nextCursor;
    }
  }
  return Object.fromEntries(Object.entries(out).sort());
}

async function expectTotalsMatchBaseRows(ctx: EngineSuite, p: string, label: string): Promise<void> {
  const sessions = (await ctx.storage.sessions.summaries(p, { page: 1, limit: 50 })).rows;
  expect(sessions.map((s) => s.id).sort(), label).toEqual(['s1', 's2']);
  for (const s of sessions) {
    const base = await ctx.storage.sessions.totals(p, s.id);
    expect({ traceCount: s.traceCount, firstTrace: s.firstTrace, lastTrace: s.lastTrace, totalTokens: s.totalTokens, totalCost: s.totalCost }, `${label} ${s.id}`).toEqual({
      traceCount: base.traceCount, firstTrace: base.firstTrace, lastTrace: base.lastTrace, totalTokens: base.totalTokens, totalCost: base.totalCost,
    });
    expect([...s.userIds].sort(), `${label} ${s.id}`).toEqual(s.id === 's1' ? ['u1', 'u2'] : ['u1']);
  }
  const users = (await ctx.storage.users.list(p, { page: 1, limit: 50 })).rows;
  expect(users.map((u) => ({ userId: u.userId, traceCount: u.traceCount, totalTokens: u.totalTokens, totalCost: u.totalCost })).sort((a, b) => (a.userId < b.userId ? -1 : 1)), label).toEqual([
    { userId: 'u1', traceCount: 3, totalTokens: 101 + 103 + 104, totalCost: 0.25 + 0.75 + 1 },
    { userId: 'u2', traceCount: 1, totalTokens: 102, totalCost: 0.5 },
  ]);
  const totals = await ctx.storage.traces.totals(p, TRACES);
  const base = Object.fromEntries(TRACES.map((id) => [id, totals.get(id)!.latencyMs]));
  expect(await keptLatency(ctx, p), label).toEqual(base);
  // The span's end is the trace's last: 95 + 2k ms after the trace's first start (1 ms in).
  expect(base, label).toEqual({ t1: 96, t2: 98, t3: 100, t4: 102 });
}

describeEachEngine('totals written once per row per commit', (ctx) => {
  it('equal the base rows with every event in one commit, in any order', async () => {
    for (let seed = 1; seed <= 4; seed++) {
      const p = ctx.newProject();
      await ctx.ingest(p, ...shuffle(scenario(), rng(seed)));
      await expectTotalsMatchBaseRows(ctx, p, `seed ${seed}`);
    }
  });

  it('equal the base rows when traces come first and their observations and updates in later commits, in any order and grouping', async () => {
    for (let seed = 5; seed <= 10; seed++) {
      const r = rng(seed);
      const p = ctx.newProject();
      const events = scenario();
      // The traces alone first: every later commit only adds observations to traces it does not change.
      await ctx.ingest(p, ...events.filter((e) => e.type === 'trace-create'));
      const rest = shuffle(events.filter((e) => e.type !== 'trace-create'), r);
      for (let i = 0; i < rest.length; ) {
        const n = 1 + Math.floor(r() * 6);
        await ctx.ingest(p, ...rest.slice(i, i + n));
        i += n;
      }
      await expectTotalsMatchBaseRows(ctx, p, `seed ${seed}`);
    }
  });

  it('stay exact when the commits run concurrently (PostgreSQL writers side by side)', async () => {
    for (let seed = 11; seed <= 13; seed++) {
      const r = rng(seed);
      const order = shuffle(scenario(), r);
      const p = ctx.newProject();
      const batches: RawEvent[][] = [];
      for (let i = 0; i < order.length; ) {
        const n = 1 + Math.floor(r() * 5);
        batches.push(order.slice(i, i + n));
        i += n;
      }
      await Promise.all(batches.map((b) => ctx.ingest(p, ...b)));
      await expectTotalsMatchBaseRows(ctx, p, `seed ${seed}`);
    }
  });
});
