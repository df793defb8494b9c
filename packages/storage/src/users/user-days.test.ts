import { expect, it } from 'vitest';
import { commits } from '../testing/commit-orders.js';
import { describeEachEngine, type EngineSuite } from '../testing/each-engine.js';
import { rawEvent, type RawEvent } from '../testing/index.js';
import { h, iso } from '../testing/store-queries.js';
import type { UserActivity } from './user-store.js';

/*
 * A user's page by day (user-activity.ts) reads whole days from the totals kept at ingestion
 * (user_days, user_day_scores) and only the partial days at a range's edges from the traces:
 * whatever order and grouping of commits brought the events — observations and scores before
 * their traces, a trace moving to another user and to another day, usage and a score value
 * updated — and after deletions and retention, it must show what the traces hold, as reading
 * every trace does (`path: 'scan'`).
 */

const DAY = 86_400_000;
const day = (n: number) => h(0) + n * DAY;
const score = (id: string, traceId: string, value: number, at: number, name = 'quality', dataType?: string) =>
  rawEvent('score-create', { id, traceId, name, value, ...(dataType ? { dataType } : {}), timestamp: iso(h(at)) }, h(at));

/**
 * u1's traces: A (day 0), B (day 0, first u2's), C (created on day 2, then moved to day 1 by an
 * earlier timestamp: a trace's time is its earliest), X (day 1, its generation first). Scores:
 * quality on A, B (0.5 then 0.75) and C (before C exists), a boolean on A, a categorical one
 * (not averaged) on A.
 */
function scenario(): RawEvent[] {
  return [
    rawEvent('trace-create', { id: 'A', userId: 'u1', timestamp: iso(h(1)) }, h(1)),
    rawEvent('trace-create', { id: 'B', userId: 'u2', timestamp: iso(h(20)) }, h(20)),
    rawEvent('trace-create', { id: 'C', userId: 'u1', timestamp: iso(h(50)) }, h(50)),
    rawEvent('generation-create', { id: 'a1', traceId: 'A', startTime: iso(h(1)), usageDetails: { total: 10 }, costDetails: { total: 0.1 } }, h(1)),
    rawEvent('span-create', { id: 'a2', traceId: 'A', startTime: iso(h(1)), level: 'ERROR' }, h(1)),
    rawEvent('generation-create', { id: 'b1', traceId: 'B', startTime: iso(h(20)), usageDetails: { total: 5 }, costDetails: { total: 0.2 } }, h(20)),
    rawEvent('generation-create', { id: 'c1', traceId: 'C', startTime: iso(h(50)), usageDetails: { total: 7 }, costDetails: { total: 0.3 } }, h(50)),
    rawEvent('generation-update', { id: 'c1', traceId: 'C', usageDetails: { total: 9 } }, h(51)),
    rawEvent('generation-create', { id: 'x1', traceId: 'X', startTime: iso(h(30)), usageDetails: { total: 3 } }, h(30)),
    rawEvent('trace-create', { id: 'X', userId: 'u1', timestamp: iso(h(30)) }, h(31)),
    score('qa', 'A', 0.5, 2),
    score('qb', 'B', 0.5, 21),
    score('qb', 'B', 0.75, 22),
    score('qc', 'C', 0.25, 52),
    score('ok', 'A', 1, 3, 'helpful', 'BOOLEAN'),
    rawEvent('score-create', { id: 'cat', traceId: 'A', name: 'tone', value: 'neutral', dataType: 'CATEGORICAL', timestamp: iso(h(3)) }, h(3)),
    rawEvent('trace-create', { id: 'B', userId: 'u1' }, h(60)),
    rawEvent('trace-create', { id: 'C', timestamp: iso(h(26)) }, h(61)),
  ];
}

const EXPECTED: UserActivity = {
  days: [
    { day: day(0), traceCount: 2, totalTokens: 15, totalCost: 0.3 },
    { day: day(1), traceCount: 2, totalTokens: 12, totalCost: 0.3 },
  ],
  scores: [
    { day: day(0), name: 'helpful', mean: 1, count: 1 },
    { day: day(0), name: 'quality', mean: 0.625, count: 2 },
    { day: day(1), name: 'quality', mean: 0.25, count: 1 },
  ],
};

