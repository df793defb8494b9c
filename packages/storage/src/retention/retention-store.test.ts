import { expect, it } from 'vitest';
import type { Storage } from '../storage.js';
import { describeEachEngine } from '../testing/each-engine.js';
import { ingestItem, metricsQuery, openTestStorage, rawEvent, rollupMismatches, type RawEvent } from '../testing/index.js';
import { h, iso } from '../testing/store-queries.js';

/*
 * Retention deletes exactly what is older than the cutoff — traces by their timestamp with all
 * they own, observations and scores without a stored trace — and nothing else, while ingestion
 * keeps committing; afterwards every list, total and rollup equals a fresh database that was
 * only ever given the data kept.
 */

const CUTOFF = h(100);
const page = { page: 1, limit: 500 };

/** A trace with a generation (usage and cost), a span and a score, in a session and for a user. */
function traceEvents(id: string, at: number, session: string, user: string, childAt = at): RawEvent[] {
  return [
    rawEvent('trace-create', { id, name: `n-${id.length % 3}`, sessionId: session, userId: user, timestamp: iso(at) }, at),
    rawEvent('generation-create', {
      id: `${id}-g`, traceId: id, name: 'llm', startTime: iso(childAt), endTime: iso(childAt + 1500), model: 'gpt-4o',
      usageDetails: { input: 10, output: 5, total: 15 }, costDetails: { total: 0.0125 },
    }, at),
    rawEvent('span-create', { id: `${id}-s`, traceId: id, name: 'tool', startTime: iso(childAt), endTime: iso(childAt + 20), level: id.endsWith('3') ? 'ERROR' : 'DEFAULT' }, at),
    rawEvent('score-create', { id: `${id}-q`, traceId: id, name: 'quality', value: 1, timestamp: iso(at) }, at),
  ];
}

/** Old data (to go) and recent data (to stay), sharing sessions and users so their totals must be taken apart exactly. */
function scenario(): { old: RawEvent[]; kept: RawEvent[]; goneTraces: string[] } {
  const old: RawEvent[] = [];
  const kept: RawEvent[] = [];
  const goneTraces: string[] = [];
  for (let i = 0; i < 23; i++) {
    // o5's generation starts after the cutoff: it goes with its trace all the same.
    old.push(...traceEvents(`o${i}`, h(1 + i), i % 2 ? 's-mixed' : 's-old', i % 3 ? 'u-mixed' : 'u-old', i === 5 ? h(200) : h(1 + i)));
    goneTraces.push(`o${i}`);
  }
  old.push(...traceEvents('just-before', CUTOFF - 1, 's-mixed', 'u-mixed'));
  goneTraces.push('just-before');
  // An observation of a trace never stored, and a session score: old, so they go.
  old.push(rawEvent('span-create', { id: 'orphan-old', traceId: 'ghost', startTime: iso(h(5)) }, h(5)));
  old.push(rawEvent('score-create', { id: 'session-score-old', sessionId: 's-old', name: 'quality', value: 0, timestamp: iso(h(3)) }, h(3)));

  kept.push(...traceEvents('at-cutoff', CUTOFF, 's-mixed', 'u-mixed'));
  for (let i = 0; i < 6; i++) kept.push(...traceEvents(`n${i}`, h(101 + i), i % 2 ? 's-mixed' : 's-new', 'u-mixed'));
  // A recent trace with an old child: kept, as its trace's time decides.
  kept.push(rawEvent('span-create', { id: 'n0-early', traceId: 'n0', name: 'early', startTime: iso(h(2)), endTime: iso(h(2) + 5) }, h(101)));
  kept.push(rawEvent('span-create', { id: 'orphan-new', traceId: 'ghost2', startTime: iso(h(150)) }, h(150)));
  kept.push(rawEvent('score-create', { id: 'session-score-new', sessionId: 's-new', name: 'quality', value: 1, timestamp: iso(h(150)) }, h(150)));
  return { old, kept, goneTraces };
}

