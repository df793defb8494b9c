import { beforeAll, expect, it } from 'vitest';
import type { FilterCondition, TraceQuery } from '../storage.js';
import { describeEachEngine, type EngineSuite } from '../testing/each-engine.js';
import { rawEvent } from '../testing/index.js';
import { h, iso, tq } from '../testing/store-queries.js';
import type { TraceListBounds } from './trace-store.js';

/** 40 traces, one an hour: tags, environments and metadata in patterns a brute-force check can follow. */
const TRACES = Array.from({ length: 40 }, (_, i) => ({
  id: `t${String(i).padStart(2, '0')}`,
  at: h(i),
  tags: ['all', ...(i % 2 === 0 ? ['even'] : []), ...(i % 3 === 0 ? ['three'] : []), ...(i === 7 || i === 31 ? ['rare'] : [])],
  environment: i % 4 === 0 ? 'staging' : i % 4 === 1 ? 'dev' : 'production',
  metadata: { region: i % 5 === 0 ? 'eu' : 'us', n: i },
}));

/** What the list must answer: the matching ids newest first. */
const matching = (keep: (t: (typeof TRACES)[number]) => boolean) => TRACES.filter(keep).map((t) => t.id).reverse();

/** Every page of a query, and the totals each page reported. */
async function walk(ctx: EngineSuite, p: string, q: Partial<TraceQuery>, bounds: TraceListBounds, limit: number) {
  const ids: string[] = [];
  const totals: { totalItems: number; estimated: boolean }[] = [];
  for (let page = 1; page <= 50; page++) {
    const r = await ctx.storage.traces.list(p, tq({ ...q, page, limit }), bounds);
    totals.push({ totalItems: r.totalItems, estimated: r.totalEstimated });
    ids.push(...r.rows.map((t) => t.id));
    if (r.rows.length < limit) return { ids, totals };
  }
  throw new Error('more than 50 pages');
}

const CASES: { name: string; q: Partial<TraceQuery>; expected: string[] }[] = [
  { name: 'no filter', q: {}, expected: matching(() => true) },
  { name: 'one common tag', q: { tags: ['even'] }, expected: matching((t) => t.tags.includes('even')) },
  { name: 'two tags (all of)', q: { tags: ['even', 'three'] }, expected: matching((t) => t.tags.includes('even') && t.tags.includes('three')) },
  { name: 'a rare tag with a common one', q: { tags: ['all', 'rare'] }, expected: ['t31', 't07'] },
  { name: 'a tag no trace has', q: { tags: ['even', 'none'] }, expected: [] },
  { name: 'tag and environment', q: { tags: ['three'], environment: ['staging', 'dev'] }, expected: matching((t) => t.tags.includes('three') && t.environment !== 'production') },
  { name: 'environment', q: { environment: ['staging'] }, expected: matching((t) => t.environment === 'staging') },
  { name: 'environments, time range', q: { environment: ['staging', 'dev'], fromTimestamp: h(10), toTimestamp: h(30) }, expected: matching((t) => t.environment !== 'production' && t.at >= h(10) && t.at < h(30)) },
  {
    name: 'metadata condition',
    q: { filter: [{ type: 'stringObject', column: 'metadata', key: 'region', operator: '=', value: 'eu' }] as FilterCondition[] },
    expected: matching((t) => t.metadata.region === 'eu'),
  },
  {
    name: 'metadata and tags conditions',
    q: {
      filter: [
        { type: 'numberObject', column: 'metadata', key: 'n', operator: '>=', value: 20 },
        { type: 'arrayOptions', column: 'tags', operator: 'all of', value: ['even'] },
      ] as FilterCondition[],
    },
    expected: matching((t) => t.metadata.n >= 20 && t.tags.includes('even')),
  },
];

describeEachEngine('public traces list: filters, pages and totals', (ctx) => {
  const p = ctx.newProject();
  beforeAll(async () => {
    await ctx.ingest(p, ...TRACES.map((t) => rawEvent('trace-create', { id: t.id, timestamp: iso(t.at), tags: t.tags, environment: t.environment, metadata: t.metadata }, t.at)));
    // Another project's traces with the same tags never show.
    await ctx.ingest(ctx.newProject(), rawEvent('trace-create', { id: 'x', timestamp: iso(h(50)), tags: ['all', 'rare'], environment: 'staging' }, h(50)));
  });

  for (const c of CASES) {
    it(`${c.name}: the same rows in every page size, through trace_tags or walking the traces, totals exact`, async () => {
      for (const rareTagUpTo of [0, 5_000]) {
        for (const limit of [1, 3, 50]) {
          const { ids, totals } = await walk(ctx, p, c.q, { rareTagUpTo }, limit);
          expect(ids, `rareTagUpTo ${rareTagUpTo}, limit ${limit}`).toEqual(c.expected);
          expect(totals.every((x) => x.totalItems === c.expected.length && !x.estimated), `limit ${limit}`).toBe(true);
        }
      }
    });
  }

  it('orders by another field the same through trace_tags', async () => {
    const q: Partial<TraceQuery> = { tags: ['three'], orderBy: { field: 'id', direction: 'asc' } };
    const expected = TRACES.filter((t) => t.tags.includes('three')).map((t) => t.id);
    for (const rareTagUpTo of [0, 5_000]) expect((await walk(ctx, p, q, { rareTagUpTo }, 4)).ids).toEqual(expected);
  });

  it('past the exact bound, estimates the total, never below the rows known, exact on the last page', async () => {
    const even = matching((t) => t.tags.includes('even'));
    const { ids, totals } = await walk(ctx, p, { tags: ['even'] }, { exactCountUpTo: 5 }, 3);
    expect(ids).toEqual(even);
    totals.forEach((x, i) => {
      const known = Math.min(even.length, (i + 1) * 3 + 1);
      expect(x.totalItems, `page ${i + 1}`).toBeGreaterThanOrEqual(known);
    });
    // The last page knows the total; the ones before it estimate (20 matches over 40 hours: within 25 %).
    expect(totals[totals.length - 1]).toEqual({ totalItems: 20, estimated: false });
    expect(totals[0].estimated).toBe(true);
    expect(Math.abs(totals[0].totalItems - 20)).toBeLessThanOrEqual(5);
    // A page past the end still reports the total.
    const past = await ctx.storage.traces.list(p, tq({ tags: ['even'], page: 9, limit: 3 }), { exactCountUpTo: 50 });
    expect([past.rows.length, past.totalItems, past.totalEstimated]).toEqual([0, 20, false]);
  });
});
