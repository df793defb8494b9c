import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { rawEvent } from '../testing/index.js';
import { h, iso } from '../testing/store-queries.js';

const trace = (id: string, userId: string, sessionId: string | undefined, at: number) =>
  rawEvent('trace-create', { id, userId, ...(sessionId ? { sessionId } : {}), timestamp: iso(h(at)) }, h(at));
const score = (id: string, target: Record<string, string>, value: number, name = 'quality') => rawEvent('score-create', { id, name, value, ...target }, h(10));

// The sessions and users lists sorted by one score name: a group's value is the mean of the name's
// scores on its traces (a session's own scores too), groups without one last in both directions,
// ties by id, offset pages that neither repeat nor skip, and another project's scores never count.
describeEachEngine('sessions and users sorted by a score', (ctx) => {
  const p = ctx.newProject();
  beforeAll(async () => {
    await ctx.ingest(
      p,
      trace('a1', 'alice', 'S1', 1), trace('a2', 'alice', 'S1', 2), trace('b1', 'bob', 'S2', 3), trace('c1', 'carol', 'S3', 4),
      trace('d1', 'dave', undefined, 5), trace('e1', 'erin', 'S4', 6),
      score('q1', { traceId: 'a1' }, 0.2), score('q2', { traceId: 'a2' }, 0.8), score('q3', { traceId: 'b1' }, 0.9),
      score('q4', { sessionId: 'S3' }, 0.1), score('q5', { traceId: 'd1' }, 0.5), score('o1', { traceId: 'e1' }, 1, 'other'),
    );
    const other = ctx.newProject();
    await ctx.ingest(other, trace('x1', 'erin', 'S4', 1), trace('x2', 'carol', 'S3', 1), score('xq', { traceId: 'x1' }, 0.99), score('xs', { sessionId: 'S3' }, 0.99));
  });

  const users = async (direction: 'asc' | 'desc', page = 1, limit = 10, search?: string) =>
    ctx.storage.users.list(p, { page, limit, search, sort: { field: 'score', direction, scoreName: 'quality' } });
  const sessions = async (direction: 'asc' | 'desc', page = 1, limit = 10, userId?: string) =>
    ctx.storage.sessions.summaries(p, { page, limit, userId, sort: { field: 'score', direction, scoreName: 'quality' } });

  it('orders users by the mean of their traces\' scores, ties by id, users without one last', async () => {
    const desc = await users('desc');
    expect(desc.rows.map((u) => [u.userId, u.score])).toEqual([['bob', 0.9], ['dave', 0.5], ['alice', 0.5], ['erin', null], ['carol', null]]);
    expect(desc.totalItems).toBe(5);
    expect((await users('asc')).rows.map((u) => u.userId)).toEqual(['alice', 'dave', 'bob', 'carol', 'erin']);
    expect((await users('desc', 1, 10, 'A')).rows.map((u) => u.userId)).toEqual(['dave', 'alice', 'carol']);
  });

  it('pages users across the valued and missing rows without repeats or gaps', async () => {
    const pages = await Promise.all([1, 2, 3, 4].map((page) => users('desc', page, 2)));
    expect(pages.map((x) => x.rows.map((u) => u.userId))).toEqual([['bob', 'dave'], ['alice', 'erin'], ['carol'], []]);
    expect(pages.map((x) => x.totalItems)).toEqual([5, 5, 5, 5]);
  });

  it('orders sessions by the mean of their own and their traces\' scores, sessions without one last', async () => {
    const desc = await sessions('desc');
    expect(desc.rows.map((s) => [s.id, s.score])).toEqual([['S2', 0.9], ['S1', 0.5], ['S3', 0.1], ['S4', null]]);
    expect(desc.rows[1]).toMatchObject({ traceCount: 2, userIds: ['alice'] });
    expect(desc.totalItems).toBe(4);
    expect((await sessions('asc')).rows.map((s) => s.id)).toEqual(['S3', 'S1', 'S2', 'S4']);
    const pages = await Promise.all([1, 2, 3].map((page) => sessions('asc', page, 1)));
    expect(pages.map((x) => x.rows.map((s) => s.id))).toEqual([['S3'], ['S1'], ['S2']]);
    expect((await sessions('asc', 4, 1)).rows.map((s) => s.id)).toEqual(['S4']);
    expect((await sessions('desc', 1, 10, 'alice')).rows.map((s) => s.id)).toEqual(['S1']);
  });

  it('puts every group last for a name nobody has, and leaves other sorts without a score', async () => {
    const none = await ctx.storage.users.list(p, { page: 1, limit: 10, sort: { field: 'score', direction: 'desc', scoreName: 'nobody' } });
    expect(none.rows.map((u) => [u.userId, u.score])).toEqual([['erin', null], ['dave', null], ['carol', null], ['bob', null], ['alice', null]]);
    expect((await ctx.storage.users.list(p, { page: 1, limit: 10 })).rows[0]).not.toHaveProperty('score');
  });
});
