import { rawEvent } from '@sightline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';

// Deletes, access levels and hostile input of the read routes (the reads themselves: read-routes.test.ts).

const ENGINES: Engine[] = ['sqlite', 'postgres'];
const at = (ms: number) => new Date(Date.parse('2024-01-01T00:00:00.000Z') + ms).toISOString();

/** Traces t1 (span o1, score sc1, session s1), t2 and t3, plus a session score sc3 on s1. */
async function seed(t: TestApp): Promise<void> {
  const now = new Date().toISOString();
  const batch = [
    rawEvent('trace-create', { id: 't1', timestamp: at(0), name: 'alpha', sessionId: 's1' }, now),
    rawEvent('span-create', { id: 'o1', traceId: 't1', startTime: at(1000) }, now),
    rawEvent('score-create', { id: 'sc1', traceId: 't1', name: 'quality', value: 0.9 }, now),
    rawEvent('score-create', { id: 'sc3', sessionId: 's1', name: 'session-rating', value: 1 }, now),
    rawEvent('trace-create', { id: 't2', timestamp: at(1) }, now),
    rawEvent('trace-create', { id: 't3', timestamp: at(2) }, now),
  ];
  const res = await t.json('POST', '/api/public/ingestion', { body: { batch } });
  expect(res.body.errors).toEqual([]);
}

describe.each(ENGINES)('read route guards on %s', (engine) => {
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
  }

  describe('hostile input', () => {
    it('answers 400 (naming the parameter) or 404, never 500', async () => {
      const nulFilter = encodeURIComponent(JSON.stringify([{ type: 'string', column: 'name', operator: '=', value: 'a\u0000' }]));
      const farCursor = Buffer.from(JSON.stringify({ lastStartTimeTo: 1e300, lastTraceId: 't', lastId: 'x' })).toString('base64');
      const nulCursor = Buffer.from(JSON.stringify({ lastStartTimeTo: at(0), lastTraceId: '\u0000', lastId: 'x' })).toString('base64');
      await expect400('/api/public/traces?userId=%00', 'userId');
      await expect400(`/api/public/traces?filter=${nulFilter}`, 'filter');
      await expect400(`/api/public/v2/observations?cursor=${farCursor}`, 'cursor');
      await expect400(`/api/public/v2/observations?cursor=${nulCursor}`, 'cursor');
      await expect400('/api/public/v2/scores?value=1e400&operator=%3E', 'value');
      for (const path of ['/api/public/traces/%00', '/api/public/observations/%00', '/api/public/scores/%00', '/api/public/sessions/%00']) {
        expect((await get(path)).status, path).toBe(404);
      }
      expect((await t.json('DELETE', '/api/public/scores/%00')).status).toBe(404);
      expect((await t.json('DELETE', '/api/public/traces', { body: { traceIds: ['\u0000'] } })).status).toBe(400);
      expect((await get('/api/public/traces?page=9007199254740991')).status).toBe(200);
    });
  });

  describe('access', () => {
    const routes: [string, string][] = [
      ['GET', '/api/public/traces'],
      ['GET', '/api/public/traces/t1'],
      ['DELETE', '/api/public/traces/t1'],
      ['DELETE', '/api/public/traces'],
      ['GET', '/api/public/observations'],
      ['GET', '/api/public/observations/o1'],
      ['GET', '/api/public/v2/observations'],
      ['GET', '/api/public/scores'],
      ['GET', '/api/public/v2/scores'],
      ['GET', '/api/public/scores/sc1'],
      ['GET', '/api/public/v2/scores/sc1'],
      ['DELETE', '/api/public/scores/sc1'],
      ['GET', '/api/public/sessions'],
      ['GET', '/api/public/sessions/s1'],
    ];

    it('answers 403 to a Bearer public key on every route, and 401 without a key', async () => {
      for (const [method, path] of routes) {
        const bearer = await t.json(method, path, { auth: `Bearer ${t.a.publicKey}`, body: method === 'DELETE' ? { traceIds: ['t1'] } : undefined });
        expect(bearer.status, `${method} ${path}`).toBe(403);
        expect(bearer.body.message).toBe('Access denied - insufficient permissions for this endpoint');
        expect((await t.json(method, path, { auth: null })).status, `${method} ${path}`).toBe(401);
      }
      expect((await get('/api/public/traces/t1')).status).toBe(200);
      expect((await get('/api/public/scores/sc1')).status).toBe(200);
    });
  });
});

describe.each(ENGINES)('delete routes on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
    await seed(t);
  });
  afterAll(async () => t?.close());

  it('DELETE /traces/{id} removes the trace with its observations and scores', async () => {
    const { status, body } = await t.json('DELETE', '/api/public/traces/t1');
    expect(status).toBe(200);
    expect(body).toEqual({ message: 'Trace deleted successfully' });
    expect((await t.json('GET', '/api/public/traces/t1')).status).toBe(404);
    expect((await t.json('GET', '/api/public/observations/o1')).status).toBe(404);
    expect((await t.json('GET', '/api/public/scores/sc1')).status).toBe(404);
    // Deleting again (or an unknown id) still succeeds, as in Langfuse.
    expect((await t.json('DELETE', '/api/public/traces/t1')).status).toBe(200);
  });

  it('DELETE /traces removes several traces and validates the body', async () => {
    const { status, body } = await t.json('DELETE', '/api/public/traces', { body: { traceIds: ['t2', 't3', 'unknown'] } });
    expect(status).toBe(200);
    expect(body).toEqual({ message: 'Traces deleted successfully' });
    expect((await t.json('GET', '/api/public/traces')).body.data).toEqual([]);

    const bad = async (b: unknown, needle: string) => {
      const res = await t.json('DELETE', '/api/public/traces', { body: b });
      expect(res.status, JSON.stringify(b)).toBe(400);
      expect(res.body.message).toContain(needle);
    };
    await bad({ traceIds: [] }, 'traceIds');
    await bad({ traceIds: 'x' }, 'traceIds');
    await bad({}, 'traceIds');
    await bad({ traceIds: [1] }, 'traceIds[0]');
    await bad({ traceIds: Array.from({ length: 1001 }, (_, i) => `t${i}`) }, 'traceIds');
    await bad('not json', 'JSON');
  });

  it('DELETE /scores/{id} answers 204 with no body, then 404', async () => {
    const res = await t.request('DELETE', '/api/public/scores/sc3');
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect((await t.json('GET', '/api/public/scores/sc3')).status).toBe(404);
    const again = await t.json('DELETE', '/api/public/scores/sc3');
    expect(again.status).toBe(404);
    expect(again.body.message).toBe('Score sc3 not found within authorized project');
  });
});
