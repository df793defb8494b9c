import { beforeAll, describe, expect, it } from 'vitest';
import type { Paged } from '../types.js';
import { describeEachEngine } from '../testing/each-engine.js';
import { rawEvent } from '../testing/index.js';
import { h, iso } from '../testing/store-queries.js';

const SESSIONS = 30;

/** Every page of a sessions list, the ids in order and the total each page reported. */
async function walk(read: (page: number) => Promise<Paged<{ id: string }>>, limit: number) {
  const ids: string[] = [];
  const pages: { rows: number; totalItems: number; estimated: boolean }[] = [];
  for (let page = 1; page <= 50; page++) {
    const r = await read(page);
    pages.push({ rows: r.rows.length, totalItems: r.totalItems, estimated: r.totalEstimated === true });
    ids.push(...r.rows.map((s) => s.id));
    if (r.rows.length < limit) return { ids, pages };
  }
  throw new Error('more than 50 pages');
}

// The sessions lists count exactly up to a bound and estimate past it (as the public traces list):
// the rows stay exact, an estimate is marked, and it never ends the listing early.
describeEachEngine('sessions list totals', (ctx) => {
  const p = ctx.newProject();
  beforeAll(async () => {
    for (let i = 0; i < SESSIONS; i++) {
      await ctx.ingest(p,
        rawEvent('trace-create', { id: `t${i}`, sessionId: `s${String(i).padStart(2, '0')}`, userId: i % 10 === 0 ? 'rare' : 'common', timestamp: iso(h(i)) }, h(i)),
        rawEvent('generation-create', { id: `g${i}`, traceId: `t${i}`, startTime: iso(h(i)), costDetails: { total: (i % 7) + 1 } }, h(i)));
    }
  }, 60_000);

  const lists = {
    'public list': (bound: number) => (page: number) => ctx.storage.sessions.list(p, { page, limit: 4 }, { exactCountUpTo: bound }),
    'summaries, newest first': (bound: number) => (page: number) => ctx.storage.sessions.summaries(p, { page, limit: 4 }, { exactCountUpTo: bound }),
    'summaries by cost': (bound: number) => (page: number) => ctx.storage.sessions.summaries(p, { page, limit: 4, sort: { field: 'totalCost', direction: 'desc' } }, { exactCountUpTo: bound }),
    'summaries by a score': (bound: number) => (page: number) =>
      ctx.storage.sessions.summaries(p, { page, limit: 4, sort: { field: 'score', direction: 'desc', scoreName: 'none' } }, { exactCountUpTo: bound }),
  };

  describe.each(Object.keys(lists) as (keyof typeof lists)[])('%s', (name) => {
    it('counts exactly, unmarked, up to the bound', async () => {
      const exact = await walk(lists[name](SESSIONS), 4);
      expect(exact.ids).toHaveLength(SESSIONS);
      expect(new Set(exact.ids).size).toBe(SESSIONS);
      expect(exact.pages.every((x) => x.totalItems === SESSIONS && !x.estimated)).toBe(true);
    });

    it('estimates past the bound, marks it, never ends the listing early, and keeps the rows', async () => {
      const exact = await walk(lists[name](SESSIONS), 4);
      const bounded = await walk(lists[name](5), 4);
      expect(bounded.ids).toEqual(exact.ids);
      const notLast = bounded.pages.slice(0, -1);
      expect(notLast[0].estimated).toBe(true);
      // Each page with rows after it reports a total reaching past it, so totalPages > page.
      notLast.forEach((x, i) => expect(x.totalItems).toBeGreaterThan((i + 1) * 4));
      expect(bounded.pages.at(-1)).toEqual({ rows: SESSIONS % 4, totalItems: SESSIONS, estimated: false });
    });
  });

  it("counts one user's sessions exactly, whatever the bound", async () => {
    const r = await ctx.storage.sessions.summaries(p, { page: 1, limit: 2, userId: 'common' }, { exactCountUpTo: 5 });
    expect([r.totalItems, r.totalEstimated]).toEqual([SESSIONS - 3, undefined]);
  });
});
