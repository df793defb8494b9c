import { openStorage, type Storage } from '@sightline/storage';
import { createPgTestDatabase, type PgTestDatabase } from '@sightline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProjectWithKey } from '../admin/projects.js';
import { createApp } from '../app.js';
import { createIngestor } from '../ingest/ingestor.js';
import { createLogger } from '../logger.js';
import { basicAuth, createTestApp, type Engine, type TestApp } from '../testing/test-app.js';

const path = (name: string, query = '') => `/api/public/v2/prompts/${encodeURIComponent(name)}${query}`;

describe.each<Engine>(['sqlite', 'postgres'])('served prompts follow every write on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  it('serves a moved label, a new version, new tags and a deleted version at once', async () => {
    await t.json('POST', '/api/public/v2/prompts', { body: { name: 'hot', prompt: 'one', labels: ['production'] } });
    await t.json('POST', '/api/public/v2/prompts', { body: { name: 'inner', prompt: 'IN', labels: ['production'] } });
    await t.json('POST', '/api/public/v2/prompts', { body: { name: 'hot', prompt: 'two @@@langfusePrompt:name=inner|label=production@@@' } });
    const served = async (q = '') => (await t.json('GET', path('hot', q))).body;
    expect((await served()).prompt).toBe('one');
    expect((await served()).prompt).toBe('one');
    await t.json('PATCH', `${path('hot')}/versions/2`, { body: { newLabels: ['production'] } });
    expect((await served()).prompt).toBe('two IN');
    await t.json('POST', '/api/public/v2/prompts', { body: { name: 'inner', prompt: 'NEW', labels: ['production'] } });
    expect((await served()).prompt).toBe('two NEW');
    expect((await served('?resolve=false')).prompt).toBe('two @@@langfusePrompt:name=inner|label=production@@@');
    await t.request('DELETE', path('hot', '?version=2'));
    expect((await t.json('GET', path('hot'))).status).toBe(404);
    expect((await served('?label=latest')).version).toBe(1);
  });
});

describe('two instances on one PostgreSQL database', () => {
  let pg: PgTestDatabase;
  const storages: Storage[] = [];
  let apps: ReturnType<typeof createApp>[] = [];
  let ingestors: ReturnType<typeof createIngestor>[] = [];
  let auth = '';
  beforeAll(async () => {
    pg = await createPgTestDatabase();
    for (let i = 0; i < 2; i++) storages.push(await openStorage({ databaseUrl: pg.url }));
    const logger = createLogger({ silent: true });
    ingestors = storages.map((storage) => createIngestor(storage, logger));
    apps = storages.map((storage, i) => createApp({ storage, ingestor: ingestors[i], logger, version: 'test' }));
    const key = await createProjectWithKey(storages[0], 'shared');
    auth = basicAuth(key.publicKey, key.secretKey);
  });
  afterAll(async () => {
    for (const i of ingestors) await i.drain();
    for (const s of storages) await s.close();
    await pg?.drop();
  });

  const call = async (instance: number, method: string, p: string, body?: unknown) => {
    const res = await apps[instance].request(p, { method, headers: { authorization: auth, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked by assertions
    return { status: res.status, body: (res.status === 204 ? null : await res.json()) as any };
  };

  it('a label moved on one instance is served by the other on its next fetch', async () => {
    await call(0, 'POST', '/api/public/v2/prompts', { name: 'shared', prompt: 'v1', labels: ['production'] });
    await call(0, 'POST', '/api/public/v2/prompts', { name: 'shared', prompt: 'v2' });
    expect((await call(1, 'GET', path('shared'))).body.prompt).toBe('v1');
    expect((await call(1, 'GET', path('shared'))).body.prompt).toBe('v1');
    await call(0, 'PATCH', `${path('shared')}/versions/2`, { newLabels: ['production'] });
    expect((await call(1, 'GET', path('shared'))).body.prompt).toBe('v2');
    await call(1, 'DELETE', path('shared'));
    expect((await call(0, 'GET', path('shared'))).status).toBe(404);
  });
});
