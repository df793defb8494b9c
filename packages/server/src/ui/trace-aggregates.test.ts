// One read model (issue 12 item 2): a trace's latency, total cost, tokens and counts read the same
// through the public API, the UI's trace list, trace page, sessions and users — costs as exact
// decimals (0.1 + 0.2 is 0.3), and one latency: the span of all observation start and end times (the
// start-time span while nothing has ended), 0 in the public API and "–" (null) in the UI without observations.
import { rawEvent } from '@sightline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';
import type { SessionDetailResponse, SessionListResponse, TraceDetailResponse, TraceListResponse, UserListResponse } from './api-types.js';

const SETUP_TOKEN = 'setup-token-for-the-aggregates-test';
const ENGINES: Engine[] = ['sqlite', 'postgres'];

describe.each(ENGINES)('trace aggregates on %s', (engine) => {
  let t: TestApp;
  let cookie = '';
  const now = Date.now();
  const at = (ms: number) => new Date(now - 60_000 + ms).toISOString();
  // Answers typed as the web package reads them (api-types.ts).
  const ui = async <T,>(path: string): Promise<T> => {
    const res = await t.app.request(`/api/ui/projects/${t.a.project.id}${path}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };
  const api = async (path: string) => {
    const res = await t.json('GET', `/api/public${path}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    t = await createTestApp(engine, { setupToken: SETUP_TOKEN });
    const res = await t.json('POST', '/api/public/ingestion', {
      body: {
        batch: [
          rawEvent('trace-create', { id: 'costed', name: 'costed', userId: 'user-costed', sessionId: 'session-costed', timestamp: at(0) }, at(0)),
          rawEvent('generation-create', {
            id: 'g1', traceId: 'costed', startTime: at(0), endTime: at(1000), usageDetails: { input: 10, output: 5 }, costDetails: { total: 0.1 },
          }, at(0)),
          rawEvent('generation-create', {
            id: 'g2', traceId: 'costed', startTime: at(500), endTime: at(2500), usageDetails: { input: 20, output: 7 }, costDetails: { total: 0.2 },
          }, at(0)),
          rawEvent('trace-create', { id: 'running', name: 'running', userId: 'user-running', sessionId: 'session-running', timestamp: at(10) }, at(0)),
          rawEvent('span-create', { id: 's1', traceId: 'running', startTime: at(10) }, at(0)),
          rawEvent('span-create', { id: 's2', traceId: 'running', startTime: at(400) }, at(0)),
          rawEvent('trace-create', { id: 'huge', name: 'huge', timestamp: at(20) }, at(0)),
          rawEvent('trace-create', { id: 'empty', name: 'empty', sessionId: 'session-empty', timestamp: at(30) }, at(0)),
          ...[1e6, 1e6, 1e6, 1e6, 1e6, 1e6, 1e6, 1e6, 1e6, 1e6, 0.1, 0.2].map((total, i) =>
            rawEvent('generation-create', { id: `h${i}`, traceId: 'huge', startTime: at(20), endTime: at(30), costDetails: { total } }, at(0)),
          ),
        ],
      },
    });
    expect(res.body.errors).toEqual([]);
    const signUp = await t.app.request('/api/ui/auth/sign-up', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sightline-csrf': '1' },
      body: JSON.stringify({ email: 'owner@example.com', password: 'correct horse', setupToken: SETUP_TOKEN }),
    });
    expect(signUp.status).toBe(201);
    cookie = signUp.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  });
  afterAll(async () => t?.close());

  it('reports totalCost 0.3 exactly, 42 tokens and 2.5 s latency in every place', async () => {
    const list = await api('/traces?sessionId=session-costed');
    expect(list.data[0]).toMatchObject({ id: 'costed', latency: 2.5, totalCost: 0.3, observations: ['g1', 'g2'] });
    expect(await api('/traces/costed')).toMatchObject({ latency: 2.5, totalCost: 0.3 });

    const totals = { latencyMs: 2500, totalCost: 0.3, totalTokens: 42, observationCount: 2 };
    expect((await ui<TraceListResponse>('/traces?sessionId=session-costed')).data[0]).toMatchObject({ id: 'costed', ...totals });
    expect((await ui<TraceDetailResponse>('/traces/costed')).totals).toMatchObject(totals);

    const sessions = (await ui<SessionListResponse>('/sessions')).data;
    expect(sessions.find((s) => s.id === 'session-costed')).toMatchObject({ traceCount: 1, totalCost: 0.3, totalTokens: 42 });
    const session = await ui<SessionDetailResponse>('/sessions/session-costed');
    expect(session.totals).toMatchObject({ ...totals, traceCount: 1 });
    expect(session.traces[0]).toMatchObject({ id: 'costed', latency: 2.5, totalCost: 0.3 });

    const users = (await ui<UserListResponse>('/users?q=user-costed')).data;
    expect(users).toEqual([expect.objectContaining({ userId: 'user-costed', traceCount: 1, totalCost: 0.3, totalTokens: 42 })]);
  });

  it('reports the start-time span as latency in every place while no observation has ended', async () => {
    expect((await api('/traces?sessionId=session-running')).data[0]).toMatchObject({ id: 'running', latency: 0.39, totalCost: 0 });
    expect(await api('/traces/running')).toMatchObject({ latency: 0.39, totalCost: 0 });
    expect((await api('/traces/running?fields=core')).latency).toBe(-1);

    const totals = { latencyMs: 390, totalCost: 0, totalTokens: 0, observationCount: 2 };
    expect((await ui<TraceListResponse>('/traces?sessionId=session-running')).data[0]).toMatchObject({ id: 'running', ...totals });
    expect((await ui<TraceDetailResponse>('/traces/running')).totals).toMatchObject(totals);
    const session = await ui<SessionDetailResponse>('/sessions/session-running');
    expect(session.totals).toMatchObject(totals);
    expect(session.traces[0]).toMatchObject({ id: 'running', latency: 0.39, totalCost: 0 });
  });

  it('a trace without observations has latency 0 in the public API (as Langfuse) and none in the UI', async () => {
    expect((await api('/traces?sessionId=session-empty')).data[0]).toMatchObject({ id: 'empty', latency: 0, totalCost: 0 });
    expect(await api('/traces/empty')).toMatchObject({ latency: 0, totalCost: 0 });
    const totals = { latencyMs: null, totalCost: 0, totalTokens: 0, observationCount: 0 };
    expect((await ui<TraceListResponse>('/traces?sessionId=session-empty')).data[0]).toMatchObject({ id: 'empty', ...totals });
    expect((await ui<TraceDetailResponse>('/traces/empty')).totals).toMatchObject(totals);
  });

  it('sums costs beyond 64-bit pico-dollars (9.2 million USD) exactly', async () => {
    expect(await api('/traces/huge')).toMatchObject({ totalCost: 10_000_000.3, latency: 0.01 });
    expect((await ui<TraceListResponse>('/traces?name=huge')).data[0]).toMatchObject({ totalCost: 10_000_000.3, latencyMs: 10 });
  });
});
