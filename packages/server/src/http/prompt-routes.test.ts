import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';

const BASE = '/api/public/v2/prompts';
const path = (name: string, query = '') => `${BASE}/${encodeURIComponent(name)}${query}`;

describe.each<Engine>(['sqlite', 'postgres'])('prompt API on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  const create = async (body: Record<string, unknown>, auth?: string) => {
    const res = await t.json('POST', BASE, { body, auth });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it('numbers versions from 1, keeps latest on the newest and moves labels to the version given them', async () => {
    const v1 = await create({ name: 'greet', prompt: 'Hi {{name}}', labels: ['production'], tags: ['a'], config: { temperature: 0 }, commitMessage: 'first' });
    expect(v1).toMatchObject({ name: 'greet', version: 1, type: 'text', prompt: 'Hi {{name}}', labels: ['production', 'latest'], tags: ['a'], config: { temperature: 0 }, commitMessage: 'first', resolutionGraph: null });
    const v2 = await create({ name: 'greet', prompt: 'Hello {{name}}', labels: ['staging'] });
    expect(v2).toMatchObject({ version: 2, labels: ['staging', 'latest'], tags: ['a'], config: {} });
    expect((await t.json('GET', path('greet'))).body).toMatchObject({ version: 1, labels: ['production'] });
    expect((await t.json('GET', path('greet', '?label=latest'))).body).toMatchObject({ version: 2 });

    const moved = await t.json('PATCH', `${path('greet')}/versions/2`, { body: { newLabels: ['production'] } });
    expect(moved.status).toBe(200);
    expect(moved.body.labels).toEqual(['production', 'staging', 'latest']);
    expect((await t.json('GET', path('greet', '?version=1'))).body.labels).toEqual([]);
    expect((await t.json('GET', path('greet'))).body).toMatchObject({ version: 2, prompt: 'Hello {{name}}' });

    const v3 = await create({ name: 'greet', prompt: 'Yo', tags: ['b', 'c'] });
    expect(v3.labels).toEqual(['latest']);
    expect((await t.json('GET', path('greet', '?version=1'))).body.tags).toEqual(['b', 'c']);
  });

  it('refuses a type change, bad labels, latest by hand, and both version and label', async () => {
    await create({ name: 'typed', prompt: 'text' });
    const typeChange = await t.json('POST', BASE, { body: { name: 'typed', type: 'chat', prompt: [{ role: 'user', content: 'x' }] } });
    expect(typeChange.status).toBe(400);
    expect(typeChange.body.message).toContain("prompt 'typed' is a text prompt");
    const badLabel = await t.json('POST', BASE, { body: { name: 'typed', prompt: 'x', labels: ['Prod!'] } });
    expect(badLabel.status).toBe(400);
    expect(badLabel.body.message).toContain('labels[0]: must consist of lower-case letters');
    const latest = await t.json('PATCH', `${path('typed')}/versions/1`, { body: { newLabels: ['latest'] } });
    expect(latest.status).toBe(400);
    expect(latest.body.message).toContain("'latest'");
    expect((await t.json('GET', path('typed', '?version=1&label=production'))).status).toBe(400);
  });

  it('answers 404 naming the prompt and the label or version', async () => {
    expect((await t.json('GET', path('missing'))).body).toMatchObject({ message: "Prompt not found: 'missing' with label 'production'", error: 'LangfuseNotFoundError' });
    expect((await t.json('GET', path('missing', '?version=3'))).body.message).toBe("Prompt not found: 'missing' with version 3");
    expect((await t.json('PATCH', `${path('missing')}/versions/1`, { body: { newLabels: ['x'] } })).status).toBe(404);
    expect((await t.json('DELETE', path('missing'))).status).toBe(404);
  });

  it('serves names with slashes, sent URL-encoded or raw', async () => {
    await create({ name: 'team/support/triage', prompt: 'folder prompt', labels: ['production'] });
    expect((await t.json('GET', path('team/support/triage'))).body.name).toBe('team/support/triage');
    expect((await t.json('GET', `${BASE}/team/support/triage`)).body.prompt).toBe('folder prompt');
    const patched = await t.json('PATCH', `${path('team/support/triage')}/versions/1`, { body: { newLabels: ['beta'] } });
    expect(patched.body.labels).toEqual(['beta', 'production', 'latest']);
  });

  it('stores chat prompts with placeholders and refuses non-string content and oversized input', async () => {
    const chat = await create({ name: 'chatty', type: 'chat', prompt: [{ type: 'chatmessage', role: 'system', content: 'Be {{tone}}' }, { type: 'placeholder', name: 'history' }] });
    expect(chat.prompt).toEqual([{ role: 'system', content: 'Be {{tone}}' }, { type: 'placeholder', name: 'history' }]);
    const nonString = await t.json('POST', BASE, { body: { name: 'chatty', type: 'chat', prompt: [{ role: 'user', content: { text: 'x' } }] } });
    expect(nonString.status).toBe(400);
    expect(nonString.body.message).toContain('prompt[0]');
    const big = await t.json('POST', BASE, { body: { name: 'big', prompt: 'x'.repeat(500_001) } });
    expect(big.status).toBe(400);
    expect(big.body.message).toContain('prompt: must be at most 500000 characters');
    const labels = await t.json('POST', BASE, { body: { name: 'many', prompt: 'x', labels: Array.from({ length: 1000 }, (_, i) => `l${i}`) } });
    expect(labels.status).toBe(400);
    expect(labels.body.message).toContain('labels: must hold at most 50 labels');
  });

  it('composes prompts by version and label, up to the depth limit, and refuses cycles and missing references', async () => {
    await create({ name: 'base', prompt: 'BASE', labels: ['production'] });
    const outer = await create({ name: 'outer', prompt: 'A @@@langfusePrompt:name=base|label=production@@@ B @@@langfusePrompt:name=base|version=1@@@', labels: ['production'] });
    const served = (await t.json('GET', path('outer'))).body;
    expect(served.prompt).toBe('A BASE B BASE');
    expect(served.resolutionGraph).toMatchObject({ root: { id: outer.id, name: 'outer', version: 1 }, dependencies: { [outer.id]: [{ name: 'base', version: 1 }] } });
    expect((await t.json('GET', path('outer', '?resolve=false'))).body).toMatchObject({ prompt: outer.prompt, resolutionGraph: null });

    const missing = await t.json('POST', BASE, { body: { name: 'dangling', prompt: '@@@langfusePrompt:name=nope|label=production@@@' } });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain("prompt 'nope' with label 'production' not found");
    const self = await t.json('POST', BASE, { body: { name: 'base', prompt: 'again @@@langfusePrompt:name=outer|label=production@@@', labels: ['production'] } });
    expect(self.status).toBe(400);
    expect(self.body.message).toContain('cycle');

    for (let i = 1; i <= 6; i++) await create({ name: `chain-${i}`, prompt: `${i} @@@langfusePrompt:name=chain-${i - 1}|version=1@@@`, ...(i === 1 && { prompt: '1' }) });
    expect((await t.json('GET', path('chain-5', '?version=1'))).body.prompt).toBe('5 4 3 2 1');
    const deep = await t.json('POST', BASE, { body: { name: 'chain-7', prompt: '7 @@@langfusePrompt:name=chain-6|version=1@@@' } });
    expect(deep.status).toBe(400);
    expect(deep.body.message).toContain('deeper than 5 levels');
  });

  it('gives concurrent creates of one name distinct consecutive versions', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => t.json('POST', BASE, { body: { name: 'race', prompt: `p${i}`, labels: ['production'] } })));
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    expect(results.map((r) => r.body.version as number).sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const list = (await t.json('GET', `${BASE}?name=race`)).body;
    expect(list.data[0].labels).toEqual(['production', 'latest']);
    const production = await t.json('GET', `${BASE}?name=race&label=production`);
    expect(production.body.data[0].versions).toHaveLength(1);
  });

  it('lists names with their versions, labels and tags, filtered and paged', async () => {
    await create({ name: 'list-a', prompt: 'a1', tags: ['t'], config: { n: 1 } });
    await create({ name: 'list-a', prompt: 'a2', labels: ['production'], config: { n: 2 } });
    await create({ name: 'list-b', prompt: 'b1' });
    const { body } = await t.json('GET', `${BASE}?tag=t`);
    expect(body.data).toEqual([{ name: 'list-a', type: 'text', versions: [1, 2], labels: ['production', 'latest'], tags: ['t'], lastUpdatedAt: expect.any(String), lastConfig: { n: 2 } }]);
    expect(body.meta).toMatchObject({ page: 1, totalItems: 1 });
    const paged = (await t.json('GET', `${BASE}?limit=1&page=2`)).body;
    expect(paged.data).toHaveLength(1);
    expect(paged.meta.totalPages).toBe(paged.meta.totalItems);
  });

  it('deletes one version, a label’s version, or every version', async () => {
    await create({ name: 'gone', prompt: 'g1' });
    await create({ name: 'gone', prompt: 'g2', labels: ['staging'] });
    await create({ name: 'gone', prompt: 'g3' });
    expect((await t.request('DELETE', path('gone', '?version=3'))).status).toBe(204);
    expect((await t.json('GET', path('gone', '?label=latest'))).body).toMatchObject({ version: 2, labels: ['staging', 'latest'] });
    expect((await t.request('DELETE', path('gone', '?label=staging'))).status).toBe(204);
    expect((await t.json('GET', path('gone', '?label=latest'))).body.version).toBe(1);
    expect((await t.request('DELETE', path('gone'))).status).toBe(204);
    expect((await t.json('GET', `${BASE}?name=gone`)).body.data).toEqual([]);
    await create({ name: 'gone', type: 'chat', prompt: [{ role: 'user', content: 'new life' }] });
  });

  it('keeps projects apart and refuses a Bearer public key', async () => {
    await create({ name: 'private', prompt: 'A only', labels: ['production'] });
    const asB = (method: string, p: string, body?: unknown) => t.json(method, p, { auth: t.b.auth, body });
    expect((await asB('GET', path('private'))).status).toBe(404);
    expect((await asB('GET', `${BASE}?name=private`)).body.data).toEqual([]);
    expect((await asB('PATCH', `${path('private')}/versions/1`, { newLabels: ['x'] })).status).toBe(404);
    expect((await asB('DELETE', path('private'))).status).toBe(404);
    const bRef = await asB('POST', BASE, { name: 'b-ref', prompt: '@@@langfusePrompt:name=private|label=production@@@' });
    expect(bRef.status).toBe(400);
    const b1 = await asB('POST', BASE, { name: 'private', type: 'chat', prompt: [{ role: 'user', content: 'B' }] });
    expect(b1.body).toMatchObject({ version: 1, type: 'chat' });
    expect((await t.json('GET', path('private'))).body.prompt).toBe('A only');
    for (const [method, p] of [['GET', path('private')], ['GET', BASE], ['POST', BASE], ['DELETE', path('private')]] as const) {
      expect((await t.json(method, p, { auth: `Bearer ${t.a.publicKey}`, body: method === 'POST' ? { name: 'x', prompt: 'x' } : undefined })).status, `${method} ${p}`).toBe(403);
    }
  });
});
