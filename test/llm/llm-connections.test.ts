// LLM connections over the public API on both engines: upsert by provider, list, delete; secrets
// encrypted at rest and never returned; projects isolated; the SSRF guard on baseURL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterFor } from '../../packages/server/src/llm/llm-deps.js';
import { createTestApp, type TestApp } from '../../packages/server/src/testing/test-app.js';
import { ENGINES } from '../support/index.js';
import { KEY_B, llmDeps } from './helpers.js';

const PATH = '/api/public/llm-connections';
const SECRET = 'sk-test-0123456789-verysecret-wxyz';

describe.each(ENGINES)('LLM connections API (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, { llm: llmDeps() });
  });
  afterAll(() => t.close());

  it('creates a connection, shows only the masked key, and stores no secret in clear', async () => {
    const put = await t.json('PUT', PATH, {
      body: { provider: 'openai', adapter: 'openai', secretKey: SECRET, baseURL: 'http://127.0.0.1:9/v1', customModels: ['my-model'], extraHeaders: { 'X-Team-Token': 'header-secret-value' } },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      provider: 'openai', adapter: 'openai', displaySecretKey: '...wxyz', baseURL: 'http://127.0.0.1:9/v1', customModels: ['my-model'],
      withDefaultModels: true, extraHeaderKeys: ['X-Team-Token'], config: null,
    });
    const list = await t.json('GET', PATH);
    expect(list.status).toBe(200);
    expect(list.body.meta).toMatchObject({ page: 1, totalItems: 1 });
    for (const text of [JSON.stringify(put.body), JSON.stringify(list.body)]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('header-secret-value');
    }
    const stored = await t.storage.llmConnections.get(t.a.project.id, put.body.id);
    const row = JSON.stringify(stored);
    expect(row).not.toContain(SECRET);
    expect(row).not.toContain('verysecret');
    expect(row).not.toContain('header-secret-value');
    expect(stored?.secretKey).toMatch(/^v1\./);
  });

  it('upserts on the provider name: same id, new fields', async () => {
    const first = await t.json('PUT', PATH, { body: { provider: 'gateway', adapter: 'openai', secretKey: 'sk-first-1111' } });
    const second = await t.json('PUT', PATH, { body: { provider: 'gateway', adapter: 'anthropic', secretKey: 'sk-second-2222', withDefaultModels: false } });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, adapter: 'anthropic', displaySecretKey: '...2222', withDefaultModels: false });
    const stored = await t.storage.llmConnections.get(t.a.project.id, first.body.id);
    expect(llmDeps().box.decrypt(stored!.secretKey, t.a.project.id)).toBe('sk-second-2222');
  });

  it('keeps projects apart', async () => {
    const mine = await t.json('PUT', PATH, { body: { provider: 'only-a', adapter: 'openai', secretKey: 'sk-aaaa-aaaa' } });
    const theirs = await t.json('GET', PATH, { auth: t.b.auth });
    expect(theirs.body.data.map((c: { provider: string }) => c.provider)).not.toContain('only-a');
    expect((await t.json('DELETE', `${PATH}/${mine.body.id}`, { auth: t.b.auth })).status).toBe(404);
    // The same provider name in project B is B's own connection.
    const bOwn = await t.json('PUT', PATH, { auth: t.b.auth, body: { provider: 'only-a', adapter: 'openai', secretKey: 'sk-bbbb-bbbb' } });
    expect(bOwn.body.id).not.toBe(mine.body.id);
    // A ciphertext moved to another project's row does not decrypt there.
    const stored = await t.storage.llmConnections.get(t.a.project.id, mine.body.id);
    expect(() => llmDeps().box.decrypt(stored!.secretKey, t.b.project.id)).toThrow(/failed authentication/);
  });

  it('deletes by id, then 404', async () => {
    const c = await t.json('PUT', PATH, { body: { provider: 'doomed', adapter: 'openai', secretKey: 'sk-doomed-1' } });
    expect(await t.json('DELETE', `${PATH}/${c.body.id}`)).toEqual({ status: 200, body: { message: 'LLM connection deleted' } });
    expect((await t.json('DELETE', `${PATH}/${c.body.id}`)).status).toBe(404);
  });

  it.each([
    ['loopback', 'http://127.0.0.2:8000/v1'],
    ['IPv6 loopback', 'http://[::1]:8000/v1'],
    ['RFC 1918', 'http://10.1.2.3/v1'],
    ['RFC 1918 (192.168)', 'https://192.168.1.10/v1'],
    ['cloud metadata', 'http://169.254.169.254/latest'],
    ['IPv6 unique local', 'http://[fd12:3456::1]/v1'],
    ['IPv6 link-local', 'http://[fe80::1]/v1'],
    ['unspecified', 'http://0.0.0.0:11434/v1'],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.2]/v1'],
  ])('refuses a %s baseURL with a 400 naming baseURL', async (_name, baseURL) => {
    const res = await t.json('PUT', PATH, { body: { provider: 'ssrf', adapter: 'openai', secretKey: 'sk-ssrf-0000', baseURL } });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/baseURL/);
  });

  it('accepts a public address and an allow-listed loopback one', async () => {
    expect((await t.json('PUT', PATH, { body: { provider: 'public', adapter: 'openai', secretKey: 'sk-pub-0000', baseURL: 'https://93.184.216.34/v1' } })).status).toBe(200);
    expect((await t.json('PUT', PATH, { body: { provider: 'local', adapter: 'openai', secretKey: 'sk-loc-0000', baseURL: 'http://127.0.0.1:11434/v1' } })).status).toBe(200);
  });

  it.each([
    [{ provider: 'x', adapter: 'bedrock', secretKey: 'k' }, /adapter.*not supported/],
    [{ provider: 'x', adapter: 'openai' }, /secretKey/],
    [{ provider: '', adapter: 'openai', secretKey: 'k' }, /provider/],
    [{ provider: 'x', adapter: 'openai', secretKey: 'k', baseURL: 'ftp://example.com' }, /baseURL/],
    [{ provider: 'x', adapter: 'openai', secretKey: 'k', extraHeaders: { 'Bad Header': 'v' } }, /extraHeaders/],
    [{ provider: 'x', adapter: 'openai', secretKey: 'k', extraHeaders: { 'x-ok': 'a\r\nb' } }, /extraHeaders/],
    [{ provider: 'x', adapter: 'anthropic', secretKey: 'k', config: { region: 'us-east-1' } }, /config/],
  ])('refuses bad input with a 400 naming the field (%#)', async (body, message) => {
    const res = await t.json('PUT', PATH, { body });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(message);
  });

  it('a secret saved under one key fails clearly under another', async () => {
    const c = await t.json('PUT', PATH, { body: { provider: 'rekeyed', adapter: 'openai', secretKey: 'sk-rekeyed-1234' } });
    const stored = await t.storage.llmConnections.get(t.a.project.id, c.body.id);
    expect(() => adapterFor(llmDeps(KEY_B), stored!)).toThrow(/encrypted with key \w+, but the current SIGHTLINE_ENCRYPTION_KEY is key \w+/);
  });
});