/** The page over whole days and over a range starting and ending inside days, each against a scan of the traces. */
async function expectActivity(ctx: EngineSuite, p: string, expected: UserActivity, label: string): Promise<void> {
  const whole = await ctx.storage.users.activity(p, 'u1', day(0), day(3));
  expect(whole, label).toEqual(expected);
  expect(await ctx.storage.users.activity(p, 'u1', day(0), day(3), 'scan'), label).toEqual(expected);
  for (const [from, to] of [[h(10), h(40)], [h(2), h(27)], [h(25), h(29)], [day(-1), day(1)]]) {
    expect(await ctx.storage.users.activity(p, 'u1', from, to), `${label} [${from}, ${to})`).toEqual(await ctx.storage.users.activity(p, 'u1', from, to, 'scan'));
  }
}

describeEachEngine('a user\'s page by day', (ctx) => {
  it('equals the traces it counts whatever the order and grouping of commits, with moves between users and days', async () => {
    const orders: RawEvent[][][] = [[scenario()], scenario().map((e) => [e]), scenario().reverse().map((e) => [e])];
    for (let seed = 1; seed <= 8; seed++) orders.push(commits(scenario(), seed));
    for (const [i, order] of orders.entries()) {
      const p = ctx.newProject();
      for (const commit of order) await ctx.ingest(p, ...commit);
      await expectActivity(ctx, p, EXPECTED, `order ${i}`);
      expect(await ctx.storage.users.activity(p, 'u2', day(0), day(3)), `order ${i}`).toEqual({ days: [], scores: [] });
    }
  });

  it('counts only the traces inside a range that starts and ends inside days', async () => {
    const p = ctx.newProject();
    await ctx.ingest(p, ...scenario());
    // From 10:00 on day 0 to 16:00 on day 1: A (01:00) is outside, B in the partial day 0, C and X in the partial day 1.
    expect(await ctx.storage.users.activity(p, 'u1', h(10), h(40))).toEqual({
      days: [{ day: day(0), traceCount: 1, totalTokens: 5, totalCost: 0.2 }, { day: day(1), traceCount: 2, totalTokens: 12, totalCost: 0.3 }],
      scores: [{ day: day(0), name: 'quality', mean: 0.75, count: 1 }, { day: day(1), name: 'quality', mean: 0.25, count: 1 }],
    });
  });

  it('stays exact when the commits run concurrently (PostgreSQL writers side by side)', async () => {
    for (let seed = 11; seed <= 14; seed++) {
      const p = ctx.newProject();
      await Promise.all(commits(scenario(), seed).map((commit) => ctx.ingest(p, ...commit)));
      await expectActivity(ctx, p, EXPECTED, `seed ${seed}`);
    }
  });

  it('loses deleted traces and scores, through the API and retention, and counts a re-created trace again', async () => {
    const p = ctx.newProject();
    await ctx.ingest(p, ...scenario());
    expect(await ctx.storage.traces.delete(p, ['B'])).toBe(1);
    expect(await ctx.storage.scores.delete(p, 'qc')).toBe(true);
    await expectActivity(ctx, p, {
      days: [{ day: day(0), traceCount: 1, totalTokens: 10, totalCost: 0.1 }, { day: day(1), traceCount: 2, totalTokens: 12, totalCost: 0.3 }],
      scores: [{ day: day(0), name: 'helpful', mean: 1, count: 1 }, { day: day(0), name: 'quality', mean: 0.5, count: 1 }],
    }, 'after deletes');

    // Retention takes everything before 01:00 on day 1: trace A and its scores.
    await ctx.storage.retention.deleteExpired(p, h(25), 100);
    await expectActivity(ctx, p, { days: [{ day: day(1), traceCount: 2, totalTokens: 12, totalCost: 0.3 }], scores: [] }, 'after retention');

    await ctx.ingest(p, rawEvent('trace-create', { id: 'B', userId: 'u1', timestamp: iso(h(5)) }, h(70)), score('qb', 'B', 0.5, 71));
    await expectActivity(ctx, p, {
      days: [{ day: day(0), traceCount: 1, totalTokens: 0, totalCost: 0 }, { day: day(1), traceCount: 2, totalTokens: 12, totalCost: 0.3 }],
      scores: [{ day: day(0), name: 'quality', mean: 0.5, count: 1 }],
    }, 're-created');
  });

  it('shows nothing of another project or another user', async () => {
    const p = ctx.newProject();
    const other = ctx.newProject();
    await ctx.ingest(p, ...scenario());
    await ctx.ingest(other, rawEvent('trace-create', { id: 'A', userId: 'u1', timestamp: iso(h(1)) }, h(1)));
    expect(await ctx.storage.users.activity(other, 'u1', day(0), day(3))).toEqual({ days: [{ day: day(0), traceCount: 1, totalTokens: 0, totalCost: 0 }], scores: [] });
    expect(await ctx.storage.users.activity(p, 'u9', day(0), day(3))).toEqual({ days: [], scores: [] });
  });
});
