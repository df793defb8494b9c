import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, createTestApp, type TestApp } from '../testing/test-app.js';

let n = 0;
const at = (iso: string) => ({ id: `mev-${++n}`, timestamp: iso });
const ev = (type: string, body: Record<string, unknown>, iso = '2024-01-01T00:00:00.000Z') => ({ ...at(iso), type, body });

/** Three traces over two days, four observations, four scores (project A); one trace in project B. */
const BATCH_A = [
  ev('trace-create', { id: 'tA1', name: 'chat', userId: 'u1', sessionId: 's1', environment: 'production', tags: ['a', 'b'], timestamp: '2024-01-01T10:00:00Z', release: 'r1' }),
  ev('trace-create', { id: 'tA2', name: 'chat', userId: 'u2', environment: 'production', tags: ['a'], timestamp: '2024-01-01T11:30:00Z' }),
  ev('trace-create', { id: 'tA3', name: 'search', userId: 'u1', sessionId: 's2', environment: 'staging', timestamp: '2024-01-02T09:00:00Z' }),
  ev('generation-create', {
    id: 'g1', traceId: 'tA1', name: 'llm', model: 'gpt-3.5-turbo', usage: { input: 1000, output: 100 }, environment: 'production',
    startTime: '2024-01-01T10:00:00Z', completionStartTime: '2024-01-01T10:00:00.500Z', endTime: '2024-01-01T10:00:02Z',
  }),
  ev('span-create', { id: 's1', traceId: 'tA1', name: 'retrieve', environment: 'production', startTime: '2024-01-01T10:00:00Z', endTime: '2024-01-01T10:00:00.300Z' }),
  ev('generation-create', {
    id: 'g2', traceId: 'tA2', name: 'llm', model: 'gpt-4o', usage: { input: 2000, output: 500 }, costDetails: { input: 0.01, output: 0.02 },
    environment: 'production', level: 'ERROR', startTime: '2024-01-01T11:30:00Z', endTime: '2024-01-01T11:30:01Z',
  }),
  ev('event-create', { id: 'e1', traceId: 'tA3', name: 'tool', environment: 'staging', level: 'WARNING', startTime: '2024-01-02T09:00:00Z' }),
  ev('score-create', { id: 'sc1', traceId: 'tA1', name: 'quality', value: 0.8, dataType: 'NUMERIC', timestamp: '2024-01-01T10:01:00Z' }),
  ev('score-create', { id: 'sc2', traceId: 'tA2', observationId: 'g2', name: 'quality', value: 0.4, timestamp: '2024-01-01T11:31:00Z' }),
  ev('score-create', { id: 'sc3', traceId: 'tA1', name: 'sentiment', value: 'positive', dataType: 'CATEGORICAL', timestamp: '2024-01-01T10:02:00Z' }),
  ev('score-create', { id: 'sc4', traceId: 'tA3', name: 'correct', value: 1, dataType: 'BOOLEAN', timestamp: '2024-01-02T09:01:00Z' }),
];

const RANGE = { fromTimestamp: '2024-01-01T00:00:00Z', toTimestamp: '2024-01-03T00:00:00Z' };

