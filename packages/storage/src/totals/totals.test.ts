import { expect, it } from 'vitest';
import { commits } from '../testing/commit-orders.js';
import { describeEachEngine, type EngineSuite } from '../testing/each-engine.js';
import { rawEvent, type RawEvent } from '../testing/index.js';
import { h, iso } from '../testing/store-queries.js';

/*
 * The session and user totals kept at ingestion (totals-change.ts) against the base rows: the
 * lists must show what the traces and observations hold, whatever order and grouping of commits
 * brought them, including traces that move between sessions and users, change their time, lose
 * observations or are deleted.
 */

/** Three traces; trace B later moves from session s1 / user u2 to s2 / u1, trace C moves in time, c1's usage is updated. */
function scenario(): RawEvent[] {
  return [
    rawEvent('trace-create', { id: 'A', sessionId: 's1', userId: 'u1', timestamp: iso(h(1)) }, h(1)),
    rawEvent('trace-create', { id: 'B', sessionId: 's1', userId: 'u2', timestamp: iso(h(2)) }, h(2)),
    rawEvent('trace-create', { id: 'C', sessionId: 's2', userId: 'u1', timestamp: iso(h(3)) }, h(3)),
    rawEvent('generation-create', { id: 'a1', traceId: 'A', startTime: iso(h(1)), usageDetails: { total: 10 }, costDetails: { total: 0.1 } }, h(1)),
    rawEvent('span-create', { id: 'a2', traceId: 'A', startTime: iso(h(1)), level: 'ERROR' }, h(1)),
    rawEvent('generation-create', { id: 'b1', traceId: 'B', startTime: iso(h(2)), usageDetails: { total: 5 }, costDetails: { total: 0.2 } }, h(2)),
    rawEvent('generation-create', { id: 'c1', traceId: 'C', startTime: iso(h(3)), usageDetails: { total: 7 }, costDetails: { total: 0.3 } }, h(3)),
    rawEvent('generation-update', { id: 'c1', traceId: 'C', usageDetails: { total: 9 } }, h(4)),
    rawEvent('trace-create', { id: 'B', sessionId: 's2', userId: 'u1' }, h(6)),
    // A trace's time is its earliest: C moves before everything else.
    rawEvent('trace-create', { id: 'C', timestamp: iso(h(0.5)) }, h(7)),
  ];
}

const EXPECTED_SESSIONS = [
  { id: 's2', traceCount: 2, firstTrace: h(0.5), lastTrace: h(2), userIds: ['u1'], totalTokens: 14, totalCost: 0.5 },
  { id: 's1', traceCount: 1, firstTrace: h(1), lastTrace: h(1), userIds: ['u1'], totalTokens: 10, totalCost: 0.1 },
];
const EXPECTED_USERS = [{ userId: 'u1', traceCount: 3, firstSeen: h(0.5), lastSeen: h(2), totalTokens: 24, totalCost: 0.6 }];

/** The sessions and users lists, without what depends on the wall clock. */
async function lists(ctx: EngineSuite, p: string) {
  const sessions = await ctx.storage.sessions.summaries(p, { page: 1, limit: 50 });
  const users = await ctx.storage.users.list(p, { page: 1, limit: 50 });
  return {
    sessions: sessions.rows.map(({ createdAt: _c, environment: _e, ...s }) => s).sort((a, b) => (a.id < b.id ? 1 : -1)),
    sessionCount: sessions.totalItems,
    users: users.rows,
    userCount: users.totalItems,
  };
}

/** Each session's list figures equal the aggregates read from the base tables (trace-aggregates.ts). */
async function expectSessionsMatchBaseRows(ctx: EngineSuite, p: string): Promise<void> {
  for (const s of (await ctx.storage.sessions.summaries(p, { page: 1, limit: 50 })).rows) {
    const base = await ctx.storage.sessions.totals(p, s.id);
    expect({ traceCount: s.traceCount, firstTrace: s.firstTrace, lastTrace: s.lastTrace, totalTokens: s.totalTokens, totalCost: s.totalCost }).toEqual({
      traceCount: base.traceCount, firstTrace: base.firstTrace, lastTrace: base.lastTrace, totalTokens: base.totalTokens, totalCost: base.totalCost,
    });
  }
}

