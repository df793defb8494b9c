import { expect, it } from 'vitest';
import { commits } from '../testing/commit-orders.js';
import { describeEachEngine, type EngineSuite } from '../testing/each-engine.js';
import { rawEvent, type RawEvent } from '../testing/index.js';
import { h, iso } from '../testing/store-queries.js';

/*
 * The per-group score sums kept at ingestion (group-score-sums.ts), seen through the sessions and
 * users lists sorted by a score: whatever order and grouping of commits brought the events —
 * scores before their traces, a score updated in value, traces moving
 * between sessions and users — and after scores and traces are deleted, each group's value is
 * the mean of the scores it holds then.
 */

const score = (id: string, target: Record<string, string>, value: number, at: number, name = 'quality') =>
  rawEvent('score-create', { id, name, value, ...target, timestamp: iso(h(at)) }, h(at));

/** Traces A, B, C; B moves from s1 / u2 to s2 / u1; q2 changes its value; q6's trace never comes. */
function scenario(): RawEvent[] {
  return [
    rawEvent('trace-create', { id: 'A', sessionId: 's1', userId: 'u1', timestamp: iso(h(1)) }, h(1)),
    rawEvent('trace-create', { id: 'B', sessionId: 's1', userId: 'u2', timestamp: iso(h(2)) }, h(2)),
    rawEvent('trace-create', { id: 'C', sessionId: 's2', userId: 'u1', timestamp: iso(h(3)) }, h(3)),
    score('q1', { traceId: 'A' }, 0.25, 4),
    score('q2', { traceId: 'B' }, 0.5, 4),
    score('q2', { traceId: 'B' }, 0.75, 5),
    score('q3', { traceId: 'C' }, 1, 4),
    score('q4', { sessionId: 's1' }, 0.125, 4),
    score('q6', { traceId: 'Z' }, 0.5, 4),
    score('q7', { traceId: 'A' }, 3, 4, 'other'),
    score('q8', { traceId: 'C' }, 0.5, 6),
    rawEvent('trace-create', { id: 'B', sessionId: 's2', userId: 'u1' }, h(7)),
  ];
}

/** s1: q1 0.25 and its own q4 0.125; s2: q2 0.75, q3 1, q8 0.5; u1: all four trace scores. */
const EXPECTED = { sessions: [['s2', 0.75], ['s1', 0.1875]], users: [['u1', 0.625]] };

async function byScore(ctx: EngineSuite, p: string, name = 'quality') {
  const sort = { field: 'score' as const, direction: 'desc' as const, scoreName: name };
  const sessions = await ctx.storage.sessions.summaries(p, { page: 1, limit: 50, sort });
  const users = await ctx.storage.users.list(p, { page: 1, limit: 50, sort });
  return { sessions: sessions.rows.map((s) => [s.id, s.score]), users: users.rows.map((u) => [u.userId, u.score]) };
}

describeEachEngine('group score sums', (ctx) => {
  it('give each session and user the mean of its scores whatever the order and grouping of commits', async () => {
    const orders: RawEvent[][][] = [[scenario()], scenario().map((e) => [e]), scenario().reverse().map((e) => [e])];
    for (let seed = 1; seed <= 8; seed++) orders.push(commits(scenario(), seed));
    for (const [i, order] of orders.entries()) {
      const p = ctx.newProject();
      for (const commit of order) await ctx.ingest(p, ...commit);
      expect(await byScore(ctx, p), `order ${i}`).toEqual(EXPECTED);
      expect(await byScore(ctx, p, 'other'), `order ${i}`).toEqual({ sessions: [['s1', 3], ['s2', null]], users: [['u1', 3]] });
    }
  });

  it('stay exact when the commits run concurrently (PostgreSQL writers side by side)', async () => {
    for (let seed = 11; seed <= 14; seed++) {
      const p = ctx.newProject();
      await Promise.all(commits(scenario(), seed).map((commit) => ctx.ingest(p, ...commit)));
      expect(await byScore(ctx, p), `seed ${seed}`).toEqual(EXPECTED);
    }
  });

  it('lose deleted scores and the scores of deleted traces, through the API and retention', async () => {
    const p = ctx.newProject();
    await ctx.ingest(p, ...scenario());
    expect(await ctx.storage.traces.delete(p, ['C'])).toBe(1);
    expect(await byScore(ctx, p)).toEqual({ sessions: [['s2', 0.75], ['s1', 0.1875]], users: [['u1', 0.5]] });
    expect(await ctx.storage.scores.delete(p, 'q1')).toBe(true);
    expect(await ctx.storage.scores.delete(p, 'q2')).toBe(true);
    expect(await byScore(ctx, p)).toEqual({ sessions: [['s1', 0.125], ['s2', null]], users: [['u1', null]] });

    // Retention takes the rest, the session's own score included; groups that come back hold none.
    await ctx.storage.retention.deleteExpired(p, h(100), 100);
    await ctx.ingest(p, rawEvent('trace-create', { id: 'A', sessionId: 's1', userId: 'u1', timestamp: iso(h(200)) }, h(200)));
    expect(await byScore(ctx, p)).toEqual({ sessions: [['s1', null]], users: [['u1', null]] });
    expect(await byScore(ctx, p, 'other')).toEqual({ sessions: [['s1', null]], users: [['u1', null]] });
  });

  it('count a score again when its deleted trace is re-created, and a session\'s own score without traces nowhere', async () => {
    const p = ctx.newProject();
    await ctx.ingest(p, score('own', { sessionId: 'lonely' }, 0.5, 1), score('t', { traceId: 'T' }, 0.5, 1));
    expect(await byScore(ctx, p)).toEqual({ sessions: [], users: [] });
    await ctx.ingest(p, rawEvent('trace-create', { id: 'T', sessionId: 'lonely', userId: 'u', timestamp: iso(h(1)) }, h(1)));
    expect(await byScore(ctx, p)).toEqual({ sessions: [['lonely', 0.5]], users: [['u', 0.5]] });
    await ctx.ingest(p, score('t', { traceId: 'T' }, 1, 2));
    expect(await byScore(ctx, p)).toEqual({ sessions: [['lonely', 0.75]], users: [['u', 1]] });
  });
});
