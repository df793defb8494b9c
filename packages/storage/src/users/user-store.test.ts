import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { rawEvent } from '../testing/index.js';
import { h, iso } from '../testing/store-queries.js';

const userIds = (r: { rows: { userId: string }[] }) => r.rows.map((u) => u.userId);

describeEachEngine('user store', (ctx) => {
  const p = ctx.newProject();
  beforeAll(async () => {
    await ctx.ingest(
      p,
      rawEvent('trace-create', { id: 't1', userId: 'alice', timestamp: iso(h(1)) }, h(1)),
      rawEvent('trace-create', { id: 't2', userId: 'alice', timestamp: iso(h(4)) }, h(4)),
      rawEvent('trace-create', { id: 't3', userId: 'bob', timestamp: iso(h(3)) }, h(3)),
      rawEvent('trace-create', { id: 't4', userId: 'Alicia%', timestamp: iso(h(2)) }, h(2)),
      rawEvent('trace-create', { id: 't5', timestamp: iso(h(9)) }, h(9)),
      rawEvent('generation-create', { id: 'g1', traceId: 't1', startTime: iso(h(1)), usageDetails: { total: 10 }, costDetails: { total: 0.1 } }, h(1)),
      rawEvent('generation-create', { id: 'g2', traceId: 't2', startTime: iso(h(4)), usageDetails: { total: 5 }, costDetails: { total: 0.2 } }, h(4)),
    );
  });

  it('lists the users of traces, most recently seen first, with their totals', async () => {
    const r = await ctx.storage.users.list(p, { page: 1, limit: 10 });
    expect(userIds(r)).toEqual(['alice', 'bob', 'Alicia%']);
    expect(r.totalItems).toBe(3);
    expect(r.rows[0]).toEqual({ userId: 'alice', traceCount: 2, firstSeen: h(1), lastSeen: h(4), totalTokens: 15, totalCost: 0.3 });
    expect(r.rows[1]).toEqual({ userId: 'bob', traceCount: 1, firstSeen: h(3), lastSeen: h(3), totalTokens: 0, totalCost: 0 });
  });

  it('pages with a stable totalItems', async () => {
    const pages = await Promise.all([1, 2, 3].map((page) => ctx.storage.users.list(p, { page, limit: 2 })));
    expect(pages.map(userIds)).toEqual([['alice', 'bob'], ['Alicia%'], []]);
    expect(pages.map((x) => x.totalItems)).toEqual([3, 3, 3]);
  });

  it('searches user ids case-insensitively, LIKE wildcards literally', async () => {
    const search = async (s: string) => userIds(await ctx.storage.users.list(p, { page: 1, limit: 10, search: s }));
    expect(await search('ALI')).toEqual(['alice', 'Alicia%']);
    expect(await search('%')).toEqual(['Alicia%']);
    expect(await search('_')).toEqual([]);
    expect((await ctx.storage.users.list(p, { page: 1, limit: 10, search: 'ali' })).totalItems).toBe(2);
  });

  it('another project sees none of its users', async () => {
    const other = ctx.newProject();
    await ctx.ingest(other, rawEvent('trace-create', { id: 'x', userId: 'carol' }, h(0)));
    expect(await ctx.storage.users.list(other, { page: 1, limit: 10, search: 'ali' })).toEqual({ rows: [], totalItems: 0 });
    expect(userIds(await ctx.storage.users.list(other, { page: 1, limit: 10 }))).toEqual(['carol']);
    expect(userIds(await ctx.storage.users.list(p, { page: 1, limit: 10 }))).not.toContain('carol');
  });
});
