import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';

const BASE = '/api/public/comments';
const at = '2024-05-01T10:00:00.000Z';

describe.each<Engine>(['sqlite', 'postgres'])('comment API on %s', (engine) => {
  let t: TestApp;
  let promptId: string;
  beforeAll(async () => {
    t = await createTestApp(engine);
    const batch = [
      { id: 'e1', type: 'trace-create', timestamp: at, body: { id: 'tr', sessionId: 'sess' } },
      { id: 'e2', type: 'span-create', timestamp: at, body: { id: 'obs', traceId: 'tr' } },
    ];
    expect((await t.json('POST', '/api/public/ingestion', { body: { batch } })).body.errors).toEqual([]);
    promptId = (await t.json('POST', '/api/public/v2/prompts', { body: { name: 'p', prompt: 'hi' } })).body.id;
    await t.storage.accounts.createUser({ id: 'user-1', email: 'rev@example.com', name: 'Rev', passwordHash: 'x', createdAt: 1 });
    await t.storage.accounts.setMembership({ projectId: t.a.project.id, userId: 'user-1', role: 'member', createdAt: 1 });
  });
  afterAll(async () => t?.close());

  const post = (body: Record<string, unknown>, auth?: string) => t.json('POST', BASE, { body, auth });

  it('comments on each kind of object and reads them back', async () => {
    const targets: [string, string][] = [['TRACE', 'tr'], ['observation', 'obs'], ['SESSION', 'sess'], ['PROMPT', promptId]];
    for (const [objectType, objectId] of targets) {
      const res = await post({ projectId: t.a.project.id, objectType, objectId, content: `on **${objectId}** <script>x</script>` });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({ id: expect.any(String) });
      const read = await t.json('GET', `${BASE}/${res.body.id}`);
      expect(read.body).toEqual({
        id: res.body.id, projectId: t.a.project.id, objectType: objectType.toUpperCase(), objectId, content: `on **${objectId}** <script>x</script>`,
        authorUserId: null, createdAt: expect.stringMatching(/Z$/), updatedAt: expect.stringMatching(/Z$/),
      });
    }
    const withAuthor = await post({ projectId: t.a.project.id, objectType: 'TRACE', objectId: 'tr', content: 'mine', authorUserId: 'user-1' });
    expect(withAuthor.status).toBe(200);
    const list = await t.json('GET', `${BASE}?objectType=TRACE&objectId=tr`);
    expect(list.body.meta).toEqual({ page: 1, limit: 50, totalItems: 2, totalPages: 1 });
    expect(list.body.data.map((c: { content: string }) => c.content)).toEqual(['mine', 'on **tr** <script>x</script>']);
    expect((await t.json('GET', `${BASE}?authorUserId=user-1`)).body.data).toHaveLength(1);
    expect((await t.json('GET', `${BASE}?limit=2&page=3`)).body).toMatchObject({ data: [{ objectType: 'TRACE', content: 'on **tr** <script>x</script>' }], meta: { totalItems: 5, totalPages: 3 } });
  });

  it('answers 404 for an object that does not exist in the project, and 400 for bad input', async () => {
    const missing = await post({ objectType: 'TRACE', objectId: 'nope', content: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('TRACE nope not found within authorized project');
    expect((await post({ objectType: 'PROMPT', objectId: 'p', content: 'x' })).status).toBe(404);
    const cases: [Record<string, unknown>, string][] = [
      [{ objectType: 'TRACE', objectId: 'tr', content: 'x'.repeat(5_001) }, 'content: must be at most 5000 characters'],
      [{ objectType: 'TRACE', objectId: 'tr', content: '' }, 'content: must not be empty'],
      [{ objectType: 'DATASET', objectId: 'tr', content: 'x' }, 'objectType: must be one of TRACE, OBSERVATION, SESSION, PROMPT'],
      [{ objectType: 'TRACE', content: 'x' }, 'objectId: required'],
      [{ objectType: 'TRACE', objectId: 'tr', content: 'x', authorUserId: 'stranger' }, "authorUserId: no member of this project has the user id 'stranger'"],
      [{ projectId: t.b.project.id, objectType: 'TRACE', objectId: 'tr', content: 'x' }, 'projectId: must be the project of the API key'],
    ];
    for (const [body, message] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body).slice(0, 100)).toBe(400);
      expect(res.body.message).toContain(message);
    }
    expect((await post({ objectType: 'TRACE', objectId: 'tr', content: 'x'.repeat(5_000) })).status).toBe(200);
    expect((await t.json('GET', `${BASE}?objectId=tr`)).status).toBe(400);
    expect((await t.json('GET', `${BASE}?objectType=nope`)).status).toBe(400);
    expect((await t.json('GET', `${BASE}/no-such-comment`)).status).toBe(404);
  });

  it('keeps projects apart and refuses a Bearer public key', async () => {
    // Project B cannot comment on A's trace, nor read A's comments.
    expect((await post({ objectType: 'TRACE', objectId: 'tr', content: 'x' }, t.b.auth)).status).toBe(404);
    const mine = await post({ objectType: 'TRACE', objectId: 'tr', content: 'private' });
    expect((await t.json('GET', `${BASE}/${mine.body.id}`, { auth: t.b.auth })).status).toBe(404);
    expect((await t.json('GET', BASE, { auth: t.b.auth })).body.meta.totalItems).toBe(0);
    // A member of A is no author in B.
    const batch = [{ id: 'b1', type: 'trace-create', timestamp: at, body: { id: 'tr-b' } }];
    expect((await t.json('POST', '/api/public/ingestion', { body: { batch }, auth: t.b.auth })).body.errors).toEqual([]);
    const foreignAuthor = await post({ objectType: 'TRACE', objectId: 'tr-b', content: 'x', authorUserId: 'user-1' }, t.b.auth);
    expect(foreignAuthor.status).toBe(400);
    expect(foreignAuthor.body.message).toContain("authorUserId: no member of this project has the user id 'user-1'");
    const bearer = `Bearer ${t.a.publicKey}`;
    expect((await post({ objectType: 'TRACE', objectId: 'tr', content: 'x' }, bearer)).status).toBe(403);
    expect((await t.json('GET', BASE, { auth: bearer })).status).toBe(403);
  });
});