describeEachEngine('session and user totals', (ctx) => {
  it('equal the base rows whatever the order and grouping of commits, with moves between sessions and users', async () => {
    const orders: RawEvent[][][] = [[scenario()], scenario().map((e) => [e]), scenario().reverse().map((e) => [e])];
    for (let seed = 1; seed <= 8; seed++) orders.push(commits(scenario(), seed));
    for (const [i, order] of orders.entries()) {
      const p = ctx.newProject();
      for (const commit of order) await ctx.ingest(p, ...commit);
      const got = await lists(ctx, p);
      expect(got, `order ${i}`).toEqual({ sessions: EXPECTED_SESSIONS, sessionCount: 2, users: EXPECTED_USERS, userCount: 1 });
      await expectSessionsMatchBaseRows(ctx, p);
    }
  });

  it('stay exact when the commits run concurrently (PostgreSQL writers side by side)', async () => {
    for (let seed = 11; seed <= 14; seed++) {
      const p = ctx.newProject();
      await Promise.all(commits(scenario(), seed).map((commit) => ctx.ingest(p, ...commit)));
      expect(await lists(ctx, p), `seed ${seed}`).toEqual({ sessions: EXPECTED_SESSIONS, sessionCount: 2, users: EXPECTED_USERS, userCount: 1 });
    }
  });

  it('lose what deleted traces held, and a user with no traces left is no longer listed', async () => {
    const p = ctx.newProject();
    await ctx.ingest(p, ...scenario());
    await ctx.ingest(p, rawEvent('trace-create', { id: 'D', userId: 'u3', timestamp: iso(h(9)) }, h(9)));
    expect((await ctx.storage.users.list(p, { page: 1, limit: 50 })).rows.map((u) => u.userId)).toEqual(['u3', 'u1']);

    expect(await ctx.storage.traces.delete(p, ['B', 'D'])).toBe(2);
    const got = await lists(ctx, p);
    expect(got.sessions).toEqual([
      { id: 's2', traceCount: 1, firstTrace: h(0.5), lastTrace: h(0.5), userIds: ['u1'], totalTokens: 9, totalCost: 0.3 },
      EXPECTED_SESSIONS[1],
    ]);
    expect(got.users).toEqual([{ userId: 'u1', traceCount: 2, firstSeen: h(0.5), lastSeen: h(1), totalTokens: 19, totalCost: 0.4 }]);
    expect(got.userCount).toBe(1);
    await expectSessionsMatchBaseRows(ctx, p);

    // Re-created after deletion, a trace counts again (once).
    await ctx.ingest(p, rawEvent('trace-create', { id: 'B', sessionId: 's2', userId: 'u1', timestamp: iso(h(2)) }, h(8)));
    expect((await lists(ctx, p)).sessions[0]).toMatchObject({ id: 's2', traceCount: 2, firstTrace: h(0.5), lastTrace: h(2), totalTokens: 9 });
  });

  it('count observations that arrive before their trace, and a trace leaving its session and user for none', async () => {
    const p = ctx.newProject();
    await ctx.ingest(p, rawEvent('generation-create', { id: 'x1', traceId: 'X', startTime: iso(h(1)), usageDetails: { total: 3 }, costDetails: { total: 0.25 } }, h(1)));
    expect((await lists(ctx, p)).users).toEqual([]);
    await ctx.ingest(p, rawEvent('trace-create', { id: 'X', sessionId: 'sx', userId: 'ux', timestamp: iso(h(1)) }, h(1)));
    expect((await lists(ctx, p)).users).toEqual([{ userId: 'ux', traceCount: 1, firstSeen: h(1), lastSeen: h(1), totalTokens: 3, totalCost: 0.25 }]);
    // Clearing the fields (null) takes the trace out of both.
    await ctx.ingest(p, rawEvent('trace-create', { id: 'X', sessionId: null, userId: null }, h(2)));
    const got = await lists(ctx, p);
    expect(got.users).toEqual([]);
    expect(got.sessions).toEqual([]);
  });

  it('search users by substring, page them by last seen, and show nothing of another project', async () => {
    const p = ctx.newProject();
    const other = ctx.newProject();
    await ctx.ingest(p, ...['alice', 'bob', 'Alina'].map((u, i) => rawEvent('trace-create', { id: `t-${u}`, userId: u, timestamp: iso(h(i)) }, h(i))));
    expect((await ctx.storage.users.list(p, { page: 1, limit: 50, search: 'ali' })).rows.map((u) => u.userId)).toEqual(['Alina', 'alice']);
    const second = await ctx.storage.users.list(p, { page: 2, limit: 2 });
    expect(second.rows.map((u) => u.userId)).toEqual(['alice']);
    expect(second.totalItems).toBe(3);
    expect(await ctx.storage.users.list(other, { page: 1, limit: 50 })).toEqual({ rows: [], totalItems: 0 });
  });
});