/** What a user of the project sees: lists, sessions and users with their totals, and metrics from rollups. */
async function snapshot(storage: Storage, p: string) {
  const sortById = <T extends { id: string }>(rows: T[]) => rows.map((r) => r.id).sort();
  const sessions = (await storage.sessions.summaries(p, page)).rows.map(({ createdAt: _c, ...s }) => s).sort((a, b) => (a.id < b.id ? -1 : 1));
  const metrics = [];
  for (const view of ['traces', 'observations'] as const) {
    const q = metricsQuery({
      view, fromTimestamp: h(0), toTimestamp: h(300), granularity: 'hour', dimensions: ['name'],
      metrics: [{ measure: 'count', aggregation: 'count' as const }, ...(view === 'observations' ? [{ measure: 'totalCost', aggregation: 'sum' as const }, { measure: 'latency', aggregation: 'p95' as const }] : [])],
    });
    const rollup = await storage.metrics.query(p, q, 'rollup');
    expect(rollupMismatches(rollup.data, (await storage.metrics.query(p, q, 'scan')).data)).toEqual([]);
    metrics.push(rollup.data);
  }
  return {
    traces: sortById((await storage.traces.list(p, { ...page, withObservations: false, withScores: false, withMetrics: false })).rows),
    observations: sortById((await storage.observations.list(p, page)).rows),
    scores: sortById((await storage.scores.list(p, page)).rows),
    sessions,
    users: (await storage.users.list(p, page)).rows,
    metrics,
  };
}

/** Deletes in batches of `limit` until nothing older is left, as the sweeper does; the batches run. */
async function sweep(storage: Storage, p: string, limit: number): Promise<{ traces: string[]; orphans: number; batches: number }> {
  const out = { traces: [] as string[], orphans: 0, batches: 0 };
  for (;;) {
    const b = await storage.retention.deleteExpired(p, CUTOFF, limit);
    out.traces.push(...b.traceIds);
    out.orphans += b.orphans;
    out.batches++;
    if (b.traceIds.length < limit && b.orphans === 0) return out;
  }
}

