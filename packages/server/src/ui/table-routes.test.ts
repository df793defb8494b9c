import { rawEvent } from '@sightline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';
import { signInViewer } from '../testing/ui-viewer.js';
import type { ObservationTableResponse, SessionListResponse, TraceCountResponse, TraceListResponse, UserDetailResponse, UserListResponse } from './api-types.js';

const DAY = 86_400_000;
const T0 = Math.floor(Date.now() / DAY) * DAY - 2 * DAY;
const iso = (ms: number) => new Date(ms).toISOString();
const trace = (id: string, userId: string, sessionId: string, at: number) => rawEvent('trace-create', { id, name: `n-${id}`, userId, sessionId, timestamp: iso(at) }, iso(at));
const gen = (id: string, traceId: string, at: number, latencyMs: number, tokens: number, cost: number, model = 'gpt-4o') =>
  rawEvent('generation-create', {
    id, traceId, name: 'llm', model, startTime: iso(at), endTime: iso(at + latencyMs), usageDetails: { total: tokens }, costDetails: { total: cost },
  }, iso(at));

/** Traces of project A with distinct latencies (and a tie), costs and tokens. */
const BATCH = [
  trace('t1', 'alice', 's1', T0), gen('g1', 't1', T0, 500, 10, 0.002),
  trace('t2', 'alice', 's1', T0 + 1000), gen('g2', 't2', T0 + 1000, 4000, 30, 0.0001, 'gpt-4o-mini'),
  trace('t3', 'bob', 's2', T0 + 2000), gen('g3', 't3', T0 + 2000, 4000, 20, 0.5),
  trace('t4', 'bob', 's3', T0 + 3000),
  rawEvent('span-create', { id: 'sp', traceId: 't3', name: 'tool', startTime: iso(T0 + 2000), endTime: iso(T0 + 2100) }, iso(T0)),
  rawEvent('score-create', { id: 'q1', traceId: 't1', name: 'quality', value: 0.9, timestamp: iso(T0) }, iso(T0)),
  rawEvent('score-create', { id: 'q2', traceId: 't3', name: 'quality', value: 0.1, timestamp: iso(T0) }, iso(T0)),
];

