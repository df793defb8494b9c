import { beforeAll, describe, expect, it } from 'vitest';
import type { FilterCondition, TraceQuery, TraceSearchCursor, TraceSearchQuery } from '../storage.js';
import { describeEachEngine } from '../testing/each-engine.js';
import { rawEvent } from '../testing/index.js';
import { expectBadRequest, h, ids, iso, oq, sq, tq } from '../testing/store-queries.js';

describeEachEngine('trace store', (ctx) => {
  describe('list and get', () => {
    const p = ctx.newProject();
    beforeAll(async () => {
      await ctx.ingest(
        p,
        rawEvent('trace-create', { id: 'tr1', timestamp: iso(h(0)), name: 'alpha', userId: 'u1', sessionId: 's1', tags: ['a', 'b'], environment: 'prod', release: 'r1', version: 'v1', metadata: { team: 'x', n: 5 } }, h(0)),
        rawEvent('trace-create', { id: 'tr2', timestamp: iso(h(1)), name: 'beta', userId: 'u2', tags: ['a'], environment: 'dev', release: 'r2', version: 'v2', metadata: { team: 'y', n: 12 } }, h(1)),
        rawEvent('trace-create', { id: 'tr3', timestamp: iso(h(2)), name: 'alpha', userId: 'u1', tags: ['b', 'c'], environment: 'staging', metadata: { n: 'abc' } }, h(2)),
        rawEvent('trace-create', { id: 'tr4', timestamp: iso(h(3)), public: true }, h(3)),
        rawEvent('trace-create', { id: 'tr5', timestamp: iso(h(4)), name: '100%_done', sessionId: 's2', tags: ['a', 'b', 'c'], environment: 'prod' }, h(4)),
      );
    });
    const list = async (q: Partial<TraceQuery>) => ids(await ctx.storage.traces.list(p, tq(q)));

    it('lists newest first with totalItems', async () => {
      const r = await ctx.storage.traces.list(p, tq());
      expect(ids(r)).toEqual(['tr5', 'tr4', 'tr3', 'tr2', 'tr1']);
      expect(r.totalItems).toBe(5);
    });

    it('applies the simple filters', async () => {
      expect(await list({ userId: 'u1' })).toEqual(['tr3', 'tr1']);
      expect(await list({ name: 'alpha' })).toEqual(['tr3', 'tr1']);
      expect(await list({ sessionId: 's1' })).toEqual(['tr1']);
      expect(await list({ fromTimestamp: h(1), toTimestamp: h(3) })).toEqual(['tr3', 'tr2']);
      expect(await list({ version: 'v2' })).toEqual(['tr2']);
      expect(await list({ release: 'r1' })).toEqual(['tr1']);
      expect(await list({ userId: 'u1', environment: ['prod'] })).toEqual(['tr1']);
      expect(await list({ userId: 'nobody' })).toEqual([]);
    });

    it('matches tags as all-of and environments as any-of', async () => {
      expect(await list({ tags: ['a', 'b'] })).toEqual(['tr5', 'tr1']);
      expect(await list({ tags: ['c'] })).toEqual(['tr5', 'tr3']);
      expect(await list({ tags: ['a', 'zz'] })).toEqual([]);
      expect(await list({ environment: ['dev', 'staging'] })).toEqual(['tr3', 'tr2']);
      expect(await list({ environment: ['default'] })).toEqual(['tr4']);
    });

    it('orders by the requested field, NULLs last ascending, ties by id', async () => {
      expect(await list({ orderBy: { field: 'timestamp', direction: 'asc' } })).toEqual(['tr1', 'tr2', 'tr3', 'tr4', 'tr5']);
      expect(await list({ orderBy: { field: 'name', direction: 'asc' } })).toEqual(['tr5', 'tr1', 'tr3', 'tr2', 'tr4']);
      expect(await list({ orderBy: { field: 'name', direction: 'desc' } })).toEqual(['tr4', 'tr2', 'tr3', 'tr1', 'tr5']);
      expect(await list({ orderBy: { field: 'userId', direction: 'asc' } })).toEqual(['tr1', 'tr3', 'tr2', 'tr4', 'tr5']);
      expect(await list({ orderBy: { field: 'public', direction: 'desc' } })).toEqual(['tr4', 'tr5', 'tr3', 'tr2', 'tr1']);
    });

    it('paginates with a stable totalItems', async () => {
      const pages = await Promise.all([1, 2, 3, 4].map((page) => ctx.storage.traces.list(p, tq({ page, limit: 2 }))));
      expect(pages.map(ids)).toEqual([['tr5', 'tr4'], ['tr3', 'tr2'], ['tr1'], []]);
      expect(pages.map((x) => x.totalItems)).toEqual([5, 5, 5, 5]);
    });

    it('gets one trace by id', async () => {
      const t = await ctx.storage.traces.get(p, 'tr1');
      expect(t).toMatchObject({ id: 'tr1', name: 'alpha', userId: 'u1', sessionId: 's1', environment: 'prod', tags: ['a', 'b'], metadata: { team: 'x', n: 5 }, timestamp: h(0), public: false });
      expect((await ctx.storage.traces.get(p, 'tr4'))?.public).toBe(true);
      expect(await ctx.storage.traces.get(p, 'nope')).toBeNull();
    });

    it('compiles filter objects of every type', async () => {
      const f = (...filter: FilterCondition[]) => list({ filter });
      expect(await f({ type: 'datetime', column: 'timestamp', operator: '>=', value: iso(h(3)) })).toEqual(['tr5', 'tr4']);
      expect(await f({ type: 'datetime', column: 'timestamp', operator: '<', value: iso(h(1)) })).toEqual(['tr1']);
      expect(await f({ type: 'string', column: 'name', operator: '=', value: 'alpha' })).toEqual(['tr3', 'tr1']);
      expect(await f({ type: 'string', column: 'name', operator: 'contains', value: 'ALP' })).toEqual(['tr3', 'tr1']);
      expect(await f({ type: 'string', column: 'name', operator: 'does not contain', value: 'alp' })).toEqual(['tr5', 'tr4', 'tr2']);
      expect(await f({ type: 'string', column: 'name', operator: 'starts with', value: '100%' })).toEqual(['tr5']);
      expect(await f({ type: 'string', column: 'name', operator: 'ends with', value: 'ta' })).toEqual(['tr2']);
      // LIKE wildcards in values match literally.
      expect(await f({ type: 'string', column: 'name', operator: 'contains', value: '%' })).toEqual(['tr5']);
      expect(await f({ type: 'string', column: 'name', operator: 'contains', value: '_' })).toEqual(['tr5']);
      expect(await f({ type: 'stringOptions', column: 'userId', operator: 'any of', value: ['u2', 'zz'] })).toEqual(['tr2']);
      expect(await f({ type: 'stringOptions', column: 'userId', operator: 'none of', value: ['u1'] })).toEqual(['tr5', 'tr4', 'tr2']);
      expect(await f({ type: 'arrayOptions', column: 'tags', operator: 'any of', value: ['c', 'zz'] })).toEqual(['tr5', 'tr3']);
      expect(await f({ type: 'arrayOptions', column: 'tags', operator: 'all of', value: ['a', 'c'] })).toEqual(['tr5']);
      expect(await f({ type: 'arrayOptions', column: 'tags', operator: 'none of', value: ['a'] })).toEqual(['tr4', 'tr3']);
      expect(await f({ type: 'stringObject', column: 'metadata', key: 'team', operator: '=', value: 'x' })).toEqual(['tr1']);
      expect(await f({ type: 'stringObject', column: 'metadata', key: 'team', operator: 'contains', value: 'Y' })).toEqual(['tr2']);
      // tr3's n is "abc": not a number, so it never matches (and must not break the query).
      expect(await f({ type: 'numberObject', column: 'metadata', key: 'n', operator: '>', value: 10 })).toEqual(['tr2']);
      expect(await f({ type: 'numberObject', column: 'metadata', key: 'n', operator: '<=', value: 5 })).toEqual(['tr1']);
      expect(await f({ type: 'boolean', column: 'public', operator: '=', value: true })).toEqual(['tr4']);
      expect(await f({ type: 'boolean', column: 'public', operator: '<>', value: true })).toEqual(['tr5', 'tr3', 'tr2', 'tr1']);
      expect(await f({ type: 'null', column: 'userId', operator: 'is null', value: '' })).toEqual(['tr5', 'tr4']);
      expect(await f({ type: 'null', column: 'sessionId', operator: 'is not null', value: '' })).toEqual(['tr5', 'tr1']);
      expect(
        await f(
          { type: 'stringOptions', column: 'environment', operator: 'any of', value: ['prod'] },
          { type: 'arrayOptions', column: 'tags', operator: 'all of', value: ['a'] },
        ),
      ).toEqual(['tr5', 'tr1']);
    });

    it('lets a filter replace the simple filters', async () => {
      expect(await list({ userId: 'u2', filter: [{ type: 'string', column: 'name', operator: '=', value: 'alpha' }] })).toEqual(['tr3', 'tr1']);
    });

    it('rejects bad filters with a 400 naming the column and rule', async () => {
      const bad = (c: Partial<FilterCondition>) => ctx.storage.traces.list(p, tq({ filter: [c as FilterCondition] }));
      await expectBadRequest(bad({ type: 'string', column: 'foo', operator: '=', value: 'x' }), /filter\[0\]\.column: unknown column "foo" for traces; expected one of .*userId/);
      await expectBadRequest(bad({ type: 'string', column: 'name', operator: '>', value: 'x' }), /filter\[0\]\.operator: ">"/);
      await expectBadRequest(bad({ type: 'number', column: 'name', operator: '=', value: 1 }), /filter\[0\]\.type: "number" is not valid for column "name"/);
      await expectBadRequest(bad({ type: 'datetime', column: 'timestamp', operator: '>', value: 12 }), /filter\[0\]\.value: must be an ISO-8601/);
      await expectBadRequest(bad({ type: 'datetime', column: 'timestamp', operator: '>', value: 'yesterday' }), /filter\[0\]\.value/);
      await expectBadRequest(bad({ type: 'arrayOptions', column: 'tags', operator: 'any of', value: 'a' }), /filter\[0\]\.value: must be an array of strings/);
      await expectBadRequest(bad({ type: 'numberObject', column: 'metadata', operator: '>', value: 1 }), /filter\[0\]\.key/);
      await expectBadRequest(bad({ type: 'numberObject', column: 'metadata', key: 'n', operator: '>', value: '1' }), /filter\[0\]\.value: must be a finite number/);
    });
  });

  describe('trace aggregates', () => {
    const p = ctx.newProject();
    beforeAll(async () => {
      const b = h(0);
      await ctx.ingest(
        p,
        rawEvent('trace-create', { id: 'ta', timestamp: iso(b) }, b),
        rawEvent('trace-create', { id: 'tb', timestamp: iso(b + 1) }, b + 1),
        rawEvent('trace-create', { id: 'tc', timestamp: iso(b + 2) }, b + 2),
        rawEvent('generation-create', { id: 'o2', traceId: 'ta', startTime: iso(b + 1000), endTime: iso(b + 5000), costDetails: { total: 1 } }, b),
        rawEvent('generation-create', { id: 'o1', traceId: 'ta', startTime: iso(b), endTime: iso(b + 2000), costDetails: { input: 0.1, output: 0.2 } }, b),
        rawEvent('event-create', { id: 'o3', traceId: 'ta', startTime: iso(b + 3000) }, b),
        rawEvent('span-create', { id: 'o4', traceId: 'tc', startTime: iso(b), endTime: iso(b + 1500) }, b),
        rawEvent('score-create', { id: 'sc2', traceId: 'ta', name: 'q', value: 1 }, h(2)),
        rawEvent('score-create', { id: 'sc1', traceId: 'ta', name: 'q', value: 0 }, h(1)),
      );
    });

    it('computes observation ids, score ids, latency and total cost per trace', async () => {
      const r = await ctx.storage.traces.list(p, tq({ withObservations: true, withScores: true, withMetrics: true }));
      const by = Object.fromEntries(r.rows.map((t) => [t.id, t]));
      expect(by.ta).toMatchObject({ observationIds: ['o1', 'o2', 'o3'], scoreIds: ['sc1', 'sc2'], latency: 5 });
      expect(by.ta.totalCost).toBe(1.3);
      expect(by.tb).toMatchObject({ observationIds: [], scoreIds: [], latency: null, totalCost: 0 });
      expect(by.tc).toMatchObject({ observationIds: ['o4'], latency: 1.5, totalCost: 0 });
    });

    it('leaves aggregates out when not asked for', async () => {
      const r = await ctx.storage.traces.list(p, tq());
      for (const t of r.rows) expect(t).toMatchObject({ observationIds: [], scoreIds: [], latency: null, totalCost: null });
      const only = await ctx.storage.traces.list(p, tq({ withScores: true }));
      expect(only.rows.find((t) => t.id === 'ta')).toMatchObject({ observationIds: [], scoreIds: ['sc1', 'sc2'], latency: null });
    });
  });

  describe('delete', () => {
    it('deleteTraces removes traces, tags, observations, scores and logged events', async () => {
      const p = ctx.newProject();
      await ctx.ingest(
        p,
        rawEvent('trace-create', { id: 'dt1', name: 'gone', tags: ['old'], metadata: { old: true } }, h(1)),
        rawEvent('trace-create', { id: 'dt2', name: 'kept', tags: ['old'] }, h(1)),
        rawEvent('span-create', { id: 'dob', traceId: 'dt1', startTime: iso(h(1)) }, h(1)),
        // An update without traceId: it must go with its observation all the same.
        rawEvent('span-update', { id: 'dob', statusMessage: 'stale' }, h(2)),
        rawEvent('span-create', { id: 'kob', traceId: 'dt2', startTime: iso(h(1)) }, h(1)),
        rawEvent('score-create', { id: 'dsc', traceId: 'dt1', name: 'q', value: 1 }, h(1)),
        rawEvent('score-create', { id: 'ksc', traceId: 'dt2', name: 'q', value: 1 }, h(1)),
      );
      expect(await ctx.storage.traces.delete(p, ['dt1', 'missing'])).toBe(1);
      expect(await ctx.storage.traces.get(p, 'dt1')).toBeNull();
      expect(await ctx.storage.observations.get(p, 'dob')).toBeNull();
      expect(await ctx.storage.scores.get(p, 'dsc')).toBeNull();
      expect(ids(await ctx.storage.traces.list(p, tq({ tags: ['old'] })))).toEqual(['dt2']);
      expect(ids(await ctx.storage.observations.list(p, oq()))).toEqual(['kob']);
      expect(ids(await ctx.storage.scores.list(p, sq()))).toEqual(['ksc']);

      // Recreate, then force replays with older events: the deleted events must not come back.
      await ctx.ingest(p, rawEvent('trace-create', { id: 'dt1', name: 'new' }, h(5)), rawEvent('span-create', { id: 'dob', traceId: 'dt1', startTime: iso(h(5)) }, h(5)));
      await ctx.ingest(p, rawEvent('trace-create', { id: 'dt1', tags: ['fresh'] }, h(0)), rawEvent('span-update', { id: 'dob', version: 'v' }, h(0)));
      expect(await ctx.storage.traces.get(p, 'dt1')).toMatchObject({ name: 'new', tags: ['fresh'], metadata: {} });
      expect(await ctx.storage.observations.get(p, 'dob')).toMatchObject({ statusMessage: null, version: 'v' });
      expect(await ctx.storage.traces.delete(p, [])).toBe(0);
    });

    it("another project's delete touches nothing of this project's", async () => {
      const p = ctx.newProject();
      const other = ctx.newProject();
      await ctx.ingest(
        p,
        rawEvent('trace-create', { id: 'it', sessionId: 'is', tags: ['t'] }, h(0)),
        rawEvent('span-create', { id: 'io', traceId: 'it', startTime: iso(h(0)) }, h(0)),
        rawEvent('score-create', { id: 'isc', traceId: 'it', name: 'q', value: 1 }, h(0)),
      );
      expect(await ctx.storage.traces.delete(other, ['it'])).toBe(0);
      const own = await ctx.storage.traces.list(p, tq({ withObservations: true, withScores: true }));
      expect(own.rows.map((t) => [t.id, t.observationIds, t.scoreIds])).toEqual([['it', ['io'], ['isc']]]);
    });
  });

  describe('search', () => {
    const p = ctx.newProject();
    beforeAll(async () => {
      await ctx.ingest(
        p,
        rawEvent('trace-create', { id: 'sa', timestamp: iso(h(0)), name: 'checkout', userId: 'ua', metadata: { plan: 'pro' }, input: 'Where is my ORDER?' }, h(0)),
        rawEvent('trace-create', { id: 'sb', timestamp: iso(h(1)), name: 'search', userId: 'ub', tags: ['x'] }, h(1)),
        rawEvent('trace-create', { id: 'sc', timestamp: iso(h(2)), userId: 'ua', tags: ['x', 'y'], environment: 'dev' }, h(2)),
        rawEvent('trace-create', { id: 'sd', timestamp: iso(h(3)), name: 'checkout', metadata: { plan: 'free' } }, h(3)),
        rawEvent('span-create', { id: 'sob', traceId: 'sb', name: 'vector-lookup', startTime: iso(h(1)), level: 'ERROR' }, h(1)),
      );
    });
    const search = async (q: Partial<TraceSearchQuery>) =>
      ids((await ctx.storage.traces.search(p, { sort: { field: 'timestamp', direction: 'desc' }, limit: 50, ...q })).rows);

    it('walks keyset pages in the sort order, each trace once, NULLs sorting as empty', async () => {
      const walk = async (sort: TraceSearchQuery['sort']) => {
        const seen: string[][] = [];
        let cursor: TraceSearchCursor | undefined;
        do {
          const page = await ctx.storage.traces.search(p, { sort, limit: 3, cursor });
          seen.push(ids(page.rows));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return seen;
      };
      expect(await walk({ field: 'timestamp', direction: 'desc' })).toEqual([['sd', 'sc', 'sb'], ['sa']]);
      expect(await walk({ field: 'name', direction: 'asc' })).toEqual([['sc', 'sa', 'sd'], ['sb']]);
      expect(await walk({ field: 'userId', direction: 'desc' })).toEqual([['sb', 'sc', 'sa'], ['sd']]);
    });

    it('filters and searches trace text, observation names and the exact id', async () => {
      expect(await search({ search: 'order' })).toEqual(['sa']);
      expect(await search({ search: 'vector' })).toEqual(['sb']);
      expect(await search({ search: 'sd' })).toEqual(['sd']);
      expect(await search({ level: 'ERROR' })).toEqual(['sb']);
      expect(await search({ metadata: [{ key: 'plan', value: 'pro' }] })).toEqual(['sa']);
      expect(await search({ tags: ['x', 'y'] })).toEqual(['sc']);
      expect(await search({ userId: 'ua', environment: ['default'] })).toEqual(['sa']);
      expect(await search({ name: 'checkout', fromTimestamp: h(1) })).toEqual(['sd']);
    });

    it('finds traces with an ERROR observation as their observations stand after every merge, whatever their order', async () => {
      const q = ctx.newProject();
      const errorTraces = async () => ids((await ctx.storage.traces.search(q, { sort: { field: 'timestamp', direction: 'desc' }, limit: 50, level: 'ERROR' })).rows);
      await ctx.ingest(
        q,
        rawEvent('trace-create', { id: 'e1', timestamp: iso(h(0)) }, h(0)),
        rawEvent('trace-create', { id: 'e2', timestamp: iso(h(1)) }, h(1)),
        rawEvent('trace-create', { id: 'e3', timestamp: iso(h(2)) }, h(2)),
        // e1: an error that a later update clears; e2: an update that arrived before its create makes it an error.
        rawEvent('span-create', { id: 'o1', traceId: 'e1', startTime: iso(h(0)), level: 'ERROR' }, h(0)),
        rawEvent('span-update', { id: 'o2', traceId: 'e2', level: 'ERROR' }, h(1) + 2),
        rawEvent('span-create', { id: 'o2', traceId: 'e2', startTime: iso(h(1)), level: 'DEFAULT' }, h(1) + 1),
        rawEvent('span-create', { id: 'o3', traceId: 'e3', startTime: iso(h(2)), level: 'WARNING' }, h(2)),
      );
      expect(await errorTraces()).toEqual(['e2', 'e1']);
      await ctx.ingest(q, rawEvent('span-update', { id: 'o1', traceId: 'e1', level: 'DEFAULT' }, h(0) + 5), rawEvent('span-create', { id: 'o4', traceId: 'e3', startTime: iso(h(2)), level: 'ERROR' }, h(2) + 1));
      expect(await errorTraces()).toEqual(['e3', 'e2']);
      // The same answer as reading the observations themselves.
      expect(ids((await ctx.storage.traces.search(q, { sort: { field: 'timestamp', direction: 'desc' }, limit: 50, level: 'WARNING' })).rows)).toEqual(['e3']);
    });
  });

  describe('totals, environments and change marker', () => {
    it('gives each asked trace its totals, empty ones to traces without observations', async () => {
      const p = ctx.newProject();
      await ctx.ingest(
        p,
        rawEvent('trace-create', { id: 'tt' }, h(0)),
        rawEvent('generation-create', { id: 'g1', traceId: 'tt', startTime: iso(h(0)), endTime: iso(h(0) + 1500), usageDetails: { total: 7 }, costDetails: { total: 0.1 }, level: 'ERROR' }, h(0)),
        rawEvent('generation-create', { id: 'g2', traceId: 'tt', startTime: iso(h(0) + 500), usageDetails: { total: 3 }, costDetails: { total: 0.2 } }, h(0)),
      );
      const totals = await ctx.storage.traces.totals(p, ['tt', 'none']);
      expect(totals.get('tt')).toEqual({ latencyMs: 1500, totalCost: 0.3, totalTokens: 10, observationCount: 2, errorCount: 1 });
      expect(totals.get('none')).toEqual({ latencyMs: null, totalCost: 0, totalTokens: 0, observationCount: 0, errorCount: 0 });
    });

    it("lists the project's environments once each, sorted, and marks changes", async () => {
      const p = ctx.newProject();
      expect(await ctx.storage.traces.environments(p)).toEqual([]);
      expect(await ctx.storage.traces.updatedAt(p)).toBe(0);
      await ctx.ingest(p, rawEvent('trace-create', { id: 'e1', environment: 'prod' }, h(0)), rawEvent('trace-create', { id: 'e2', environment: 'dev' }, h(0)), rawEvent('trace-create', { id: 'e3', environment: 'prod' }, h(0)));
      expect(await ctx.storage.traces.environments(p)).toEqual(['dev', 'prod']);
      const marker = await ctx.storage.traces.updatedAt(p);
      expect(marker).toBeGreaterThan(0);
      await ctx.ingest(p, rawEvent('trace-create', { id: 'e1', name: 'renamed' }, h(1)));
      expect(await ctx.storage.traces.updatedAt(p)).toBeGreaterThanOrEqual(marker);
    });
  });

  it('another project sees none of its traces', async () => {
    const p = ctx.newProject();
    const other = ctx.newProject();
    await ctx.ingest(
      p,
      rawEvent('trace-create', { id: 'it', sessionId: 'is', tags: ['t'], environment: 'prod' }, h(0)),
      rawEvent('span-create', { id: 'io', traceId: 'it', startTime: iso(h(0)) }, h(0)),
      rawEvent('score-create', { id: 'isc', traceId: 'it', name: 'q', value: 1 }, h(0)),
    );
    expect((await ctx.storage.traces.list(other, tq({ withObservations: true, withScores: true, withMetrics: true }))).totalItems).toBe(0);
    expect(await ctx.storage.traces.list(other, tq({ tags: ['t'] }))).toEqual({ rows: [], totalItems: 0, totalEstimated: false });
    expect(await ctx.storage.traces.get(other, 'it')).toBeNull();
    expect(await ctx.storage.traces.search(other, { search: 'it', sort: { field: 'timestamp', direction: 'desc' }, limit: 10 })).toEqual({ rows: [], nextCursor: null });
    expect((await ctx.storage.traces.totals(other, ['it'])).get('it')?.observationCount).toBe(0);
    expect(await ctx.storage.traces.environments(other)).toEqual([]);
    expect(await ctx.storage.traces.updatedAt(other)).toBe(0);
  });
});
