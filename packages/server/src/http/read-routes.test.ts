import { rawEvent, type RawEvent } from '@sightline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';

const at = (ms: number) => new Date(Date.parse('2024-01-01T00:00:00.000Z') + ms).toISOString();
const [LONG_A, LONG_B] = ['a'.repeat(300), 'b'.repeat(300)];

async function ingest(t: TestApp, events: RawEvent[]): Promise<void> {
  const res = await t.json('POST', '/api/public/ingestion', { body: { batch: events } });
  expect(res.status).toBe(207);
  expect(res.body.errors).toEqual([]);
}

/**
 * Project A: traces t1 (alpha, 3 observations, 2 scores), t2 (beta, same session s1), t3
 * (gamma, 25 events with tied start times for cursor walks) and a session score on s1.
 */
async function seed(t: TestApp): Promise<void> {
  const now = new Date().toISOString();
  await ingest(t, [
    rawEvent('trace-create', {
      id: 't1', timestamp: at(0), name: 'alpha', userId: 'u1', sessionId: 's1', tags: ['x', 'y'], environment: 'production',
      input: { q: 'hi' }, output: 'hello', metadata: { k: 'v', long: LONG_A }, release: 'r1', version: 'v1',
    }, now),
    rawEvent('span-create', { id: 'o1', traceId: 't1', name: 'root', startTime: at(1000), endTime: at(3000), environment: 'production' }, now),
    rawEvent('generation-create', {
      id: 'o2', traceId: 't1', parentObservationId: 'o1', name: 'llm', startTime: at(1500), endTime: at(2500),
      completionStartTime: at(2000), model: 'gpt-4o', usageDetails: { input: 10, output: 5 },
      costDetails: { input: 0.001, output: 0.002, total: 0.003 }, input: { messages: [{ role: 'user', content: 'hi' }] },
      output: 'plain text', metadata: { long: LONG_B, short: 's' }, level: 'WARNING', environment: 'production',
    }, now),
    rawEvent('event-create', { id: 'o3', traceId: 't1', name: 'log', startTime: at(2000), environment: 'production' }, now),
    rawEvent('score-create', { id: 'sc1', traceId: 't1', name: 'quality', value: 0.9, environment: 'production' }, now),
    rawEvent('score-create', { id: 'sc2', traceId: 't1', observationId: 'o2', name: 'relevance', value: 0.2, environment: 'production' }, now),
    rawEvent('score-create', { id: 'sc3', sessionId: 's1', name: 'session-rating', value: 1 }, now),
    rawEvent('trace-create', { id: 't2', timestamp: at(86_400_000), name: 'beta', userId: 'u2', sessionId: 's1', tags: ['x'] }, now),
    rawEvent('trace-create', { id: 't3', timestamp: at(2 * 86_400_000), name: 'gamma' }, now),
    // Start times repeat (every 5 events share one) so the cursor must break ties by id.
    ...Array.from({ length: 25 }, (_, i) =>
      rawEvent('event-create', { id: `e${String(i).padStart(2, '0')}`, traceId: 't3', name: 'tick', startTime: at(2 * 86_400_000 + Math.floor(i / 5) * 1000) }, now),
    ),
  ]);
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
const ENGINES: Engine[] = ['sqlite', 'postgres'];

describe.each(ENGINES)('read routes on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seed(t);
  });
  afterAll(async () => t?.close());

  const get = (path: string) => t.json('GET', path);
  async function expect400(path: string, param: string) {
    const res = await get(path);
    expect(res.status, path).toBe(400);
    expect(res.body.message, path).toContain(param);
    return res.body.message as string;
  }

  describe('GET /traces', () => {
    it('lists traces newest first with ids, metrics and page meta', async () => {
      const { status, body } = await get('/api/public/traces');
      expect(status).toBe(200);
      expect(ids(body.data)).toEqual(['t3', 't2', 't1']);
      expect(body.meta).toEqual({ page: 1, limit: 50, totalItems: 3, totalPages: 1 });
      const t1 = body.data[2];
      expect(t1).toMatchObject({
        id: 't1', name: 'alpha', userId: 'u1', sessionId: 's1', environment: 'production', release: 'r1', version: 'v1',
        timestamp: '2024-01-01T00:00:00.000Z', input: { q: 'hi' }, output: 'hello', metadata: { k: 'v', long: LONG_A },
        htmlPath: `/project/${t.a.project.id}/traces/t1`, latency: 2, scores: ['sc1', 'sc2'],
      });
      expect([...t1.tags].sort()).toEqual(['x', 'y']);
      expect([...t1.observations].sort()).toEqual(['o1', 'o2', 'o3']);
      expect(t1.totalCost).toBeCloseTo(0.003);
      expect(body.data[0]).toMatchObject({ id: 't3', observations: expect.any(Array), scores: [], totalCost: 0 });
    });

    it('pages with totalPages = ceil(total / limit), ignoring unknown parameters', async () => {
      const { body } = await get('/api/public/traces?limit=2&page=2&whatever=1');
      expect(ids(body.data)).toEqual(['t1']);
      expect(body.meta).toEqual({ page: 2, limit: 2, totalItems: 3, totalPages: 2 });
    });

    it('orders by the orderBy parameter', async () => {
      expect(ids((await get('/api/public/traces?orderBy=name.asc')).body.data)).toEqual(['t1', 't2', 't3']);
      expect(ids((await get('/api/public/traces?orderBy=timestamp.asc')).body.data)).toEqual(['t1', 't2', 't3']);
    });

    it('applies the simple filters', async () => {
      const list = async (q: string) => ids((await get(`/api/public/traces?${q}`)).body.data);
      expect(await list('userId=u1')).toEqual(['t1']);
      expect(await list('name=beta')).toEqual(['t2']);
      expect(await list('sessionId=s1')).toEqual(['t2', 't1']);
      expect(await list('tags=x')).toEqual(['t2', 't1']);
      expect(await list('tags=x&tags=y')).toEqual(['t1']);
      expect(await list('environment=production')).toEqual(['t1']);
      expect(await list('environment=production&environment=default')).toEqual(['t3', 't2', 't1']);
      expect(await list('release=r1&version=v1')).toEqual(['t1']);
      expect(await list('fromTimestamp=2024-01-02T00:00:00Z')).toEqual(['t3', 't2']);
      expect(await list('toTimestamp=2024-01-02T00:00:00.000Z')).toEqual(['t1']);
    });

    it('applies a JSON filter', async () => {
      const filter = encodeURIComponent(JSON.stringify([{ type: 'string', column: 'name', operator: '=', value: 'beta' }]));
      expect(ids((await get(`/api/public/traces?filter=${filter}`)).body.data)).toEqual(['t2']);
    });

    it('leaves out excluded field groups: [] ids, -1 metrics, no io', async () => {
      const core = (await get('/api/public/traces?fields=core&userId=u1')).body.data[0];
      expect(core).toMatchObject({ id: 't1', observations: [], scores: [], latency: -1, totalCost: -1 });
      expect(core).not.toHaveProperty('input');
      expect(core).not.toHaveProperty('output');
      expect(core).not.toHaveProperty('metadata');
      const io = (await get('/api/public/traces?fields=core,io,scores&userId=u1')).body.data[0];
      expect(io).toMatchObject({ input: { q: 'hi' }, scores: ['sc1', 'sc2'], observations: [], latency: -1 });
      // Unknown groups are ignored; naming none known means all.
      const all = (await get('/api/public/traces?fields=bogus&userId=u1')).body.data[0];
      expect(all).toMatchObject({ input: { q: 'hi' }, latency: 2 });
      expect(all.observations).toHaveLength(3);
    });

    it('rejects invalid parameters with a 400 naming them', async () => {
      expect(await expect400('/api/public/traces?page=0', 'page')).toBe('page: must be an integer >= 1');
      await expect400('/api/public/traces?page=1.5', 'page');
      await expect400('/api/public/traces?limit=101', 'limit');
      await expect400('/api/public/traces?limit=0', 'limit');
      await expect400('/api/public/traces?limit=ten', 'limit');
      await expect400('/api/public/traces?orderBy=cost.asc', 'orderBy');
      await expect400('/api/public/traces?orderBy=name.sideways', 'orderBy');
      await expect400('/api/public/traces?fromTimestamp=yesterday', 'fromTimestamp');
      await expect400('/api/public/traces?filter=not-json', 'filter');
      await expect400('/api/public/traces?filter=%7B%7D', 'filter');
      await expect400(`/api/public/traces?filter=${encodeURIComponent('[{"column":"name"}]')}`, 'filter[0].type');
      await expect400(`/api/public/traces?filter=${encodeURIComponent('[{"type":"string","column":"nope","operator":"=","value":"x"}]')}`, 'filter[0]');
    });
  });

  describe('GET /traces/{id}', () => {
    it('embeds observations, scores, latency and totalCost', async () => {
      const { status, body } = await get('/api/public/traces/t1');
      expect(status).toBe(200);
      expect(body).toMatchObject({ id: 't1', name: 'alpha', input: { q: 'hi' }, latency: 2 });
      expect(body.totalCost).toBeCloseTo(0.003);
      expect(ids(body.observations).sort()).toEqual(['o1', 'o2', 'o3']);
      const o2 = body.observations.find((o: { id: string }) => o.id === 'o2');
      expect(o2).toMatchObject({ type: 'GENERATION', model: 'gpt-4o', parentObservationId: 'o1', usageDetails: { input: 10, output: 5, total: 15 } });
      expect(ids(body.scores).sort()).toEqual(['sc1', 'sc2']);
      expect(body.scores[0]).toMatchObject({ traceId: 't1', dataType: 'NUMERIC' });
    });

    it('honours fields', async () => {
      const { body } = await get('/api/public/traces/t1?fields=core');
      expect(body).toMatchObject({ id: 't1', observations: [], scores: [], latency: -1, totalCost: -1 });
      expect(body).not.toHaveProperty('input');
      const metrics = (await get('/api/public/traces/t1?fields=metrics')).body;
      expect(metrics).toMatchObject({ observations: [], latency: 2 });
    });

    it('answers 404 for a missing trace', async () => {
      const { status, body } = await get('/api/public/traces/nope');
      expect(status).toBe(404);
      expect(body.message).toBe('Trace nope not found within authorized project');
    });

    it('round-trips ids with reserved characters', async () => {
      const id = 'a/b c?&=#%';
      await ingest(t, [rawEvent('trace-create', { id, timestamp: at(-86_400_000) }, new Date().toISOString())]);
      const { status, body } = await get(`/api/public/traces/${encodeURIComponent(id)}`);
      expect(status).toBe(200);
      expect(body.id).toBe(id);
      await t.json('DELETE', `/api/public/traces/${encodeURIComponent(id)}`);
      expect((await get(`/api/public/traces/${encodeURIComponent(id)}`)).status).toBe(404);
    });
  });

  describe('GET /observations (v1)', () => {
    it('lists by start time descending with page meta', async () => {
      const { status, body } = await get('/api/public/observations?traceId=t1');
      expect(status).toBe(200);
      expect(ids(body.data)).toEqual(['o3', 'o2', 'o1']);
      expect(body.meta).toEqual({ page: 1, limit: 50, totalItems: 3, totalPages: 1 });
      expect(body.data[1]).toMatchObject({ id: 'o2', traceId: 't1', type: 'GENERATION', latency: 1, timeToFirstToken: 0.5, promptTokens: 10, completionTokens: 5 });
    });

    it('applies filters', async () => {
      const list = async (q: string) => ids((await get(`/api/public/observations?${q}`)).body.data);
      expect(await list('type=GENERATION')).toEqual(['o2']);
      expect(await list('level=WARNING')).toEqual(['o2']);
      expect(await list('parentObservationId=o1')).toEqual(['o2']);
      expect(await list('userId=u1&name=root')).toEqual(['o1']);
      expect(await list('traceId=t1&fromStartTime=2024-01-01T00:00:01.500Z&toStartTime=2024-01-01T00:00:02Z')).toEqual(['o2']);
      expect((await get('/api/public/observations?traceId=t3&limit=10&page=3')).body.meta).toEqual({ page: 3, limit: 10, totalItems: 25, totalPages: 3 });
    });

    it('rejects invalid parameters', async () => {
      await expect400('/api/public/observations?page=0', 'page');
      await expect400('/api/public/observations?limit=101', 'limit');
      await expect400('/api/public/observations?type=BOGUS', 'type');
      await expect400('/api/public/observations?level=LOUD', 'level');
      await expect400('/api/public/observations?filter=%5B', 'filter');
    });

    it('gets one observation or 404', async () => {
      const { status, body } = await get('/api/public/observations/o2');
      expect(status).toBe(200);
      expect(body).toMatchObject({ id: 'o2', model: 'gpt-4o', input: { messages: [{ role: 'user', content: 'hi' }] }, output: 'plain text' });
      const missing = await get('/api/public/observations/nope');
      expect(missing.status).toBe(404);
      expect(missing.body.message).toBe('Observation nope not found within authorized project');
    });
  });

  describe('GET /v2/observations', () => {
    it('returns core and basic fields by default', async () => {
      const { status, body } = await get('/api/public/v2/observations?traceId=t1');
      expect(status).toBe(200);
      expect(ids(body.data)).toEqual(['o3', 'o2', 'o1']);
      expect(body.meta).toEqual({});
      const o2 = body.data[1];
      expect(o2).toMatchObject({
        id: 'o2', traceId: 't1', projectId: t.a.project.id, parentObservationId: 'o1', type: 'GENERATION',
        startTime: at(1500), endTime: at(2500), name: 'llm', level: 'WARNING', environment: 'production',
        userId: 'u1', sessionId: 's1', isRootObservation: false, modelId: null,
      });
      for (const key of ['input', 'output', 'metadata', 'usageDetails', 'latency', 'completionStartTime', 'providedModelName', 'traceName']) {
        expect(o2).not.toHaveProperty(key);
      }
    });

    it('returns the requested groups; io as raw strings, metadata truncated unless expanded', async () => {
      const row = async (q: string) => (await get(`/api/public/v2/observations?traceId=t1&type=GENERATION&${q}`)).body.data[0];
      const io = await row('fields=io,metadata');
      expect(io.input).toBe('{"messages":[{"role":"user","content":"hi"}]}');
      expect(io.output).toBe('plain text');
      expect(io.metadata.short).toBe('s');
      expect(io.metadata.long.length).toBeLessThan(LONG_B.length);
      expect(io.metadata.long.startsWith('b'.repeat(200))).toBe(true);
      expect(io).not.toHaveProperty('name');
      expect((await row('fields=metadata&expandMetadata=long')).metadata.long).toBe(LONG_B);
      const rest = await row('fields=time,model,usage,prompt,metrics,trace_context');
      expect(rest).toMatchObject({
        completionStartTime: at(2000), providedModelName: 'gpt-4o', usageDetails: { input: 10, output: 5, total: 15 },
        promptName: null, latency: 1, timeToFirstToken: 0.5, traceName: 'alpha', release: 'r1',
      });
      expect(rest.totalCost).toBeCloseTo(0.003);
      // gpt-4o is in the default price list: the model group names the match and its prices as decimal strings.
      expect(rest.modelId).toEqual(expect.any(String));
      expect(rest.internalModelId).toBe(rest.modelId);
      expect(rest.inputPrice).toMatch(/^\d+\.\d+$/);
      expect([...rest.tags].sort()).toEqual(['x', 'y']);
    });

    it('filters by sessionId and isRootObservation', async () => {
      const list = async (q: string) => ids((await get(`/api/public/v2/observations?${q}`)).body.data);
      expect(await list('traceId=t1&isRootObservation=true')).toEqual(['o3', 'o1']);
      expect(await list('traceId=t1&isRootObservation=false')).toEqual(['o2']);
      expect(await list('traceId=t1&parentObservationId=')).toEqual(['o3', 'o1']);
      expect((await list('sessionId=s1')).sort()).toEqual(['o1', 'o2', 'o3']);
    });

    it('walks every row exactly once with the cursor', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const q = `traceId=t3&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const { status, body } = await get(`/api/public/v2/observations?${q}`);
        expect(status).toBe(200);
        expect(body.data.length).toBeLessThanOrEqual(7);
        seen.push(...ids(body.data));
        cursor = body.meta.cursor;
        if (!cursor) break;
      }
      expect(cursor).toBeUndefined();
      expect(seen).toHaveLength(25);
      expect(new Set(seen).size).toBe(25);
      // Newest start first; ties broken by id descending.
      expect(seen.slice(0, 5)).toEqual(['e24', 'e23', 'e22', 'e21', 'e20']);
    });

    it('omits the cursor when the page is the last one exactly', async () => {
      const { body } = await get('/api/public/v2/observations?traceId=t3&limit=25');
      expect(body.data).toHaveLength(25);
      expect(body.meta.cursor).toBeUndefined();
    });

    it('rejects invalid parameters', async () => {
      await expect400('/api/public/v2/observations?cursor=not-a-cursor', 'cursor');
      await expect400(`/api/public/v2/observations?cursor=${Buffer.from('{"x":1}').toString('base64')}`, 'cursor');
      await expect400('/api/public/v2/observations?limit=1001', 'limit');
      await expect400('/api/public/v2/observations?limit=0', 'limit');
      await expect400('/api/public/v2/observations?isRootObservation=maybe', 'isRootObservation');
      await expect400('/api/public/v2/observations?parseIoAsJson=true', 'parseIoAsJson');
      await expect400('/api/public/v2/observations?filter=42', 'filter');
      expect((await get('/api/public/v2/observations?parseIoAsJson=false&limit=1000')).status).toBe(200);
    });
  });

  describe('GET /scores and /v2/scores', () => {
    it('lists v2 scores (trace and session scores) with their trace', async () => {
      const { status, body } = await get('/api/public/v2/scores');
      expect(status).toBe(200);
      expect(ids(body.data).sort()).toEqual(['sc1', 'sc2', 'sc3']);
      expect(body.meta).toEqual({ page: 1, limit: 50, totalItems: 3, totalPages: 1 });
      const sc1 = body.data.find((s: { id: string }) => s.id === 'sc1');
      expect(sc1).toMatchObject({ name: 'quality', value: 0.9, dataType: 'NUMERIC', source: 'API', traceId: 't1', trace: { userId: 'u1', environment: 'production', sessionId: 's1' } });
      expect([...sc1.trace.tags].sort()).toEqual(['x', 'y']);
      expect(body.data.find((s: { id: string }) => s.id === 'sc3')).toMatchObject({ sessionId: 's1', trace: null });
    });

    it('lists only trace scores on v1', async () => {
      const { body } = await get('/api/public/scores');
      expect(ids(body.data).sort()).toEqual(['sc1', 'sc2']);
      expect(body.meta.totalItems).toBe(2);
    });

    it('applies filters', async () => {
      const list = async (q: string) => ids((await get(`/api/public/v2/scores?${q}`)).body.data).sort();
      expect(await list('name=quality')).toEqual(['sc1']);
      expect(await list('operator=%3E&value=0.5')).toEqual(['sc1', 'sc3']);
      expect(await list('operator=%3C%3D&value=0.2')).toEqual(['sc2']);
      expect(await list('scoreIds=sc1,sc3')).toEqual(['sc1', 'sc3']);
      expect(await list('observationId=o2')).toEqual(['sc2']);
      expect(await list('observationId=o2,o9')).toEqual(['sc2']);
      expect(await list('observationId=o2&name=quality')).toEqual([]);
      expect(await list('traceId=t1')).toEqual(['sc1', 'sc2']);
      expect(await list('userId=u1')).toEqual(['sc1', 'sc2']);
      expect(await list('traceTags=y')).toEqual(['sc1', 'sc2']);
      expect(await list('sessionId=s1')).toEqual(['sc3']);
      expect(await list('environment=production')).toEqual(['sc1', 'sc2']);
      expect(await list('dataType=NUMERIC&source=API')).toEqual(['sc1', 'sc2', 'sc3']);
      expect(await list('fromTimestamp=2100-01-01T00:00:00Z')).toEqual([]);
    });

    it('leaves out the trace group on request', async () => {
      const { body } = await get('/api/public/v2/scores?fields=score');
      expect(body.data[0]).not.toHaveProperty('trace');
    });

    it('rejects invalid parameters', async () => {
      await expect400('/api/public/v2/scores?page=0', 'page');
      await expect400('/api/public/v2/scores?limit=101', 'limit');
      await expect400('/api/public/v2/scores?operator=~&value=1', 'operator');
      await expect400('/api/public/v2/scores?operator=%3E', 'value');
      await expect400('/api/public/v2/scores?operator=%3E&value=high', 'value');
      await expect400('/api/public/v2/scores?dataType=FLOAT', 'dataType');
      await expect400('/api/public/v2/scores?source=HUMAN', 'source');
      await expect400('/api/public/v2/scores?fields=score&userId=u1', 'fields');
      await expect400('/api/public/scores?filter=nope', 'filter');
    });

    it('gets one score or 404 on both versions', async () => {
      for (const prefix of ['/api/public/scores', '/api/public/v2/scores']) {
        const { status, body } = await get(`${prefix}/sc1`);
        expect(status).toBe(200);
        expect(body).toMatchObject({ id: 'sc1', name: 'quality', value: 0.9 });
        const missing = await get(`${prefix}/nope`);
        expect(missing.status).toBe(404);
        expect(missing.body.message).toBe('Score nope not found within authorized project');
      }
    });
  });

  describe('GET /sessions', () => {
    it('lists sessions with page meta', async () => {
      const { status, body } = await get('/api/public/sessions');
      expect(status).toBe(200);
      expect(body.data).toEqual([{ id: 's1', createdAt: expect.any(String), projectId: t.a.project.id, environment: 'production' }]);
      expect(body.meta).toEqual({ page: 1, limit: 50, totalItems: 1, totalPages: 1 });
    });

    it('filters by createdAt: from inclusive, to exclusive', async () => {
      const createdAt = (await get('/api/public/sessions')).body.data[0].createdAt as string;
      const from = encodeURIComponent(createdAt);
      expect(ids((await get(`/api/public/sessions?fromTimestamp=${from}`)).body.data)).toEqual(['s1']);
      expect(ids((await get(`/api/public/sessions?toTimestamp=${from}`)).body.data)).toEqual([]);
      expect(ids((await get('/api/public/sessions?environment=default')).body.data)).toEqual([]);
    });

    it('rejects invalid parameters', async () => {
      await expect400('/api/public/sessions?page=0', 'page');
      await expect400('/api/public/sessions?limit=500', 'limit');
      await expect400('/api/public/sessions?toTimestamp=2024-13-45', 'toTimestamp');
    });

    it('gets one session with its traces, or 404', async () => {
      const { status, body } = await get('/api/public/sessions/s1');
      expect(status).toBe(200);
      expect(body).toMatchObject({ id: 's1', projectId: t.a.project.id, environment: 'production' });
      expect(ids(body.traces)).toEqual(['t1', 't2']);
      expect(body.traces[0]).toMatchObject({ name: 'alpha', input: { q: 'hi' } });
      const missing = await get('/api/public/sessions/nope');
      expect(missing.status).toBe(404);
      expect(missing.body.message).toBe('Session nope not found within authorized project');
    });
  });
});

describe.each(ENGINES)('GET /traces past the exact-count bound on %s', (engine) => {
  let t: TestApp;
  const N = 10_250;
  beforeAll(async () => {
    t = await createTestApp(engine);
    const now = new Date().toISOString();
    for (let start = 0; start < N; start += 250) {
      await ingest(t, Array.from({ length: 250 }, (_, i) => {
        const k = start + i;
        return rawEvent('trace-create', { id: `bulk-${k}`, timestamp: at(k * 60_000), name: 'bulk', userId: k % 50 === 0 ? 'rare-user' : 'common-user' }, now);
      }));
    }
  }, 120_000);
  afterAll(async () => t?.close());

  it('estimates totalItems past 10,000 matches, says so in a header, and never ends the listing early', async () => {
    const res = await t.request('GET', '/api/public/traces?limit=100&page=2');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-total-items-estimated')).toBe('true');
    const body = (await res.json()) as { data: unknown[]; meta: { totalItems: number; totalPages: number } };
    expect(body.data).toHaveLength(100);
    expect(Math.abs(body.meta.totalItems - N) / N).toBeLessThan(0.1);
    expect(body.meta.totalPages).toBeGreaterThan(2);
  });

  it('is exact, without the header, on the last page and for filters matching at most 10,000 traces', async () => {
    const last = await t.request('GET', `/api/public/traces?limit=100&page=${Math.ceil(N / 100)}`);
    expect(last.headers.get('x-total-items-estimated')).toBeNull();
    expect(((await last.json()) as { meta: { totalItems: number } }).meta.totalItems).toBe(N);
    const few = await t.request('GET', '/api/public/traces?limit=10&userId=rare-user');
    expect(few.headers.get('x-total-items-estimated')).toBeNull();
    expect(((await few.json()) as { meta: { totalItems: number } }).meta.totalItems).toBe(N / 50);
  });
});
