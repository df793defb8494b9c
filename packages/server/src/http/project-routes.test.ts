import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';

describe.each<Engine>(['sqlite', 'postgres'])('GET /api/public/projects on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  it('answers the key’s own project and no other', async () => {
    for (const p of [t.a, t.b]) {
      const { status, body } = await t.json('GET', '/api/public/projects', { auth: p.auth });
      expect(status).toBe(200);
      expect(body).toEqual({ data: [{ id: p.project.id, name: p.project.name, organization: { id: 'sightline', name: 'Sightline' }, metadata: {} }] });
    }
  });

  it('refuses a Bearer public key (403) and no credentials (401)', async () => {
    expect((await t.json('GET', '/api/public/projects', { auth: `Bearer ${t.a.publicKey}` })).status).toBe(403);
    expect((await t.json('GET', '/api/public/projects', { auth: null })).status).toBe(401);
  });
});
