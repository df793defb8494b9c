import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { rawEvent } from '../testing/index.js';
import { h, iso } from '../testing/store-queries.js';
import type { GroupSortField } from './group-sort.js';

const trace = (id: string, sessionId: string, userId: string, at: number) => rawEvent('trace-create', { id, sessionId, userId, timestamp: iso(at) }, at);
const gen = (id: string, traceId: string, tokens: number, cost: number) =>
  rawEvent('generation-create', { id, traceId, startTime: iso(h(0)), usageDetails: { total: tokens }, costDetails: { total: cost } }, h(0));

/** Sessions s1..s4 and users u1..u3 with ties on every figure somewhere. */
const EVENTS = [
  trace('a', 's1', 'u1', h(1)), trace('b', 's1', 'u1', h(3)), trace('c', 's2', 'u2', h(2)), trace('d', 's3', 'u2', h(4)),
  trace('e', 's3', 'u3', h(6)), trace('f', 's4', 'u3', h(5)),
  gen('ga', 'a', 10, 0.5), gen('gb', 'b', 5, 0.25), gen('gc', 'c', 15, 0.75), gen('gd', 'd', 15, 0.1), gen('ge', 'e', 1, 1e-9),
];

interface Figures { id: string; traceCount: number; firstTrace: number | null; lastTrace: number | null; totalTokens: number; totalCost: number }
const value = (r: Figures, f: GroupSortField): number =>
  f === 'duration' ? r.lastTrace! - r.firstTrace! : f === 'traceCount' ? r.traceCount : f === 'totalTokens' ? r.totalTokens : f === 'totalCost' ? r.totalCost : f === 'firstTrace' ? r.firstTrace! : r.lastTrace!;
/** By the figure then the id, both in the direction. */
const expected = (rows: Figures[], f: GroupSortField, dir: 'asc' | 'desc') =>
  [...rows].sort((a, b) => (dir === 'asc' ? 1 : -1) * (value(a, f) - value(b, f) || (a.id < b.id ? -1 : 1))).map((r) => r.id);

const FIELDS: GroupSortField[] = ['traceCount', 'duration', 'totalTokens', 'totalCost', 'firstTrace', 'lastTrace'];

describeEachEngine('sessions and users sorted by their totals', (ctx) => {
  const p = ctx.newProject();
  beforeAll(async () => {
    await ctx.ingest(p, ...EVENTS);
    await ctx.ingest(ctx.newProject(), trace('x', 's1', 'u1', h(1)), gen('gx', 'x', 999, 99));
  });

  for (const field of FIELDS) {
    for (const direction of ['desc', 'asc'] as const) {
      it(`${field} ${direction}: sessions and users in order, ties by id, stable across pages`, async () => {
        const sessions = (page: number, limit: number) => ctx.storage.sessions.summaries(p, { page, limit, sort: { field, direction } });
        const all = await sessions(1, 50);
        expect(all.totalItems).toBe(4);
        expect(all.rows.map((s) => s.id)).toEqual(expected(all.rows, field, direction));
        const paged = await Promise.all([1, 2, 3, 4].map(async (n) => (await sessions(n, 1)).rows.map((s) => s.id)));
        expect(paged.flat()).toEqual(all.rows.map((s) => s.id));

        const users = (page: number, limit: number) => ctx.storage.users.list(p, { page, limit, sort: { field, direction } });
        const allUsers = await users(1, 50);
        const asFigures = allUsers.rows.map((u) => ({ ...u, id: u.userId, firstTrace: u.firstSeen, lastTrace: u.lastSeen }));
        expect(asFigures.map((u) => u.id)).toEqual(expected(asFigures, field, direction));
        expect((await Promise.all([1, 2, 3].map(async (n) => (await users(n, 1)).rows[0].userId)))).toEqual(asFigures.map((u) => u.id));
      });
    }
  }

  it('sorts by id and creation time, and keeps the figures of another project apart', async () => {
    const byId = await ctx.storage.sessions.summaries(p, { page: 1, limit: 50, sort: { field: 'id', direction: 'asc' } });
    expect(byId.rows.map((s) => s.id)).toEqual(['s1', 's2', 's3', 's4']);
    expect(byId.rows[0]).toMatchObject({ traceCount: 2, totalTokens: 15, totalCost: 0.75 });
    const users = await ctx.storage.users.list(p, { page: 1, limit: 50, sort: { field: 'userId', direction: 'desc' } });
    expect(users.rows.map((u) => u.userId)).toEqual(['u3', 'u2', 'u1']);
    expect(users.rows[2]).toMatchObject({ totalTokens: 15, totalCost: 0.75 });
  });

  it("lists a user's sessions, and gives a user's totals and activity per day", async () => {
    const mine = await ctx.storage.sessions.summaries(p, { page: 1, limit: 50, userId: 'u2', sort: { field: 'id', direction: 'asc' } });
    expect(mine.rows.map((s) => s.id)).toEqual(['s2', 's3']);
    expect(mine.totalItems).toBe(2);
    expect(await ctx.storage.users.get(p, 'u2')).toEqual({ userId: 'u2', traceCount: 2, firstSeen: h(2), lastSeen: h(4), totalTokens: 30, totalCost: 0.85 });
    expect(await ctx.storage.users.get(p, 'nobody')).toBeNull();
    const act = await ctx.storage.users.activity(p, 'u2', h(0), h(48));
    expect(act.days).toHaveLength(1);
    expect(act.days[0]).toMatchObject({ day: h(0), traceCount: 2, totalTokens: 30 });
    expect(act.days[0].totalCost).toBeCloseTo(0.85, 9);
  });
});