describeEachEngine('retention', (ctx) => {
  it('keeps each project’s period, and refuses an unknown project', async () => {
    const p = ctx.newProject();
    await ctx.storage.projects.create({ id: p, name: p, createdAt: 1 });
    expect(await ctx.storage.retention.get(p)).toBeNull();
    expect(await ctx.storage.retention.set(p, 30)).toBe(true);
    expect(await ctx.storage.retention.get(p)).toBe(30);
    expect((await ctx.storage.retention.list()).filter((r) => r.projectId === p)).toEqual([{ projectId: p, days: 30 }]);
    expect(await ctx.storage.retention.set(p, null)).toBe(true);
    expect((await ctx.storage.retention.list()).some((r) => r.projectId === p)).toBe(false);
    expect(await ctx.storage.retention.set('no-such-project', 3)).toBe(false);
    expect(await ctx.storage.retention.get('no-such-project')).toBeUndefined();
  });

  it('gives a project’s lease to one sweeper at a time until it expires or is released', async () => {
    const p = ctx.newProject();
    const results = await Promise.all(['a', 'b', 'c'].map((holder) => ctx.storage.retention.lease(p, holder, 1000, 2000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = ['a', 'b', 'c'][results.indexOf(true)];
    const other = winner === 'a' ? 'b' : 'a';
    expect(await ctx.storage.retention.lease(p, winner, 1500, 2500)).toBe(true);
    expect(await ctx.storage.retention.lease(p, other, 2400, 3400)).toBe(false);
    expect(await ctx.storage.retention.lease(p, other, 2500, 3500)).toBe(true);
    await ctx.storage.retention.release(p, winner); // not the holder any more: no effect
    expect(await ctx.storage.retention.lease(p, winner, 2600, 3600)).toBe(false);
    await ctx.storage.retention.release(p, other);
    expect(await ctx.storage.retention.lease(p, winner, 2600, 3600)).toBe(true);
  });

  it('deletes exactly what is older than the cutoff while ingestion runs, and leaves what a fresh database of the kept data holds', async () => {
    const p = ctx.newProject();
    const other = ctx.newProject();
    const { old, kept, goneTraces } = scenario();
    await ctx.storage.ingest([ingestItem(p, [...old, ...kept]), ingestItem(other, old)]);
    const otherBefore = await snapshot(ctx.storage, other);
    const now = Date.now();
    const comment = (id: string, objectType: 'TRACE' | 'OBSERVATION' | 'SESSION', objectId: string) =>
      ctx.storage.comments.create({ id, projectId: p, objectType, objectId, content: id, authorUserId: null, createdAt: now, updatedAt: now });
    await comment('c-old-trace', 'TRACE', 'o0');
    await comment('c-old-observation', 'OBSERVATION', 'o1-g');
    await comment('c-old-session', 'SESSION', 's-old');
    await comment('c-new-trace', 'TRACE', 'n0');
    await comment('c-new-observation', 'OBSERVATION', 'n0-early');
    await ctx.storage.annotationQueues.create({ id: 'queue', projectId: p, name: 'review', description: null, scoreConfigIds: [], createdAt: now, updatedAt: now });
    const item = (id: string, objectType: 'TRACE' | 'OBSERVATION', objectId: string) =>
      ctx.storage.annotationQueues.addItem({ id, projectId: p, queueId: 'queue', objectId, objectType, status: 'PENDING', completedAt: null, createdAt: now, updatedAt: now });
    await item('i-old-trace', 'TRACE', 'o2');
    await item('i-old-observation', 'OBSERVATION', 'o3-s');
    await item('i-new-trace', 'TRACE', 'n1');
    await ctx.storage.annotationQueues.skipItem(p, 'queue', 'i-old-trace', 'reviewer', now);
    await ctx.storage.annotationQueues.skipItem(p, 'queue', 'i-new-trace', 'reviewer', now + 1);

    // Ingestion of recent traces (into the sessions and users being taken apart) keeps going until the sweep is done.
    let sweeping = true;
    const concurrent: RawEvent[] = [];
    const ingesting = (async () => {
      for (let i = 0; sweeping || i < 3; i++) {
        const events = [...traceEvents(`c${i}`, h(110 + i), 's-mixed', 'u-mixed'), rawEvent('span-create', { id: `n2-late-${i}`, traceId: 'n2', startTime: iso(h(103)) }, h(103))];
        await ctx.storage.ingest([ingestItem(p, events)]);
        concurrent.push(...events);
      }
    })();
    const swept = await sweep(ctx.storage, p, 4);
    sweeping = false;
    await ingesting;

    expect(swept.traces.sort()).toEqual([...goneTraces].sort());
    expect(swept.orphans).toBe(2);
    expect(swept.batches).toBeGreaterThan(5);
    expect(await sweep(ctx.storage, p, 4)).toEqual({ traces: [], orphans: 0, batches: 1 });

    const fresh = await openTestStorage(ctx.engine);
    try {
      await fresh.storage.ingest([ingestItem(p, [...kept, ...concurrent])]);
      const expected = await snapshot(fresh.storage, p);
      expect(expected.traces).toContain('at-cutoff');
      expect(await snapshot(ctx.storage, p)).toEqual(expected);
    } finally {
      await fresh.close();
    }
    expect(await snapshot(ctx.storage, other)).toEqual(otherBefore);

    const comments = await ctx.storage.comments.list(p, page);
    expect(comments.rows.map((c) => c.id).sort()).toEqual(['c-new-observation', 'c-new-trace']);
    expect((await ctx.storage.annotationQueues.listItems(p, 'queue', page)).rows.map((i) => i.id)).toEqual(['i-new-trace']);
    // The reviewer's skip of a deleted item went with it: an item added again under its id starts unskipped.
    await item('i-old-trace', 'TRACE', 'n1');
    expect(await ctx.storage.annotationQueues.skippedItems(p, 'queue', 'reviewer')).toEqual(['i-new-trace']);

    // The logged events went too: an older event for a deleted trace makes a new trace of itself alone.
    await ctx.ingest(p, rawEvent('trace-create', { id: 'o7', release: 'late' }, h(0)));
    expect(await ctx.storage.traces.get(p, 'o7')).toMatchObject({ name: null, release: 'late', sessionId: null });
  });
});
