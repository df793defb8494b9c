import { beforeAll, describe, expect, it } from 'vitest';
import type { FilterCondition, ObservationCursor, ObservationQuery } from '../storage.js';
import { describeEachEngine } from '../testing/each-engine.js';
import { rawEvent } from '../testing/index.js';
import { expectBadRequest, h, ids, iso, m, oq } from '../testing/store-queries.js';

describeEachEngine('observation store', (ctx) => {
  describe('list and get', () => {
    const p = ctx.newProject();
    beforeAll(async () => {
      await ctx.ingest(
        p,
        rawEvent('trace-create', { id: 'ot1', userId: 'ou1', sessionId: 'os1' }, m(0)),
        rawEvent('trace-create', { id: 'ot2', userId: 'ou2' }, m(0)),
        rawEvent('span-create', { id: 'ob1', traceId: 'ot1', name: 'root', startTime: iso(m(0)), environment: 'prod', version: 'v1', metadata: { k: 'v' } }, m(0)),
        rawEvent('generation-create', { id: 'ob2', traceId: 'ot1', parentObservationId: 'ob1', name: 'llm', startTime: iso(m(1)), level: 'ERROR', environment: 'prod', model: 'gpt-4o', statusMessage: 'boom' }, m(1)),
        rawEvent('event-create', { id: 'ob3', traceId: 'ot2', name: 'evt', startTime: iso(m(2)), level: 'WARNING', environment: 'dev', version: 'v2' }, m(2)),
        rawEvent('span-create', { id: 'ob4', traceId: 'ot2', parentObservationId: 'ob3', name: 'llm', startTime: iso(m(3)), environment: 'dev' }, m(3)),
        rawEvent('span-create', { id: 'ob5', name: 'orphan', startTime: iso(m(4)) }, m(4)),
      );
    });
    const list = async (q: Partial<ObservationQuery>) => ids(await ctx.storage.observations.list(p, oq(q)));

    it('lists newest first and applies every filter', async () => {
      const all = await ctx.storage.observations.list(p, oq());
      expect(ids(all)).toEqual(['ob5', 'ob4', 'ob3', 'ob2', 'ob1']);
      expect(all.totalItems).toBe(5);
      expect(await list({ name: 'llm' })).toEqual(['ob4', 'ob2']);
      expect(await list({ userId: 'ou1' })).toEqual(['ob2', 'ob1']);
      expect(await list({ sessionId: 'os1' })).toEqual(['ob2', 'ob1']);
      expect(await list({ type: 'GENERATION' })).toEqual(['ob2']);
      expect(await list({ traceId: 'ot2' })).toEqual(['ob4', 'ob3']);
      expect(await list({ level: 'ERROR' })).toEqual(['ob2']);
      expect(await list({ parentObservationId: 'ob3' })).toEqual(['ob4']);
      expect(await list({ environment: ['dev', 'nope'] })).toEqual(['ob4', 'ob3']);
      expect(await list({ fromStartTime: m(1), toStartTime: m(3) })).toEqual(['ob3', 'ob2']);
      expect(await list({ version: 'v2' })).toEqual(['ob3']);
      expect(await list({ isRootObservation: true })).toEqual(['ob5', 'ob3', 'ob1']);
      expect(await list({ isRootObservation: false })).toEqual(['ob4', 'ob2']);
      expect(await list({ traceId: 'ot2', name: 'llm' })).toEqual(['ob4']);
    });

    it('paginates with totalItems', async () => {
      const r = await ctx.storage.observations.list(p, { ...oq({ name: 'llm' }), page: 2, limit: 1 });
      expect(ids(r)).toEqual(['ob2']);
      expect(r.totalItems).toBe(2);
    });

    it('compiles observation filter objects', async () => {
      const f = (...filter: FilterCondition[]) => list({ filter });
      expect(await f({ type: 'stringOptions', column: 'type', operator: 'any of', value: ['EVENT', 'GENERATION'] })).toEqual(['ob3', 'ob2']);
      expect(await f({ type: 'string', column: 'model', operator: 'starts with', value: 'gpt' })).toEqual(['ob2']);
      expect(await f({ type: 'stringObject', column: 'metadata', key: 'k', operator: '=', value: 'v' })).toEqual(['ob1']);
      expect(await f({ type: 'datetime', column: 'startTime', operator: '>=', value: iso(m(3)) })).toEqual(['ob5', 'ob4']);
      expect(await f({ type: 'null', column: 'parentObservationId', operator: 'is null', value: '' })).toEqual(['ob5', 'ob3', 'ob1']);
      expect(await f({ type: 'string', column: 'statusMessage', operator: '=', value: 'boom' })).toEqual(['ob2']);
      await expectBadRequest(f({ type: 'string', column: 'tags', operator: '=', value: 'x' }), /unknown column "tags" for observations/);
    });

    it('gets one observation and the observations of traces', async () => {
      expect(await ctx.storage.observations.get(p, 'ob2')).toMatchObject({
        id: 'ob2', traceId: 'ot1', parentObservationId: 'ob1', type: 'GENERATION', model: 'gpt-4o', level: 'ERROR', statusMessage: 'boom', startTime: m(1),
      });
      expect(await ctx.storage.observations.get(p, 'nope')).toBeNull();
      expect(ids(await ctx.storage.observations.ofTraces(p, ['ot2', 'ot1']))).toEqual(['ob1', 'ob2', 'ob3', 'ob4']);
      expect(ids(await ctx.storage.observations.ofTraces(p, ['ot2']))).toEqual(['ob3', 'ob4']);
      expect(await ctx.storage.observations.ofTraces(p, [])).toEqual([]);
    });
  });

  describe('observation cursor pagination', () => {
    const p = ctx.newProject();
    const traces = ['ct1', 'ct2', undefined];
    const seeded = Array.from({ length: 14 }, (_, i) => ({
      id: `c${String(i + 1).padStart(2, '0')}`,
      traceId: traces[i % 3],
      start: m(i % 3),
      type: i % 2 === 0 ? 'span-create' : 'event-create',
    }));
    // Expected order: start time desc, trace id ('' when missing) desc, id desc.
    const expected = (rows: typeof seeded) =>
      [...rows]
        .sort((a, b) => b.start - a.start || (b.traceId ?? '').localeCompare(a.traceId ?? '') || b.id.localeCompare(a.id))
        .map((r) => r.id);

    beforeAll(async () => {
      await ctx.ingest(p, ...seeded.map((s) => rawEvent(s.type, { id: s.id, traceId: s.traceId, startTime: iso(s.start) }, s.start)));
    });

    /** Pages through like the v2 endpoint: asks limit+1 rows to know whether there is more. */
    async function pageAll(q: ObservationQuery, limit: number, during?: () => Promise<void>): Promise<string[][]> {
      const pages: string[][] = [];
      let cursor: ObservationCursor | undefined;
      for (;;) {
        const rows = await ctx.storage.observations.listAfter(p, { ...q, limit: limit + 1, cursor });
        const page = rows.slice(0, limit);
        pages.push(ids(page));
        if (rows.length <= limit) return pages;
        const last = page[page.length - 1];
        cursor = { lastStartTime: last.startTime, lastTraceId: last.traceId ?? '', lastId: last.id };
        if (pages.length === 1) await during?.();
      }
    }

    it('walks every row once, in order, across ties and missing trace ids', async () => {
      const pages = await pageAll({}, 4, () => ctx.ingest(p, rawEvent('span-create', { id: 'c99', traceId: 'ct1', startTime: iso(m(9)) }, m(9))));
      expect(pages.map((x) => x.length)).toEqual([4, 4, 4, 2]);
      // A newer row that arrives mid-walk sorts before the cursor and never shows up later.
      expect(pages.flat()).toEqual(expected(seeded));
    });

    it('pages through a filtered set and returns the first page without a cursor', async () => {
      const events = seeded.filter((s) => s.type === 'event-create');
      expect((await pageAll({ type: 'EVENT' }, 3)).flat()).toEqual(expected(events));
      const first = await ctx.storage.observations.listAfter(p, { limit: 2, traceId: 'ct2' });
      expect(ids(first)).toEqual(expected(seeded.filter((s) => s.traceId === 'ct2')).slice(0, 2));
    });
  });

  it('gives a trace tree in start order, without inputs, outputs or metadata', async () => {
    const p = ctx.newProject();
    await ctx.ingest(
      p,
      rawEvent('trace-create', { id: 'tt' }, h(0)),
      rawEvent('generation-create', { id: 'child', traceId: 'tt', parentObservationId: 'root', name: 'llm', startTime: iso(h(0) + 10), endTime: iso(h(0) + 20), model: 'gpt-4o', usageDetails: { total: 12 }, costDetails: { total: 0.5 }, input: 'secret', level: 'WARNING' }, h(0)),
      rawEvent('span-create', { id: 'root', traceId: 'tt', name: 'root', startTime: iso(h(0)), metadata: { big: true } }, h(0)),
      rawEvent('event-create', { id: 'a-tie', traceId: 'tt', startTime: iso(h(0) + 10) }, h(0)),
      rawEvent('span-create', { id: 'elsewhere', traceId: 'other-trace', startTime: iso(h(0)) }, h(0)),
    );
    const tree = await ctx.storage.observations.tree(p, 'tt');
    expect(tree.map((o) => o.id)).toEqual(['root', 'a-tie', 'child']);
    expect(tree[2]).toEqual({
      id: 'child', parentObservationId: 'root', type: 'GENERATION', name: 'llm', startTime: h(0) + 10, endTime: h(0) + 20,
      totalCost: 0.5, totalTokens: 12, level: 'WARNING', model: 'gpt-4o',
    });
    expect(tree[0]).toMatchObject({ parentObservationId: null, type: 'SPAN', endTime: null, totalCost: null, totalTokens: null, model: null });
    expect(await ctx.storage.observations.tree(p, 'no-such-trace')).toEqual([]);
  });

  it('another project sees none of its observations', async () => {
    const p = ctx.newProject();
    const other = ctx.newProject();
    await ctx.ingest(p, rawEvent('trace-create', { id: 'it' }, h(0)), rawEvent('span-create', { id: 'io', traceId: 'it', startTime: iso(h(0)) }, h(0)));
    expect(await ctx.storage.observations.list(other, { page: 1, limit: 10 })).toEqual({ rows: [], totalItems: 0 });
    expect(await ctx.storage.observations.listAfter(other, { limit: 10 })).toEqual([]);
    expect(await ctx.storage.observations.ofTraces(other, ['it'])).toEqual([]);
    expect(await ctx.storage.observations.get(other, 'io')).toBeNull();
    expect(await ctx.storage.observations.tree(other, 'it')).toEqual([]);
  });
});
