import { AppError, type TraceRecord } from '@sightline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilterCondition, ObservationCursor, ObservationQuery, ScoreQuery, Storage, TraceQuery } from './storage.js';
import { ENGINES, ingestItem, openTestStorage, rawEvent, type RawEvent } from './testing/index.js';

/** Epoch ms of 2024-01-01 plus `hours`. */
const h = (hours: number) => Date.UTC(2024, 0, 1) + hours * 3_600_000;
/** Epoch ms of 2024-01-01 plus `minutes`. */
const m = (minutes: number) => Date.UTC(2024, 0, 1) + minutes * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const ids = (r: { rows: { id: string }[] } | { id: string }[]) => ('rows' in r ? r.rows : r).map((x) => x.id);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const tq = (over: Partial<TraceQuery> = {}): TraceQuery => ({
  page: 1, limit: 50, withObservations: false, withScores: false, withMetrics: false, ...over,
});
const sq = (over: Partial<ScoreQuery> = {}): ScoreQuery => ({ page: 1, limit: 50, ...over });
const oq = (over: Partial<ObservationQuery> = {}) => ({ page: 1, limit: 50, ...over });

async function expectBadRequest(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).status).toBe(400);
  expect((err as AppError).message).toMatch(pattern);
}

/** The merged state without the fields that depend on when it was written. */
const stable = ({ projectId: _p, createdAt: _c, updatedAt: _u, ...rest }: { projectId: string; createdAt: number; updatedAt: number }) => rest;