describe.each<Engine>(['sqlite', 'postgres'])('UI table routes on %s', (engine) => {
  let t: TestApp;
  let viewer = '';
  let a = '';
  let b = '';
  const get = async <T,>(path: string): Promise<{ status: number; body: T }> => {
    const res = await t.app.request(`/api/ui/projects${path}`, { headers: { cookie: viewer } });
    return { status: res.status, body: (await res.json()) as T };
  };
  const traceIds = async (query: string) => {
    const out: string[] = [];
    let cursor = '';
    for (let i = 0; i < 10; i++) {
      const r = await get<TraceListResponse>(`/${a}/traces?limit=2&${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      out.push(...r.body.data.map((x) => x.id));
      if (!r.body.nextCursor) return out;
      cursor = r.body.nextCursor;
    }
    throw new Error('too many pages');
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    a = t.a.project.id;
    b = t.b.project.id;
    expect((await t.json('POST', '/api/public/ingestion', { body: { batch: BATCH } })).body.errors).toEqual([]);
    const other = [trace('x1', 'alice', 's1', T0), gen('gx', 'x1', T0, 99_999, 9999, 99)];
    expect((await t.json('POST', '/api/public/ingestion', { body: { batch: other }, auth: t.b.auth })).body.errors).toEqual([]);
    viewer = await signInViewer(t, t.storage, a);
  });
  afterAll(async () => t?.close());

  it('sorts the trace list by latency, cost, tokens and a score, both ways, over stable pages', async () => {
    expect(await traceIds('sort=latency.desc')).toEqual(['t3', 't2', 't1', 't4']);
    expect(await traceIds('sort=latency.asc')).toEqual(['t1', 't2', 't3', 't4']);
    expect(await traceIds('sort=cost.desc')).toEqual(['t3', 't1', 't2', 't4']);
    expect(await traceIds('sort=tokens.asc')).toEqual(['t1', 't3', 't2', 't4']);
    // Traces without the score come last, by id in the same direction.
    expect(await traceIds('sort=score:quality.desc')).toEqual(['t1', 't3', 't4', 't2']);
    expect(await traceIds('sort=score:quality.asc&userId=bob')).toEqual(['t3', 't4']);
    expect(await traceIds('sort=name.asc')).toEqual(['t1', 't2', 't3', 't4']);
  });

  it('answers an unsupported sort with a 400 naming the field', async () => {
    for (const [q, field] of [['sort=colour.desc', 'colour'], ['sort=latency.up', 'latency.up'], ['sort=score.desc', 'score'], ['sort=score:.desc', 'score']] as const) {
      const r = await get<{ message: string }>(`/${a}/traces?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.message, q).toContain(field);
    }
    expect((await get<{ message: string }>(`/${a}/sessions?sort=latency.desc`)).body.message).toMatch(/cannot sort by "latency"/);
    expect((await get(`/${a}/users?sort=createdAt.asc`)).status).toBe(400);
    expect((await get(`/${a}/observations?sort=tags.asc`)).status).toBe(400);
  });

  it('counts the matching traces, exact here, in this project only', async () => {
    expect((await get<TraceCountResponse>(`/${a}/trace-count`)).body).toEqual({ count: 4, estimated: false });
    expect((await get<TraceCountResponse>(`/${a}/trace-count?userId=bob&sort=latency.desc`)).body).toEqual({ count: 2, estimated: false });
    expect((await get(`/${b}/trace-count`)).status).toBe(404);
  });

  it('sorts sessions and users by their totals, with duration and tokens', async () => {
    const sessions = await get<SessionListResponse>(`/${a}/sessions?sort=totalCost.desc`);
    expect(sessions.body.data.map((s) => s.id)).toEqual(['s2', 's1', 's3']);
    expect(sessions.body.data[1]).toMatchObject({ traceCount: 2, firstTrace: T0, lastTrace: T0 + 1000, totalTokens: 40 });
    expect((await get<SessionListResponse>(`/${a}/sessions?sort=duration.desc&limit=1`)).body.data.map((s) => s.id)).toEqual(['s1']);
    expect((await get<SessionListResponse>(`/${a}/sessions?userId=bob&sort=id.asc`)).body.data.map((s) => s.id)).toEqual(['s2', 's3']);
    const users = await get<UserListResponse>(`/${a}/users?sort=totalTokens.asc`);
    expect(users.body.data.map((u) => u.userId)).toEqual(['bob', 'alice']);
  });

  it("sorts sessions and users by a score name's mean, those without it last, this project's scores only", async () => {
    // Project B scores its own alice and s1 highly: nothing of it reaches project A's order.
    const bScore = rawEvent('score-create', { id: 'xq', traceId: 'x1', name: 'quality', value: 5, timestamp: iso(T0) }, iso(T0));
    expect((await t.json('POST', '/api/public/ingestion', { body: { batch: [bScore] }, auth: t.b.auth })).body.errors).toEqual([]);
    const sessions = await get<SessionListResponse>(`/${a}/sessions?sort=score:quality.desc`);
    expect(sessions.body.data.map((s) => [s.id, s.score])).toEqual([['s1', 0.9], ['s2', 0.1], ['s3', null]]);
    expect(sessions.body.totalItems).toBe(3);
    expect((await get<SessionListResponse>(`/${a}/sessions?sort=score:quality.asc&limit=1&page=2`)).body.data.map((s) => s.id)).toEqual(['s1']);
    const users = await get<UserListResponse>(`/${a}/users?sort=score:quality.asc`);
    expect(users.body.data.map((u) => [u.userId, u.score])).toEqual([['bob', 0.1], ['alice', 0.9]]);
    expect((await get<UserListResponse>(`/${b}/users?sort=score:quality.desc`)).status).toBe(404);
    for (const list of ['sessions', 'users']) {
      const r = await get<{ message: string }>(`/${a}/${list}?sort=score:.desc`);
      expect(r.status, list).toBe(400);
      expect(r.body.message, list).toMatch(/score:<name> needs a score name/);
    }
  });

  it("gives a user's page: totals and activity per day, 404 for an unknown user or another project's", async () => {
    const r = await get<UserDetailResponse>(`/${a}/users/alice?from=${T0 - DAY}&to=${T0 + 2 * DAY}`);
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ userId: 'alice', traceCount: 2, totalTokens: 40 });
    expect(r.body.activity.days).toEqual([{ day: T0, traceCount: 2, totalTokens: 40, totalCost: expect.closeTo(0.0021, 9) }]);
    expect(r.body.activity.scores).toEqual([{ day: T0, name: 'quality', mean: 0.9, count: 1 }]);
    expect((await get(`/${a}/users/nobody`)).status).toBe(404);
    expect((await get(`/${b}/users/alice`)).status).toBe(404);
  });

  it('lists observations across traces with filters and sorts', async () => {
    const ids = async (q: string) => {
      const r = await get<ObservationTableResponse>(`/${a}/observations?${q}`);
      expect(r.status, q).toBe(200);
      return r.body.data.map((o) => o.id);
    };
    expect(await ids('type=GENERATION&sort=latency.desc')).toEqual(['g3', 'g2', 'g1']);
    expect(await ids('type=GENERATION&model=gpt-4o&sort=cost.asc')).toEqual(['g1', 'g3']);
    expect(await ids('model=gpt-4o&model=gpt-4o-mini&sort=tokens.desc')).toEqual(['g2', 'g3', 'g1']);
    expect(await ids('type=SPAN')).toEqual(['sp']);
    expect(await ids('minLatency=1000&sort=startTime.asc')).toEqual(['g2', 'g3']);
    const page = await get<ObservationTableResponse>(`/${a}/observations?sort=startTime.asc&limit=2&page=2`);
    expect(page.body).toMatchObject({ page: 2, limit: 2, hasMore: false });
    expect(page.body.data.map((o) => o.id)).toEqual(['g3', 'sp']);
    expect(page.body.data[0]).toMatchObject({ traceId: 't3', traceName: 'n-t3', model: 'gpt-4o', latencyMs: 4000, totalTokens: 20, totalCost: 0.5, promptId: null });
    expect((await get<{ message: string }>(`/${a}/observations?type=CAT`)).body.message).toMatch(/type: "CAT" is not one of/);
    expect((await get(`/${a}/observations?minScore=1`)).status).toBe(400);
    expect((await get(`/${b}/observations`)).status).toBe(404);
  });
});
