import { beforeAll, describe, expect, it } from 'vitest';
import type { FilterCondition, ScoreQuery } from '../storage.js';
import { describeEachEngine } from '../testing/each-engine.js';
import { rawEvent } from '../testing/index.js';
import { expectBadRequest, h, ids, sq } from '../testing/store-queries.js';

describeEachEngine('score store', (ctx) => {
  describe('list and get', () => {
    const p = ctx.newProject();
    beforeAll(async () => {
      await ctx.ingest(
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
    const list = async (q: Partial<ScoreQuery>) => ids(await ctx.storage.scores.list(p, sq(q)));

    it('lists newest first with the trace summary when the trace exists', async () => {
      const r = await ctx.storage.scores.list(p, sq());
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
      const page = await ctx.storage.scores.list(p, sq({ page: 2, limit: 4 }));
      expect(ids(page)).toEqual(['sc2', 'sc1']);
      expect(page.totalItems).toBe(6);
    });

    it('gets scores by id and by trace', async () => {
      expect(await ctx.storage.scores.get(p, 'sc3')).toMatchObject({ name: 'label', value: 0, stringValue: 'yes', dataType: 'CATEGORICAL', source: 'API' });
      expect(await ctx.storage.scores.get(p, 'nope')).toBeNull();
      expect(ids(await ctx.storage.scores.ofTraces(p, ['st2', 'st1']))).toEqual(['sc1', 'sc2', 'sc3']);
      expect(await ctx.storage.scores.ofTraces(p, [])).toEqual([]);
    });
  });

  it('deleteScore removes the score and its logged events', async () => {
    const p = ctx.newProject();
    await ctx.ingest(p, rawEvent('score-create', { id: 'ds', traceId: 't', name: 'q', value: 1, comment: 'old', metadata: { a: 1 } }, h(2)));
    expect(await ctx.storage.scores.delete(p, 'ds')).toBe(true);
    expect(await ctx.storage.scores.get(p, 'ds')).toBeNull();
    expect(await ctx.storage.scores.delete(p, 'ds')).toBe(false);
    // Recreate it, then force a replay with an older event: nothing of the deleted events returns.
    await ctx.ingest(p, rawEvent('score-create', { id: 'ds', traceId: 't', name: 'new', value: 2 }, h(3)));
    await ctx.ingest(p, rawEvent('score-create', { id: 'ds', traceId: 't', name: 'older', value: 3 }, h(1)));
    expect(await ctx.storage.scores.get(p, 'ds')).toMatchObject({ name: 'new', value: 2, comment: null, metadata: {}, timestamp: h(1) });
  });

  it('briefs the first scores of each trace by timestamp, without comments or metadata', async () => {
    const p = ctx.newProject();
    await ctx.ingest(
      p,
      rawEvent('score-create', { id: 'b3', traceId: 'bt1', name: 'c', value: 3, comment: 'long', metadata: { k: 1 } }, h(3)),
      rawEvent('score-create', { id: 'b1', traceId: 'bt1', observationId: 'bo', name: 'a', value: 1 }, h(1)),
      rawEvent('score-create', { id: 'b2', traceId: 'bt1', name: 'label', value: 'yes' }, h(2)),
      rawEvent('score-create', { id: 'b4', traceId: 'bt2', name: 'a', value: 0.5, source: 'EVAL' }, h(1)),
      rawEvent('score-create', { id: 'b5', traceId: 'not-asked', name: 'a', value: 1 }, h(1)),
    );
    const briefs = await ctx.storage.scores.briefsOfTraces(p, ['bt1', 'bt2', 'none'], 2);
    expect([...briefs.keys()].sort()).toEqual(['bt1', 'bt2']);
    expect(briefs.get('bt1')).toEqual([
      { id: 'b1', name: 'a', value: 1, stringValue: null, dataType: 'NUMERIC', source: 'API', observationId: 'bo' },
      { id: 'b2', name: 'label', value: 0, stringValue: 'yes', dataType: 'CATEGORICAL', source: 'API', observationId: null },
    ]);
    expect(ids(briefs.get('bt2')!)).toEqual(['b4']);
    expect(briefs.get('bt2')![0]).toMatchObject({ source: 'EVAL', value: 0.5 });
  });

  it('another project sees none of its scores and cannot delete them', async () => {
    const p = ctx.newProject();
    const other = ctx.newProject();
    await ctx.ingest(p, rawEvent('trace-create', { id: 'it' }, h(0)), rawEvent('score-create', { id: 'isc', traceId: 'it', name: 'q', value: 1 }, h(0)));
    expect(await ctx.storage.scores.list(other, sq())).toEqual({ rows: [], totalItems: 0 });
    expect(await ctx.storage.scores.ofTraces(other, ['it'])).toEqual([]);
    expect(await ctx.storage.scores.briefsOfTraces(other, ['it'], 5)).toEqual(new Map());
    expect(await ctx.storage.scores.get(other, 'isc')).toBeNull();
    expect(await ctx.storage.scores.delete(other, 'isc')).toBe(false);
    expect(await ctx.storage.scores.get(p, 'isc')).not.toBeNull();
  });
});