describe.each(ENGINES)('storage conformance: %s', (engine) => {
  let storage: Storage;
  let close: () => Promise<void>;
  let projects = 0;
  const newProject = () => `proj-${++projects}`;
  const ingest = (projectId: string, ...events: RawEvent[]) => storage.ingest([ingestItem(projectId, events)]);
  /** Each event in its own commit, in the given order. */
  const ingestOneByOne = async (projectId: string, events: RawEvent[]) => {
    for (const e of events) await ingest(projectId, e);
  };

  beforeAll(async () => {
    ({ storage, close } = await openTestStorage(engine));
  });
  afterAll(async () => {
    await close?.();
  });

  it('runs on the requested engine', () => {
    expect(storage.dialect).toBe(engine);
  });

  describe('traces', () => {
    const p = newProject();
    beforeAll(async () => {
      await ingest(
        p,
        rawEvent('trace-create', { id: 'tr1', timestamp: iso(h(0)), name: 'alpha', userId: 'u1', sessionId: 's1', tags: ['a', 'b'], environment: 'prod', release: 'r1', version: 'v1', metadata: { team: 'x', n: 5 } }, h(0)),
        rawEvent('trace-create', { id: 'tr2', timestamp: iso(h(1)), name: 'beta', userId: 'u2', tags: ['a'], environment: 'dev', release: 'r2', version: 'v2', metadata: { team: 'y', n: 12 } }, h(1)),
        rawEvent('trace-create', { id: 'tr3', timestamp: iso(h(2)), name: 'alpha', userId: 'u1', tags: ['b', 'c'], environment: 'staging', metadata: { n: 'abc' } }, h(2)),
        rawEvent('trace-create', { id: 'tr4', timestamp: iso(h(3)), public: true }, h(3)),
        rawEvent('trace-create', { id: 'tr5', timestamp: iso(h(4)), name: '100%_done', sessionId: 's2', tags: ['a', 'b', 'c'], environment: 'prod' }, h(4)),
      );
    });
    const list = async (q: Partial<TraceQuery>) => ids(await storage.traces.list(p, tq(q)));

    it('lists newest first with totalItems', async () => {
      const r = await storage.traces.list(p, tq());
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
      const pages = await Promise.all([1, 2, 3, 4].map((page) => storage.traces.list(p, tq({ page, limit: 2 }))));
      expect(pages.map(ids)).toEqual([['tr5', 'tr4'], ['tr3', 'tr2'], ['tr1'], []]);
      expect(pages.map((x) => x.totalItems)).toEqual([5, 5, 5, 5]);
    });

    it('gets one trace by id', async () => {
      const t = await storage.traces.get(p, 'tr1');
      expect(t).toMatchObject({ id: 'tr1', name: 'alpha', userId: 'u1', sessionId: 's1', environment: 'prod', tags: ['a', 'b'], metadata: { team: 'x', n: 5 }, timestamp: h(0), public: false });
      expect((await storage.traces.get(p, 'tr4'))?.public).toBe(true);
      expect(await storage.traces.get(p, 'nope')).toBeNull();
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
      const bad = (c: Partial<FilterCondition>) => storage.traces.list(p, tq({ filter: [c as FilterCondition] }));
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
    const p = newProject();
    beforeAll(async () => {
      const b = h(0);
      await ingest(
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
      const r = await storage.traces.list(p, tq({ withObservations: true, withScores: true, withMetrics: true }));
      const by = Object.fromEntries(r.rows.map((t) => [t.id, t]));
      expect(by.ta).toMatchObject({ observationIds: ['o1', 'o2', 'o3'], scoreIds: ['sc1', 'sc2'], latency: 5 });
      expect(by.ta.totalCost).toBe(1.3);
      expect(by.tb).toMatchObject({ observationIds: [], scoreIds: [], latency: null, totalCost: 0 });
      expect(by.tc).toMatchObject({ observationIds: ['o4'], latency: 1.5, totalCost: 0 });
    });

    it('leaves aggregates out when not asked for', async () => {
      const r = await storage.traces.list(p, tq());
      for (const t of r.rows) expect(t).toMatchObject({ observationIds: [], scoreIds: [], latency: null, totalCost: null });
      const only = await storage.traces.list(p, tq({ withScores: true }));
      expect(only.rows.find((t) => t.id === 'ta')).toMatchObject({ observationIds: [], scoreIds: ['sc1', 'sc2'], latency: null });
    });
  });

  describe('observations', () => {
    const p = newProject();
    beforeAll(async () => {
      await ingest(
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
    const list = async (q: Partial<ObservationQuery>) => ids(await storage.observations.list(p, oq(q)));

    it('lists newest first and applies every filter', async () => {
      const all = await storage.observations.list(p, oq());
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
      const r = await storage.observations.list(p, { ...oq({ name: 'llm' }), page: 2, limit: 1 });
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
      expect(await storage.observations.get(p, 'ob2')).toMatchObject({
        id: 'ob2', traceId: 'ot1', parentObservationId: 'ob1', type: 'GENERATION', model: 'gpt-4o', level: 'ERROR', statusMessage: 'boom', startTime: m(1),
      });
      expect(await storage.observations.get(p, 'nope')).toBeNull();
      expect(ids(await storage.observations.ofTraces(p, ['ot2', 'ot1']))).toEqual(['ob1', 'ob2', 'ob3', 'ob4']);
      expect(ids(await storage.observations.ofTraces(p, ['ot2']))).toEqual(['ob3', 'ob4']);
      expect(await storage.observations.ofTraces(p, [])).toEqual([]);
    });
  });

  describe('observation cursor pagination', () => {
    const p = newProject();
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
      await ingest(p, ...seeded.map((s) => rawEvent(s.type, { id: s.id, traceId: s.traceId, startTime: iso(s.start) }, s.start)));
    });

    /** Pages through like the v2 endpoint: asks limit+1 rows to know whether there is more. */
    async function pageAll(q: ObservationQuery, limit: number, during?: () => Promise<void>): Promise<string[][]> {
      const pages: string[][] = [];
      let cursor: ObservationCursor | undefined;
      for (;;) {
        const rows = await storage.observations.listAfter(p, { ...q, limit: limit + 1, cursor });
        const page = rows.slice(0, limit);
        pages.push(ids(page));
        if (rows.length <= limit) return pages;
        const last = page[page.length - 1];
        cursor = { lastStartTime: last.startTime, lastTraceId: last.traceId ?? '', lastId: last.id };
        if (pages.length === 1) await during?.();
      }
    }

    it('walks every row once, in order, across ties and missing trace ids', async () => {
      const pages = await pageAll({}, 4, () => ingest(p, rawEvent('span-create', { id: 'c99', traceId: 'ct1', startTime: iso(m(9)) }, m(9))));
      expect(pages.map((x) => x.length)).toEqual([4, 4, 4, 2]);
      // A newer row that arrives mid-walk sorts before the cursor and never shows up later.
      expect(pages.flat()).toEqual(expected(seeded));
    });

    it('pages through a filtered set and returns the first page without a cursor', async () => {
      const events = seeded.filter((s) => s.type === 'event-create');
      expect((await pageAll({ type: 'EVENT' }, 3)).flat()).toEqual(expected(events));
      const first = await storage.observations.listAfter(p, { limit: 2, traceId: 'ct2' });
      expect(ids(first)).toEqual(expected(seeded.filter((s) => s.traceId === 'ct2')).slice(0, 2));
    });
  });

  describe('scores', () => {
    const p = newProject();
    beforeAll(async () => {
      await ingest(
        p,
        rawEvent('trace-create', { id: 'st1', userId: 'su1', tags: ['x', 'y'], environment: 'prod', sessionId: 'ss1' }, h(0)),
        rawEvent('trace-create', { id: 'st2', userId: 'su2', tags: ['x'], environment: 'dev' }, h(0)),
        rawEvent('score-create', { id: 'sc1', traceId: 'st1', observationId: 'sob1', name: 'quality', value: 0.9, environment: 'prod', comment: 'good', metadata: { rater: 'alice' }, configId: 'cfg1' }, h(1)),
        rawEvent('score-create', { id: 'sc2', traceId: 'st2', name: 'quality', value: 0.2, source: 'EVAL', environment: 'dev', queueId: 'q1' }, h(2)),
        rawEvent('score-create', { id: 'sc3', traceId: 'st1', name: 'label', value: 'yes', environment: 'prod' }, h(3)),
        rawEvent('score-create', { id: 'sc4', sessionId: 'sess-x', name: 'quality', value: 1, dataType: 'BOOLEAN' }, h(4)),
        rawEvent('score-create', { id: 'sc5', datasetRunId: 'run1', name: 'quality', value: 0.5 }, h(5)),
        rawEvent('score-create', { id: 'sc6', traceId: 'missing-trace', name: 'quality', value: 0.7 }, h(6)),
      );
    });
    const list = async (q: Partial<ScoreQuery>) => ids(await storage.scores.list(p, sq(q)));

    it('lists newest first with the trace summary when the trace exists', async () => {
      const r = await storage.scores.list(p, sq());
      expect(ids(r)).toEqual(['sc6', 'sc5', 'sc4', 'sc3', 'sc2', 'sc1']);
      expect(r.totalItems).toBe(6);
      const by = Object.fromEntries(r.rows.map((s) => [s.id, s]));
      expect(by.sc1.trace).toEqual({ userId: 'su1', tags: ['x', 'y'], environment: 'prod', sessionId: 'ss1' });
      expect(by.sc2.trace).toEqual({ userId: 'su2', tags: ['x'], environment: 'dev', sessionId: null });
      expect(by.sc4.trace).toBeNull();
      expect(by.sc6.trace).toBeNull();
      expect(by.sc1).toMatchObject({ comment: 'good', metadata: { rater: 'alice' }, timestamp: h(1), observationId: 'sob1' });
    });

    it('applies every score filter', async () => {
      expect(await list({ userId: 'su1' })).toEqual(['sc3', 'sc1']);
      expect(await list({ name: 'quality' })).toEqual(['sc6', 'sc5', 'sc4', 'sc2', 'sc1']);
      expect(await list({ fromTimestamp: h(2), toTimestamp: h(4) })).toEqual(['sc3', 'sc2']);
      expect(await list({ environment: ['dev', 'nope'] })).toEqual(['sc2']);
      expect(await list({ source: 'EVAL' })).toEqual(['sc2']);
      expect(await list({ name: 'quality', operator: '>=', value: 0.7 })).toEqual(['sc6', 'sc4', 'sc1']);
      expect(await list({ operator: '!=', value: 0.2 })).toEqual(['sc6', 'sc5', 'sc4', 'sc3', 'sc1']);
      expect(await list({ scoreIds: ['sc1', 'sc5'] })).toEqual(['sc5', 'sc1']);
      expect(await list({ configId: 'cfg1' })).toEqual(['sc1']);
      expect(await list({ sessionId: 'sess-x' })).toEqual(['sc4']);
      expect(await list({ datasetRunId: 'run1' })).toEqual(['sc5']);
      expect(await list({ traceId: 'st1' })).toEqual(['sc3', 'sc1']);
      expect(await list({ observationId: 'sob1' })).toEqual(['sc1']);
      expect(await list({ queueId: 'q1' })).toEqual(['sc2']);
      expect(await list({ dataType: 'CATEGORICAL' })).toEqual(['sc3']);
      expect(await list({ traceTags: ['x', 'y'] })).toEqual(['sc3', 'sc1']);
      expect(await list({ traceTags: ['x'] })).toEqual(['sc3', 'sc2', 'sc1']);
    });

    it('compiles score filter objects and paginates', async () => {
      const f = (...filter: FilterCondition[]) => list({ filter });
      expect(await f({ type: 'number', column: 'value', operator: '>', value: 0.6 })).toEqual(['sc6', 'sc4', 'sc1']);
      expect(await f({ type: 'stringObject', column: 'metadata', key: 'rater', operator: '=', value: 'alice' })).toEqual(['sc1']);
      expect(await f({ type: 'string', column: 'comment', operator: 'contains', value: 'goo' })).toEqual(['sc1']);
      expect(await f({ type: 'stringOptions', column: 'source', operator: 'none of', value: ['API'] })).toEqual(['sc2']);
      await expectBadRequest(f({ type: 'arrayOptions', column: 'tags', operator: 'any of', value: ['x'] }), /unknown column "tags" for scores/);
      const page = await storage.scores.list(p, sq({ page: 2, limit: 4 }));
      expect(ids(page)).toEqual(['sc2', 'sc1']);
      expect(page.totalItems).toBe(6);
    });

    it('gets scores by id and by trace', async () => {
      expect(await storage.scores.get(p, 'sc3')).toMatchObject({ name: 'label', value: 0, stringValue: 'yes', dataType: 'CATEGORICAL', source: 'API' });
      expect(await storage.scores.get(p, 'nope')).toBeNull();
      expect(ids(await storage.scores.ofTraces(p, ['st2', 'st1']))).toEqual(['sc1', 'sc2', 'sc3']);
      expect(await storage.scores.ofTraces(p, [])).toEqual([]);
    });
  });

  describe('deletion', () => {
    it('deleteScore removes the score and its logged events', async () => {
      const p = newProject();
      await ingest(p, rawEvent('score-create', { id: 'ds', traceId: 't', name: 'q', value: 1, comment: 'old', metadata: { a: 1 } }, h(2)));
      expect(await storage.scores.delete(p, 'ds')).toBe(true);
      expect(await storage.scores.get(p, 'ds')).toBeNull();
      expect(await storage.scores.delete(p, 'ds')).toBe(false);
      // Recreate it, then force a replay with an older event: nothing of the deleted events returns.
      await ingest(p, rawEvent('score-create', { id: 'ds', traceId: 't', name: 'new', value: 2 }, h(3)));
      await ingest(p, rawEvent('score-create', { id: 'ds', traceId: 't', name: 'older', value: 3 }, h(1)));
      expect(await storage.scores.get(p, 'ds')).toMatchObject({ name: 'new', value: 2, comment: null, metadata: {}, timestamp: h(1) });
    });

    it('deleteTraces removes traces, tags, observations, scores and logged events', async () => {
      const p = newProject();
      await ingest(
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
      expect(await storage.traces.delete(p, ['dt1', 'missing'])).toBe(1);
      expect(await storage.traces.get(p, 'dt1')).toBeNull();
      expect(await storage.observations.get(p, 'dob')).toBeNull();
      expect(await storage.scores.get(p, 'dsc')).toBeNull();
      expect(ids(await storage.traces.list(p, tq({ tags: ['old'] })))).toEqual(['dt2']);
      expect(ids(await storage.observations.list(p, oq()))).toEqual(['kob']);
      expect(ids(await storage.scores.list(p, sq()))).toEqual(['ksc']);

      // Recreate, then force replays with older events: the deleted events must not come back.
      await ingest(p, rawEvent('trace-create', { id: 'dt1', name: 'new' }, h(5)), rawEvent('span-create', { id: 'dob', traceId: 'dt1', startTime: iso(h(5)) }, h(5)));
      await ingest(p, rawEvent('trace-create', { id: 'dt1', tags: ['fresh'] }, h(0)), rawEvent('span-update', { id: 'dob', version: 'v' }, h(0)));
      expect(await storage.traces.get(p, 'dt1')).toMatchObject({ name: 'new', tags: ['fresh'], metadata: {} });
      expect(await storage.observations.get(p, 'dob')).toMatchObject({ statusMessage: null, version: 'v' });
      expect(await storage.traces.delete(p, [])).toBe(0);
    });
  });

  describe('sessions', () => {
    const p = newProject();
    let between = 0;
    beforeAll(async () => {
      await ingest(p, rawEvent('trace-create', { id: 'x1', sessionId: 'sa', environment: 'prod' }, h(0)), rawEvent('trace-create', { id: 'x2' }, h(0)));
      await sleep(20);
      between = Date.now();
      await sleep(20);
      await ingest(p, rawEvent('trace-create', { id: 'x3', sessionId: 'sb', environment: 'dev' }, h(0)));
      // A second trace of an existing session changes nothing.
      await ingest(p, rawEvent('trace-create', { id: 'x4', sessionId: 'sa', environment: 'dev' }, h(0)));
    });

    it('creates one session per sessionId, from its first trace', async () => {
      const r = await storage.sessions.list(p, { page: 1, limit: 10 });
      expect(ids(r)).toEqual(['sb', 'sa']);
      expect(r.totalItems).toBe(2);
      expect(await storage.sessions.get(p, 'sa')).toMatchObject({ id: 'sa', projectId: p, environment: 'prod' });
      expect((await storage.sessions.get(p, 'sa'))!.createdAt).toBeLessThan(between);
      expect(await storage.sessions.get(p, 'nope')).toBeNull();
    });

    it('takes the environment of the earliest trace by (timestamp, id), whichever commits first', async () => {
      const q = newProject();
      await ingest(q, rawEvent('trace-create', { id: 'late', sessionId: 'ss', environment: 'staging' }, h(2)));
      await ingest(q, rawEvent('trace-create', { id: 'tie-b', sessionId: 'ss', environment: 'dev' }, h(1)));
      expect(await storage.sessions.get(q, 'ss')).toMatchObject({ environment: 'dev' });
      await ingest(q, rawEvent('trace-create', { id: 'tie-a', sessionId: 'ss', environment: 'prod' }, h(1)));
      expect(await storage.sessions.get(q, 'ss')).toMatchObject({ environment: 'prod' });
      // A trace whose first event arrives late moves earlier too.
      await ingest(q, rawEvent('trace-create', { id: 'late', sessionId: 'ss', environment: 'test' }, h(0)));
      expect(await storage.sessions.get(q, 'ss')).toMatchObject({ environment: 'test' });
      expect((await storage.sessions.list(q, { page: 1, limit: 10 })).totalItems).toBe(1);
    });

    it('filters by creation time bounds and environment, and paginates', async () => {
      expect(ids(await storage.sessions.list(p, { page: 1, limit: 10, fromTimestamp: between }))).toEqual(['sb']);
      expect(ids(await storage.sessions.list(p, { page: 1, limit: 10, toTimestamp: between }))).toEqual(['sa']);
      expect(ids(await storage.sessions.list(p, { page: 1, limit: 10, environment: ['dev'] }))).toEqual(['sb']);
      const second = await storage.sessions.list(p, { page: 2, limit: 1 });
      expect(ids(second)).toEqual(['sa']);
      expect(second.totalItems).toBe(2);
    });
  });

  it('keeps projects apart: another project sees nothing', async () => {
    const p = newProject();
    const other = newProject();
    await ingest(
      p,
      rawEvent('trace-create', { id: 'it', sessionId: 'is', tags: ['t'] }, h(0)),
      rawEvent('span-create', { id: 'io', traceId: 'it', startTime: iso(h(0)) }, h(0)),
      rawEvent('score-create', { id: 'isc', traceId: 'it', name: 'q', value: 1 }, h(0)),
    );
    const page = { page: 1, limit: 10 };
    expect((await storage.traces.list(other, tq({ withObservations: true, withScores: true, withMetrics: true }))).totalItems).toBe(0);
    expect(await storage.traces.list(other, tq({ tags: ['t'] }))).toEqual({ rows: [], totalItems: 0 });
    expect(await storage.traces.get(other, 'it')).toBeNull();
    expect(await storage.observations.list(other, page)).toEqual({ rows: [], totalItems: 0 });
    expect(await storage.observations.listAfter(other, { limit: 10 })).toEqual([]);
    expect(await storage.observations.ofTraces(other, ['it'])).toEqual([]);
    expect(await storage.observations.get(other, 'io')).toBeNull();
    expect(await storage.scores.list(other, sq())).toEqual({ rows: [], totalItems: 0 });
    expect(await storage.scores.ofTraces(other, ['it'])).toEqual([]);
    expect(await storage.scores.get(other, 'isc')).toBeNull();
    expect(await storage.sessions.list(other, page)).toEqual({ rows: [], totalItems: 0 });
    expect(await storage.sessions.get(other, 'is')).toBeNull();
    expect(await storage.traces.delete(other, ['it'])).toBe(0);
    expect(await storage.scores.delete(other, 'isc')).toBe(false);
    // ...and its deletes did not touch the owner's data.
    const own = await storage.traces.list(p, tq({ withObservations: true, withScores: true }));
    expect(own.rows.map((t) => [t.id, t.observationIds, t.scoreIds])).toEqual([['it', ['io'], ['isc']]]);
  });

  describe('merge rules do not depend on arrival order', () => {
    const traceEvents = [
      rawEvent('trace-create', { id: 'mt', timestamp: iso(h(0)), name: 'first', userId: 'u1', environment: 'prod', metadata: { a: { x: 1 }, keep: 'k' }, tags: ['t1'], input: { q: 1 }, output: 'o1' }, h(1)),
      rawEvent('trace-create', { id: 'mt', timestamp: iso(h(9)), name: 'second', userId: 'u2', environment: 'dev', metadata: { a: { y: 2 } }, tags: ['t2'], input: null, output: '' }, h(2)),
      rawEvent('trace-create', { id: 'mt', name: null, tags: ['t1', 't3'], metadata: { keep: 'k2' }, input: { q: 3 } }, h(3)),
    ];
    const observationEvents = [
      rawEvent('generation-create', { id: 'mo', traceId: 'mt', name: 'gen', startTime: iso(h(1)), model: 'm1', usageDetails: { input: 3 }, metadata: { s: 1 } }, h(1)),
      rawEvent('generation-update', { id: 'mo', endTime: iso(h(2)), output: 'answer', costDetails: { total: 0.5 }, metadata: { e: 2 } }, h(2)),
      rawEvent('generation-update', { id: 'mo', startTime: iso(h(5)), level: 'WARNING', model: 'm2' }, h(3)),
    ];
    const scoreEvents = [
      rawEvent('score-create', { id: 'ms', traceId: 'mt', name: 'q', value: 1, comment: 'hello', environment: 'prod' }, h(1)),
      rawEvent('score-create', { id: 'ms', traceId: 'other', name: 'q2', value: 2, comment: null, environment: 'dev' }, h(2)),
    ];
    const all = [...traceEvents, ...observationEvents, ...scoreEvents];
    /** A fixed shuffle: reversed within each entity, interleaved. */
    const shuffled = [traceEvents[2], scoreEvents[1], observationEvents[2], traceEvents[0], observationEvents[0], scoreEvents[0], traceEvents[1], observationEvents[1]];

    async function finalState(order: 'in-order' | 'out-of-order' | 'one-batch') {
      const p = newProject();
      if (order === 'in-order') await ingestOneByOne(p, all);
      if (order === 'out-of-order') await ingestOneByOne(p, shuffled);
      if (order === 'one-batch') await ingest(p, ...shuffled);
      const [trace, observation, score] = await Promise.all([storage.traces.get(p, 'mt'), storage.observations.get(p, 'mo'), storage.scores.get(p, 'ms')]);
      return { trace: stable(trace!), observation: stable(observation!), score: stable(score!) };
    }

    it('folds to the documented final state, whatever the arrival order', async () => {
      const inOrder = await finalState('in-order');
      expect(inOrder.trace).toMatchObject({
        name: null, // explicit null clears
        userId: 'u2', // last by timestamp
        timestamp: h(0), // first wins
        environment: 'prod', // first wins
        metadata: { a: { x: 1, y: 2 }, keep: 'k2' }, // deep merge
        tags: ['t1', 't2', 't3'], // union
        input: '{"q":3}', // last truthy
        output: '"o1"', // "" does not clear
      } satisfies Partial<TraceRecord>);
      expect(inOrder.observation).toMatchObject({
        startTime: h(1), endTime: h(2), output: '"answer"', level: 'WARNING', model: 'm2', traceId: 'mt',
        usageDetails: { input: 3 }, totalCost: 0.5, metadata: { s: 1, e: 2 },
      });
      expect(inOrder.score).toMatchObject({ comment: null, name: 'q2', value: 2, traceId: 'mt', environment: 'prod', timestamp: h(1) });

      // In order every commit folds incrementally; out of order forces replays of the log.
      expect(await finalState('out-of-order')).toEqual(inOrder);
      expect(await finalState('one-batch')).toEqual(inOrder);
    });

    it('orders events with one timestamp by event id, whichever arrives first', async () => {
      const p = newProject();
      const a = rawEvent('trace-create', { id: 'eq', release: 'r-a' }, h(1), 'eq-a');
      const b = rawEvent('trace-create', { id: 'eq', release: 'r-b' }, h(1), 'eq-b');
      await ingestOneByOne(p, [b, a]);
      expect((await storage.traces.get(p, 'eq'))?.release).toBe('r-b');
    });

    it('merges an event older than everything stored into the stored state', async () => {
      const p = newProject();
      await ingestOneByOne(p, [traceEvents[1], traceEvents[2]]);
      await ingest(p, traceEvents[0]);
      const trace = await storage.traces.get(p, 'mt');
      expect(trace).toMatchObject({ timestamp: h(0), environment: 'prod', name: null, userId: 'u2', metadata: { a: { x: 1, y: 2 }, keep: 'k2' } });
    });

    it('keeps a score comment until an explicit null clears it', async () => {
      const p = newProject();
      await ingest(p, scoreEvents[0]);
      expect((await storage.scores.get(p, 'ms'))?.comment).toBe('hello');
      await ingest(p, rawEvent('score-create', { id: 'ms', traceId: 'mt', name: 'q', value: 1 }, h(1) + 1));
      expect((await storage.scores.get(p, 'ms'))?.comment).toBe('hello');
      await ingest(p, scoreEvents[1]);
      expect((await storage.scores.get(p, 'ms'))?.comment).toBeNull();
    });
  });
});
