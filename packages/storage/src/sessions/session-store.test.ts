import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { rawEvent } from '../testing/index.js';
import { h, ids, iso } from '../testing/store-queries.js';

/** Resolves once the wall clock has moved past `t` (session creation times come from it): synchronisation on the clock itself, not a fixed sleep. */
async function clockPasses(t: number): Promise<void> {
  while (Date.now() <= t) await new Promise((resolve) => setImmediate(resolve));
}

describeEachEngine('session store', (ctx) => {
  describe('list and get', () => {
    const p = ctx.newProject();
    let between = 0;
    beforeAll(async () => {
      await ctx.ingest(p, rawEvent('trace-create', { id: 'x1', sessionId: 'sa', environment: 'prod' }, h(0)), rawEvent('trace-create', { id: 'x2' }, h(0)));
      await clockPasses((await ctx.storage.sessions.get(p, 'sa'))!.createdAt);
      between = Date.now();
      await clockPasses(between);
      await ctx.ingest(p, rawEvent('trace-create', { id: 'x3', sessionId: 'sb', environment: 'dev' }, h(0)));
      // A second trace of an existing session changes nothing.
      await ctx.ingest(p, rawEvent('trace-create', { id: 'x4', sessionId: 'sa', environment: 'dev' }, h(0)));
    });

    it('creates one session per sessionId, from its first trace', async () => {
      const r = await ctx.storage.sessions.list(p, { page: 1, limit: 10 });
      expect(ids(r)).toEqual(['sb', 'sa']);
      expect(r.totalItems).toBe(2);
      expect(await ctx.storage.sessions.get(p, 'sa')).toMatchObject({ id: 'sa', projectId: p, environment: 'prod' });
      expect((await ctx.storage.sessions.get(p, 'sa'))!.createdAt).toBeLessThan(between);
      expect(await ctx.storage.sessions.get(p, 'nope')).toBeNull();
    });

    it('takes the environment of the earliest trace by (timestamp, id), whichever commits first', async () => {
      const q = ctx.newProject();
      await ctx.ingest(q, rawEvent('trace-create', { id: 'late', sessionId: 'ss', environment: 'staging' }, h(2)));
      await ctx.ingest(q, rawEvent('trace-create', { id: 'tie-b', sessionId: 'ss', environment: 'dev' }, h(1)));
      expect(await ctx.storage.sessions.get(q, 'ss')).toMatchObject({ environment: 'dev' });
      await ctx.ingest(q, rawEvent('trace-create', { id: 'tie-a', sessionId: 'ss', environment: 'prod' }, h(1)));
      expect(await ctx.storage.sessions.get(q, 'ss')).toMatchObject({ environment: 'prod' });
      // A trace whose first event arrives late moves earlier too.
      await ctx.ingest(q, rawEvent('trace-create', { id: 'late', sessionId: 'ss', environment: 'test' }, h(0)));
      expect(await ctx.storage.sessions.get(q, 'ss')).toMatchObject({ environment: 'test' });
      expect((await ctx.storage.sessions.list(q, { page: 1, limit: 10 })).totalItems).toBe(1);
    });

    it('filters by creation time bounds and environment, and paginates', async () => {
      expect(ids(await ctx.storage.sessions.list(p, { page: 1, limit: 10, fromTimestamp: between }))).toEqual(['sb']);
      expect(ids(await ctx.storage.sessions.list(p, { page: 1, limit: 10, toTimestamp: between }))).toEqual(['sa']);
      expect(ids(await ctx.storage.sessions.list(p, { page: 1, limit: 10, environment: ['dev'] }))).toEqual(['sb']);
      const second = await ctx.storage.sessions.list(p, { page: 2, limit: 1 });
      expect(ids(second)).toEqual(['sa']);
      expect(second.totalItems).toBe(2);
    });
  });

  describe('summaries and totals', () => {
    const p = ctx.newProject();
    beforeAll(async () => {
      await ctx.ingest(
        p,
        rawEvent('trace-create', { id: 'a1', sessionId: 'sum-a', userId: 'zed', timestamp: iso(h(1)) }, h(1)),
        rawEvent('trace-create', { id: 'a2', sessionId: 'sum-a', userId: 'amy', timestamp: iso(h(3)) }, h(3)),
        rawEvent('trace-create', { id: 'a3', sessionId: 'sum-a', timestamp: iso(h(2)) }, h(2)),
        rawEvent('generation-create', { id: 'ag1', traceId: 'a1', startTime: iso(h(1)), endTime: iso(h(1) + 1000), usageDetails: { total: 5 }, costDetails: { total: 0.1 } }, h(1)),
        rawEvent('generation-create', { id: 'ag2', traceId: 'a2', startTime: iso(h(3)), usageDetails: { total: 4 }, costDetails: { total: 0.2 }, level: 'ERROR' }, h(3)),
      );
      await ctx.ingest(p, rawEvent('trace-create', { id: 'b1', sessionId: 'sum-b', timestamp: iso(h(4)) }, h(4)));
    });

    it("sums a session's traces, their observations and their users", async () => {
      const r = await ctx.storage.sessions.summaries(p, { page: 1, limit: 10 });
      expect(r.totalItems).toBe(2);
      const a = r.rows.find((s) => s.id === 'sum-a');
      expect(a).toMatchObject({ environment: 'default', traceCount: 3, firstTrace: h(1), lastTrace: h(3), userIds: ['amy', 'zed'], totalTokens: 9, totalCost: 0.3 });
      expect(r.rows.find((s) => s.id === 'sum-b')).toMatchObject({ traceCount: 1, firstTrace: h(4), lastTrace: h(4), userIds: [], totalTokens: 0, totalCost: 0 });
      expect(await ctx.storage.sessions.totals(p, 'sum-a')).toEqual({
        latencyMs: h(3) - h(1), totalCost: 0.3, totalTokens: 9, observationCount: 2, errorCount: 1, traceCount: 3, firstTrace: h(1), lastTrace: h(3),
      });
    });

    it('pages summaries newest first and gives empty totals to an unknown session', async () => {
      const first = await ctx.storage.sessions.summaries(p, { page: 1, limit: 1 });
      const second = await ctx.storage.sessions.summaries(p, { page: 2, limit: 1 });
      expect([...ids(first), ...ids(second)]).toEqual(['sum-b', 'sum-a']);
      expect(second.totalItems).toBe(2);
      expect(await ctx.storage.sessions.totals(p, 'nope')).toEqual({
        latencyMs: null, totalCost: 0, totalTokens: 0, observationCount: 0, errorCount: 0, traceCount: 0, firstTrace: null, lastTrace: null,
      });
    });
  });

  it('another project sees none of its sessions', async () => {
    const p = ctx.newProject();
    const other = ctx.newProject();
    await ctx.ingest(p, rawEvent('trace-create', { id: 'it', sessionId: 'is', userId: 'iu' }, h(0)), rawEvent('span-create', { id: 'io', traceId: 'it', startTime: iso(h(0)) }, h(0)));
    expect(await ctx.storage.sessions.list(other, { page: 1, limit: 10 })).toEqual({ rows: [], totalItems: 0 });
    expect(await ctx.storage.sessions.summaries(other, { page: 1, limit: 10 })).toEqual({ rows: [], totalItems: 0 });
    expect(await ctx.storage.sessions.get(other, 'is')).toBeNull();
    expect((await ctx.storage.sessions.totals(other, 'is')).traceCount).toBe(0);
  });
});
