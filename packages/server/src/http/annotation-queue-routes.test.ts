import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';

const BASE = '/api/public/annotation-queues';
const at = '2024-05-01T10:00:00.000Z';

describe.each<Engine>(['sqlite', 'postgres'])('annotation queue API on %s', (engine) => {
  let t: TestApp;
  let configId: string;
  beforeAll(async () => {
    t = await createTestApp(engine);
    const batch = [
      { id: 'e1', type: 'trace-create', timestamp: at, body: { id: 'tr', sessionId: 'sess' } },
      { id: 'e2', type: 'generation-create', timestamp: at, body: { id: 'gen', traceId: 'tr' } },
    ];
    expect((await t.json('POST', '/api/public/ingestion', { body: { batch } })).body.errors).toEqual([]);
    configId = (await t.json('POST', '/api/public/score-configs', { body: { name: 'quality', dataType: 'NUMERIC', minValue: 0, maxValue: 5 } })).body.id;
    await t.storage.accounts.createUser({ id: 'user-1', email: 'rev@example.com', name: 'Rev', passwordHash: 'x', createdAt: 1 });
    await t.storage.accounts.setMembership({ projectId: t.a.project.id, userId: 'user-1', role: 'member', createdAt: 1 });
  });
  afterAll(async () => t?.close());

  const createQueue = async (body: Record<string, unknown>, auth?: string) => {
    const res = await t.json('POST', BASE, { body, auth });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it('creates a queue with score configs, reads and lists it', async () => {
    const q = await createQueue({ name: 'Weekly review', description: 'sample of prod', scoreConfigIds: [configId] });
    expect(q).toEqual({ id: expect.any(String), name: 'Weekly review', description: 'sample of prod', scoreConfigIds: [configId], createdAt: expect.stringMatching(/Z$/), updatedAt: q.createdAt });
    expect((await t.json('GET', `${BASE}/${q.id}`)).body).toEqual(q);
    const list = await t.json('GET', `${BASE}?limit=10`);
    expect(list.body).toMatchObject({ meta: { page: 1, limit: 10, totalItems: 1, totalPages: 1 }, data: [q] });
  });

  it('refuses unknown score configs and bad input with a 400', async () => {
    const unknown = await t.json('POST', BASE, { body: { name: 'q', scoreConfigIds: [configId, 'nope'] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe("scoreConfigIds: no score config 'nope' in this project");
    expect((await t.json('POST', BASE, { body: { name: '', scoreConfigIds: [] } })).body.message).toContain('name: must not be empty');
    expect((await t.json('POST', BASE, { body: { name: 'q' } })).body.message).toContain('scoreConfigIds: required');
    expect((await t.json('GET', `${BASE}/missing`)).status).toBe(404);
  });

  it('keeps queue names unique per project', async () => {
    await createQueue({ name: 'unique name', scoreConfigIds: [] });
    const again = await t.json('POST', BASE, { body: { name: 'unique name', scoreConfigIds: [] } });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe("name: an annotation queue named 'unique name' already exists in this project");
    await createQueue({ name: 'unique name', scoreConfigIds: [] }, t.b.auth);
  });

  it('adds items of each type, filters by status, completes, reopens and removes them', async () => {
    const q = await createQueue({ name: 'items', scoreConfigIds: [] });
    const add = (body: Record<string, unknown>) => t.json('POST', `${BASE}/${q.id}/items`, { body });
    const trace = (await add({ objectId: 'tr', objectType: 'TRACE' })).body;
    expect(trace).toEqual({ id: expect.any(String), queueId: q.id, objectId: 'tr', objectType: 'TRACE', status: 'PENDING', completedAt: null, createdAt: expect.any(String), updatedAt: expect.any(String) });
    expect((await add({ objectId: 'gen', objectType: 'OBSERVATION' })).status).toBe(200);
    expect((await add({ objectId: 'sess', objectType: 'SESSION', status: 'COMPLETED' })).body).toMatchObject({ status: 'COMPLETED', completedAt: expect.any(String) });
    expect((await add({ objectId: 'nope', objectType: 'TRACE' })).status).toBe(404);
    expect((await add({ objectId: 'tr', objectType: 'PROMPT' })).body.message).toContain('objectType: must be one of TRACE, OBSERVATION, SESSION');
    expect((await add({ objectId: 'tr', objectType: 'TRACE', status: 'DONE' })).status).toBe(400);

    const pending = await t.json('GET', `${BASE}/${q.id}/items?status=PENDING`);
    expect(pending.body.data.map((i: { objectId: string }) => i.objectId)).toEqual(['tr', 'gen']);
    expect((await t.json('GET', `${BASE}/${q.id}/items?status=nope`)).status).toBe(400);
    const item = `${BASE}/${q.id}/items/${trace.id}`;
    const done = await t.json('PATCH', item, { body: { status: 'COMPLETED' } });
    expect(done.body).toMatchObject({ id: trace.id, status: 'COMPLETED', completedAt: expect.stringMatching(/Z$/) });
    expect((await t.json('GET', item)).body.status).toBe('COMPLETED');
    expect((await t.json('PATCH', item, { body: { status: 'PENDING' } })).body).toMatchObject({ status: 'PENDING', completedAt: null });
    expect((await t.json('DELETE', item)).body).toEqual({ success: true, message: expect.any(String) });
    expect((await t.json('GET', item)).status).toBe(404);
    expect((await t.json('DELETE', item)).status).toBe(404);
    expect((await t.json('GET', `${BASE}/${q.id}/items`)).body.meta.totalItems).toBe(2);
  });

  it('assigns and unassigns members of the project only', async () => {
    const q = await createQueue({ name: 'assigned', scoreConfigIds: [] });
    const assign = await t.json('POST', `${BASE}/${q.id}/assignments`, { body: { userId: 'user-1' } });
    expect(assign.body).toEqual({ userId: 'user-1', queueId: q.id, projectId: t.a.project.id });
    const stranger = await t.json('POST', `${BASE}/${q.id}/assignments`, { body: { userId: 'stranger' } });
    expect(stranger.status).toBe(400);
    expect(stranger.body.message).toContain("userId: no member of this project has the user id 'stranger'");
    expect((await t.json('DELETE', `${BASE}/${q.id}/assignments`, { body: { userId: 'user-1' } })).body).toEqual({ success: true });
    expect((await t.json('POST', `${BASE}/missing/assignments`, { body: { userId: 'user-1' } })).status).toBe(404);
  });

  it('keeps projects apart on every route and refuses a Bearer public key', async () => {
    const q = await createQueue({ name: 'private', scoreConfigIds: [configId] });
    const item = (await t.json('POST', `${BASE}/${q.id}/items`, { body: { objectId: 'tr', objectType: 'TRACE' } })).body;
    const b = { auth: t.b.auth };
    expect((await t.json('POST', BASE, { ...b, body: { name: 'x', scoreConfigIds: [configId] } })).status).toBe(400);
    const bQueues = (await t.json('GET', `${BASE}?limit=100`, b)).body.data.map((x: { id: string }) => x.id);
    expect(bQueues).not.toContain(q.id);
    const routes: [string, string, unknown?][] = [
      ['GET', `${BASE}/${q.id}`],
      ['GET', `${BASE}/${q.id}/items`],
      ['POST', `${BASE}/${q.id}/items`, { objectId: 'tr', objectType: 'TRACE' }],
      ['GET', `${BASE}/${q.id}/items/${item.id}`],
      ['PATCH', `${BASE}/${q.id}/items/${item.id}`, { status: 'COMPLETED' }],
      ['DELETE', `${BASE}/${q.id}/items/${item.id}`],
      ['POST', `${BASE}/${q.id}/assignments`, { userId: 'user-1' }],
      ['DELETE', `${BASE}/${q.id}/assignments`, { userId: 'user-1' }],
    ];
    for (const [method, path, body] of routes) {
      expect((await t.json(method, path, { ...b, body })).status, `${method} ${path}`).toBe(404);
      expect((await t.json(method, path, { auth: `Bearer ${t.a.publicKey}`, body })).status, `${method} ${path}`).toBe(403);
    }
    expect((await t.json('GET', `${BASE}/${q.id}/items/${item.id}`)).body.status).toBe('PENDING');
    // B's own queue cannot take A's trace.
    const theirs = await createQueue({ name: 'theirs', scoreConfigIds: [] }, t.b.auth);
    expect((await t.json('POST', `${BASE}/${theirs.id}/items`, { ...b, body: { objectId: 'tr', objectType: 'TRACE' } })).status).toBe(404);
  });
});