describe.each(['sqlite', 'postgres'] as const)('metrics API on %s', (engine) => {
  let t: TestApp;
  const metrics = async (q: Record<string, unknown>, options: { auth?: string; version?: 'v1' | 'v2' } = {}) => {
    const path = options.version === 'v2' ? '/api/public/v2/metrics' : '/api/public/metrics';
    return t.json('GET', `${path}?query=${encodeURIComponent(JSON.stringify({ ...RANGE, ...q }))}`, { auth: options.auth });
  };
  const data = async (q: Record<string, unknown>) => {
    const res = await metrics(q);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data as Record<string, unknown>[];
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    for (const [batch, auth] of [[BATCH_A, t.a.auth], [[ev('trace-create', { id: 'tB1', name: 'chat', timestamp: '2024-01-01T10:00:00Z' }), ev('span-create', { id: 'sB1', traceId: 'tB1', startTime: '2024-01-01T10:00:00Z' })], t.b.auth]] as const) {
      const res = await t.json('POST', '/api/public/ingestion', { body: { batch }, auth });
      expect(res.body.errors).toEqual([]);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('traces view: counts, observation- and score-derived measures, distinct users, dimensions', async () => {
    const rows = await data({
      view: 'traces', dimensions: [{ field: 'name' }],
      metrics: [
        { measure: 'count', aggregation: 'count' }, { measure: 'observationsCount', aggregation: 'sum' }, { measure: 'scoresCount', aggregation: 'sum' },
        { measure: 'uniqueUserIds', aggregation: 'count' }, { measure: 'latency', aggregation: 'max' }, { measure: 'totalTokens', aggregation: 'sum' },
        { measure: 'totalCost', aggregation: 'sum' },
      ],
    });
    expect(rows).toEqual([
      { name: 'chat', count_count: 2, sum_observationsCount: 3, sum_scoresCount: 3, count_uniqueUserIds: 2, max_latency: 2000, sum_totalTokens: 3600, sum_totalCost: 0.03065 },
      { name: 'search', count_count: 1, sum_observationsCount: 1, sum_scoresCount: 1, count_uniqueUserIds: 1, max_latency: null, sum_totalTokens: 0, sum_totalCost: 0 },
    ]);
    expect(await data({ view: 'traces', dimensions: [{ field: 'timestampMonth' }, { field: 'tags' }], orderBy: [{ field: 'tags', direction: 'asc' }] })).toEqual([
      { timestampMonth: '2024-01', tags: [], count_count: 1 },
      { timestampMonth: '2024-01', tags: ['a'], count_count: 1 },
      { timestampMonth: '2024-01', tags: ['a', 'b'], count_count: 1 },
    ]);
    const tagged = await data({ view: 'traces', filters: [{ column: 'tags', operator: 'any of', value: ['b'], type: 'arrayOptions' }] });
    expect(tagged).toEqual([{ count_count: 1 }]);
  });

  it('observations view: usage, cost, latencies, scores and trace dimensions', async () => {
    const rows = await data({
      view: 'observations', dimensions: [{ field: 'type' }],
      metrics: [
        { measure: 'count', aggregation: 'count' }, { measure: 'inputTokens', aggregation: 'sum' }, { measure: 'outputCost', aggregation: 'sum' },
        { measure: 'totalCost', aggregation: 'sum' }, { measure: 'latency', aggregation: 'avg' }, { measure: 'timeToFirstToken', aggregation: 'max' },
        { measure: 'countScores', aggregation: 'sum' }, { measure: 'outputTokensPerSecond', aggregation: 'max' },
      ],
      orderBy: [{ field: 'type', direction: 'asc' }],
    });
    expect(rows).toEqual([
      { type: 'EVENT', count_count: 1, sum_inputTokens: 0, sum_outputCost: 0, sum_totalCost: 0, avg_latency: null, max_timeToFirstToken: null, sum_countScores: 0, max_outputTokensPerSecond: null },
      { type: 'GENERATION', count_count: 2, sum_inputTokens: 3000, sum_outputCost: 0.02015, sum_totalCost: 0.03065, avg_latency: 1500, max_timeToFirstToken: 500, sum_countScores: 1, max_outputTokensPerSecond: (100 * 1000) / 1500 },
      { type: 'SPAN', count_count: 1, sum_inputTokens: 0, sum_outputCost: 0, sum_totalCost: 0, avg_latency: 300, max_timeToFirstToken: null, sum_countScores: 0, max_outputTokensPerSecond: null },
    ]);
    const byTrace = await data({ view: 'observations', dimensions: [{ field: 'traceName' }, { field: 'userId' }], filters: [{ column: 'traceName', operator: '=', value: 'chat', type: 'string' }] });
    expect(byTrace).toEqual([{ traceName: 'chat', userId: 'u1', count_count: 2 }, { traceName: 'chat', userId: 'u2', count_count: 1 }]);
  });

  it('aggregations: percentiles, min/max, uniq and histogram bins', async () => {
    const [row] = await data({
      view: 'observations',
      metrics: ['p50', 'p75', 'p90', 'p95', 'p99', 'min', 'max', 'histogram'].map((aggregation) => ({ measure: 'latency', aggregation })).concat({ measure: 'latency', aggregation: 'uniq' }),
      config: { bins: 2 },
    });
    expect(row).toEqual({
      p50_latency: 1000, p75_latency: 2000, p90_latency: 2000, p95_latency: 2000, p99_latency: 2000, min_latency: 300, max_latency: 2000,
      histogram_latency: [[300, 1150, 2], [1150, 2000, 1]], uniq_latency: 3,
    });
  });

  it('time buckets with gap filling, order, row limit and filters', async () => {
    const byDay = await data({ view: 'observations', timeDimension: { granularity: 'day' }, toTimestamp: '2024-01-04T00:00:00Z' });
    expect(byDay).toEqual([
      { time_dimension: '2024-01-01T00:00:00.000Z', count_count: 3 },
      { time_dimension: '2024-01-02T00:00:00.000Z', count_count: 1 },
      { time_dimension: '2024-01-03T00:00:00.000Z', count_count: 0 },
    ]);
    const byHour = await data({ view: 'observations', dimensions: [{ field: 'name' }], timeDimension: { granularity: 'hour' }, orderBy: [{ field: 'count_count', direction: 'desc' }], config: { row_limit: 2 } });
    expect(byHour).toEqual([
      { name: 'llm', time_dimension: '2024-01-01T10:00:00.000Z', count_count: 1 },
      { name: 'llm', time_dimension: '2024-01-01T11:00:00.000Z', count_count: 1 },
    ]);
    const auto = await data({ view: 'observations', timeDimension: { granularity: 'auto' }, fromTimestamp: '2024-01-01T10:00:00Z', toTimestamp: '2024-01-01T10:03:00Z' });
    expect(auto.map((r) => r.time_dimension)).toEqual(['2024-01-01T10:00:00.000Z', '2024-01-01T10:01:00.000Z', '2024-01-01T10:02:00.000Z']);
    const filtered = await data({
      view: 'observations', dimensions: [{ field: 'level' }],
      filters: [
        { column: 'level', operator: 'any of', value: ['ERROR', 'WARNING'], type: 'stringOptions' },
        { column: 'startTime', operator: '<', value: '2024-01-02T00:00:00Z', type: 'datetime' },
      ],
    });
    expect(filtered).toEqual([{ level: 'ERROR', count_count: 1 }]);
  });

  it('score views: numeric (with boolean), categorical and boolean', async () => {
    const numeric = await data({ view: 'scores-numeric', dimensions: [{ field: 'name' }], metrics: [{ measure: 'value', aggregation: 'avg' }], orderBy: [{ field: 'name', direction: 'asc' }] });
    expect(numeric).toEqual([{ name: 'correct', avg_value: 1 }, { name: 'quality', avg_value: expect.closeTo(0.6, 12) }]);
    expect(await data({ view: 'scores-categorical', dimensions: [{ field: 'value' }] })).toEqual([{ value: 'positive', count_count: 1 }]);
    expect(await data({ view: 'scores-boolean', dimensions: [{ field: 'stringValue' }, { field: 'traceName' }] })).toEqual([{ stringValue: 'True', traceName: 'search', count_count: 1 }]);
  });

  it('v2 serves every view but traces', async () => {
    expect((await metrics({ view: 'observations' }, { version: 'v2' })).body).toEqual({ data: [{ count_count: 4 }] });
    const res = await metrics({ view: 'traces' }, { version: 'v2' });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('traces');
  });

  it('keeps projects apart and needs a valid key', async () => {
    expect(await data({ view: 'observations' })).toEqual([{ count_count: 4 }]);
    expect((await metrics({ view: 'observations' }, { auth: t.b.auth })).body.data).toEqual([{ count_count: 1 }]);
    expect((await metrics({ view: 'observations' }, { auth: basicAuth(t.a.publicKey, 'sk-lf-wrong') })).status).toBe(401);
    expect((await metrics({ view: 'observations' }, { auth: `Bearer ${t.a.publicKey}` })).status).toBe(403);
  });

  it.each([
    ['bad JSON', null, 'Invalid JSON in query parameter'],
    ['an unknown view', { view: 'sessions' }, 'view: unknown view "sessions"'],
    ['an unknown measure', { view: 'traces', metrics: [{ measure: 'tokens', aggregation: 'sum' }] }, 'metrics[0].measure: unknown measure "tokens"'],
    ['an unknown aggregation', { view: 'traces', metrics: [{ measure: 'count', aggregation: 'median' }] }, 'query.metrics[0].aggregation'],
    ['an aggregation the measure does not take', { view: 'traces', metrics: [{ measure: 'count', aggregation: 'p95' }] }, 'metrics[0].aggregation: "p95" is not valid for measure count'],
    ['an unknown dimension', { view: 'observations', dimensions: [{ field: 'model' }] }, 'dimensions[0].field: unknown dimension "model"'],
    ['an unknown filter column', { view: 'observations', filters: [{ column: 'cost', operator: '=', value: 'x', type: 'string' }] }, 'filters[0].column: unknown column "cost"'],
    ['an unknown orderBy field', { view: 'observations', orderBy: [{ field: 'sum_count', direction: 'asc' }] }, 'orderBy[0].field: unknown field "sum_count"'],
    ['from not before to', { view: 'observations', toTimestamp: RANGE.fromTimestamp }, 'fromTimestamp: must be before'],
    ['a missing fromTimestamp', { view: 'observations', fromTimestamp: undefined }, 'query.fromTimestamp: required'],
    ['too many bins', { view: 'observations', config: { bins: 101 } }, 'query.config.bins'],
    ['too many rows', { view: 'observations', config: { row_limit: 1001 } }, 'query.config.row_limit'],
  ])('answers 400 for %s', async (_name, q, message) => {
    const res = q === null
      ? await t.json('GET', `/api/public/metrics?query=${encodeURIComponent('{"view": "traces",')}`)
      : await metrics(q);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(message);
  });

  it('GET /metrics/daily: per day and model, newest first, with trace filters and pages', async () => {
    const res = await t.json('GET', '/api/public/metrics/daily');
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ page: 1, limit: 50, totalItems: 2, totalPages: 1 });
    const [day2, day1] = res.body.data;
    expect(day2).toEqual({
      date: '2024-01-02', countTraces: 1, countObservations: 1, totalCost: 0,
      usage: [{ model: null, inputUsage: 0, outputUsage: 0, totalUsage: 0, countObservations: 1, countTraces: 1, totalCost: 0 }],
    });
    expect(day1).toMatchObject({ date: '2024-01-01', countTraces: 2, countObservations: 3, totalCost: 0.03065 });
    expect(day1.usage).toEqual([
      { model: 'gpt-3.5-turbo', inputUsage: 1000, outputUsage: 100, totalUsage: 1100, countObservations: 1, countTraces: 1, totalCost: 0.00065 },
      { model: 'gpt-4o', inputUsage: 2000, outputUsage: 500, totalUsage: 2500, countObservations: 1, countTraces: 1, totalCost: 0.03 },
      { model: null, inputUsage: 0, outputUsage: 0, totalUsage: 0, countObservations: 1, countTraces: 1, totalCost: 0 },
    ]);
    const search = await t.json('GET', '/api/public/metrics/daily?traceName=search');
    expect(search.body.data.map((d: { date: string }) => d.date)).toEqual(['2024-01-02']);
    const tagged = await t.json('GET', '/api/public/metrics/daily?tags=a&tags=b&environment=production');
    expect(tagged.body.data).toMatchObject([{ date: '2024-01-01', countTraces: 1, countObservations: 2 }]);
    const paged = await t.json('GET', '/api/public/metrics/daily?limit=1&page=2&fromTimestamp=2024-01-01T00:00:00Z&toTimestamp=2024-01-03T00:00:00Z');
    expect(paged.body).toMatchObject({ data: [{ date: '2024-01-01' }], meta: { page: 2, limit: 1, totalItems: 2, totalPages: 2 } });
    expect((await t.json('GET', '/api/public/metrics/daily?page=0')).status).toBe(400);
  });
});
