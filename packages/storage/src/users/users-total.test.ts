import { beforeAll, describe, expect, it } from 'vitest';
import type { Paged } from '../types.js';
import { describeEachEngine } from '../testing/each-engine.js';
import { rawEvent } from '../testing/index.js';
import { h, iso } from '../testing/store-queries.js';

const USERS = 30;

/** Every page of a users list, the ids in order and the total each page reported. */
async function walk(read: (page: number) => Promise<Paged<{ userId: string }>>, limit: number) {
  const ids: string[] = [];
  const pages: { rows: number; totalItems: number; estimated: boolean }[] = [];
  for (let page = 1; page <= 50; page++) {
    const r = await read(page);
    pages.push({ rows: r.rows.length, totalItems: r.totalItems, estimated: r.totalEstimated === true });
    ids.push(...r.rows.map((u) => u.userId));
    if (r.rows.length < limit) return { ids, pages };
  }
  throw new Error('more than 50 pages');
}

// The users list counts exactly up to a bound and estimates past it, as the sessions lists do:
// the rows stay exact, an estimate is marked, and it never ends the listing early.
describeEachEngine('users list totals', (ctx) => {
  const p = ctx.newProject();
  beforeAll(async () => {
    for (let i = 0; i < USERS; i++) {
      await ctx.ingest(p,
        rawEvent('trace-create', { id: `t${i}`, userId: `u${String(i).padStart(2, '0')}`, timestamp: iso(h(i)) }, h(i)),
        rawEvent('generation-create', { id: `g${i}`, traceId: `t${i}`, startTime: iso(h(i)), costDetails: { total: (i % 7) + 1 } }, h(i)));
    }
  }, 60_000);

  const lists = {
    'last seen first': (bound: number) => (page: number) => ctx.storage.users.list(p, { page, limit: 4 }, { exactCountUpTo: bound }),
    'by cost': (bound: number) => (page: number) => ctx.storage.users.list(p, { page, limit: 4, sort: { field: 'totalCost', direction: 'desc' } }, { exactCountUpTo: bound }),
    'by a score': (bound: number) => (page: number) =>
      ctx.storage.users.list(p, { page, limit: 4, sort: { field: 'score', direction: 'desc', scoreName: 'none' } }, { exactCountUpTo: bound }),
  };

  describe.each(Object.keys(lists) as (keyof typeof lists)[])('%s', (name) => {
    it('counts exactly, unmarked, up to the bound', async () => {
      const exact = await walk(lists[name](USERS), 4);
      expect(exact.ids).toHaveLength(USERS);
      expect(new Set(exact.ids).size).toBe(USERS);
      expect(exact.pages.every((x) => x.totalItems === USERS && !x.estimated)).toBe(true);
    });

    it('estimates past the bound, marks it, never ends the listing early, and keeps the rows', async () => {
      const exact = await walk(lists[name](USERS), 4);
      const bounded = await walk(lists[name](5), 4);
      expect(bounded.ids).toEqual(exact.ids);
      const notLast = bounded.pages.slice(0, -1);
      expect(notLast[0].estimated).toBe(true);
      notLast.forEach((x, i) => expect(x.totalItems).toBeGreaterThan((i + 1) * 4));
      expect(bounded.pages.at(-1)).toEqual({ rows: USERS % 4, totalItems: USERS, estimated: false });
    });
  });

  it('counts a search by id exactly, whatever the bound', async () => {
    const r = await ctx.storage.users.list(p, { page: 1, limit: 2, search: 'u1' }, { exactCountUpTo: 5 });
    expect([r.totalItems, r.totalEstimated]).toEqual([10, undefined]);
  });
});
