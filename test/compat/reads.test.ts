// §9 item 25 (and §7): read-route validation, field groups, session time bounds, metrics errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { API, ENGINES, basicAuth, enc, ev, get, getOk, ingestOk, uid, useTestApp } from './helpers.js';

describe.each(ENGINES)('reads (%s)', (engine) => {
  const app = useTestApp(engine);
  const traceId = uid('reads-trace');
  const spanId = uid('reads-span');
  const scoreId = uid('reads-score');
  const T = '2024-04-01T12:00:00.000Z';

  beforeAll(async () => {
    await ingestOk(app(), [
      ev('trace-create', { id: traceId, timestamp: T, name: 'reads', input: { q: 1 }, output: 'a', metadata: { m: 1 } }),
      // costDetails exist only on generation-like bodies (span-create's schema has none).
      ev('generation-create', { id: spanId, traceId, startTime: T, endTime: '2024-04-01T12:00:02.500Z', costDetails: { total: 0.25 } }),
      ev('score-create', { id: scoreId, traceId, name: 'r', value: 1 }),
    ]);
  });

  it('page=0 is a 400 on the paginated list routes', async () => {
    const t = app();
    for (const path of ['traces', 'observations', 'sessions', 'scores', 'v2/scores']) {
      const res = await get(t, `${API}/${path}?page=0`);
      expect(res.status, path).toBe(400);
      expect(typeof res.body.message, path).toBe('string');
    }
    for (const path of ['traces?limit=0', 'traces?limit=101', 'traces?page=abc']) {
      expect((await get(t, `${API}/${path}`)).status, path).toBe(400);
    }
  });

  it('GET /traces without fields returns every group: io, observation and score ids, latency and totalCost', async () => {
    const t = app();
    const list = await getOk(t, `${API}/traces?name=reads`);
    expect(list.meta).toEqual({ page: 1, limit: 50, totalItems: 1, totalPages: 1 });
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({
      id: traceId,
      input: { q: 1 },
      output: 'a',
      metadata: { m: 1 },
      observations: [spanId],
      scores: [scoreId],
      latency: 2.5,
      totalCost: 0.25,
    });
  });

  it('GET /traces?fields=core omits io and returns empty observations/scores and -1 latency/totalCost', async () => {
    const t = app();
    const list = await getOk(t, `${API}/traces?name=reads&fields=core`);
    expect(list.data).toHaveLength(1);
    const row = list.data[0];
    expect(row).toMatchObject({ id: traceId, name: 'reads', observations: [], scores: [], latency: -1, totalCost: -1 });
    expect(row).not.toHaveProperty('input');
    expect(row).not.toHaveProperty('output');
    expect(row).not.toHaveProperty('metadata');

    const withIo = (await getOk(t, `${API}/traces?name=reads&fields=core,io`)).data[0];
    expect(withIo).toMatchObject({ input: { q: 1 }, output: 'a', metadata: { m: 1 }, observations: [], scores: [], latency: -1, totalCost: -1 });

    const withMetrics = (await getOk(t, `${API}/traces?name=reads&fields=core,metrics`)).data[0];
    expect(withMetrics).toMatchObject({ latency: 2.5, totalCost: 0.25, observations: [], scores: [] });

    const invalidOnly = (await getOk(t, `${API}/traces?name=reads&fields=bogus`)).data[0];
    expect(invalidOnly).toMatchObject({ input: { q: 1 }, observations: [spanId], scores: [scoreId], latency: 2.5 });
  });

  it('GET /traces/{id}?fields=core excludes observations, scores and metrics', async () => {
    const t = app();
    const full = await getOk(t, `${API}/traces/${enc(traceId)}`);
    expect(full.observations.map((o: { id: string }) => o.id)).toEqual([spanId]);
    expect(full.scores.map((s: { id: string }) => s.id)).toEqual([scoreId]);
    expect(full).toMatchObject({ latency: 2.5, totalCost: 0.25 });
    const core = await getOk(t, `${API}/traces/${enc(traceId)}?fields=core`);
    expect(core).toMatchObject({ id: traceId, observations: [], scores: [], latency: -1, totalCost: -1 });
    expect(core).not.toHaveProperty('input');
  });

  it('GET /sessions fromTimestamp is inclusive and toTimestamp exclusive (on createdAt)', async () => {
    const t = app();
    const sessionId = uid('reads-session');
    await ingestOk(t, [ev('trace-create', { id: uid('reads-session-trace'), sessionId })]);
    const session = await getOk(t, `${API}/sessions/${enc(sessionId)}`);
    expect(session).toMatchObject({ id: sessionId, environment: 'default', projectId: t.a.project.id });
    expect(session.traces).toHaveLength(1);
    const createdAt: string = session.createdAt;
    const ids = async (query: string) => (await getOk(t, `${API}/sessions?${query}`)).data.map((s: { id: string }) => s.id);
    expect(await ids(`fromTimestamp=${enc(createdAt)}`)).toContain(sessionId);
    expect(await ids(`toTimestamp=${enc(createdAt)}`)).not.toContain(sessionId);
    const after = new Date(Date.parse(createdAt) + 1).toISOString();
    expect(await ids(`fromTimestamp=${enc(after)}`)).not.toContain(sessionId);
    expect(await ids(`toTimestamp=${enc(after)}`)).toContain(sessionId);
  });

  it('GET /traces/{id}, /observations/{id}, /scores/{id} and /sessions/{id} answer 404 for unknown ids', async () => {
    const t = app();
    for (const path of ['traces', 'observations', 'scores', 'sessions']) {
      const res = await get(t, `${API}/${path}/${uid('missing')}`);
      expect(res.status, path).toBe(404);
      expect(typeof res.body.message, path).toBe('string');
    }
  });

  const METRICS_QUERY = {
    view: 'traces',
    metrics: [{ measure: 'count', aggregation: 'count' }],
    fromTimestamp: '2024-01-01T00:00:00.000Z',
    toTimestamp: '2025-01-01T00:00:00.000Z',
  };
  const metrics = (query: unknown, auth?: string) => get(app(), `${API}/metrics?query=${enc(typeof query === 'string' ? query : JSON.stringify(query))}`, auth);

  it('GET /metrics answers a valid traces count query with count_count', async () => {
    const ok = await metrics(METRICS_QUERY);
    expect(ok.status).toBe(200);
    expect(ok.body.data).toEqual([expect.objectContaining({ count_count: expect.anything() })]);
    expect(Number(ok.body.data[0].count_count)).toBeGreaterThanOrEqual(1);
  });

  it('GET /metrics with an unknown measure, aggregation or dimension, or bad JSON, is a 400', async () => {
    for (const bad of [
      { ...METRICS_QUERY, metrics: [{ measure: 'bogusMeasure', aggregation: 'count' }] },
      { ...METRICS_QUERY, metrics: [{ measure: 'count', aggregation: 'bogusAggregation' }] },
      { ...METRICS_QUERY, dimensions: [{ field: 'bogusDimension' }] },
      '{not json',
    ]) {
      const res = await metrics(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(typeof res.body.message, JSON.stringify(bad)).toBe('string');
    }
  });

  it('GET /metrics with a bad key is a 401', async () => {
    const t = app();
    expect((await metrics(METRICS_QUERY, basicAuth(t.a.publicKey, 'sk-lf-bad'))).status).toBe(401);
  });
});
