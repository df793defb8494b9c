import { describe, expect, it } from 'vitest';
import type { SightlineError } from './errors.js';
import { ChatPromptClient, TextPromptClient, renderTemplate } from './prompt-clients.js';
import { Sightline } from './sightline.js';
import type { Transport, TransportRequest, TransportResponse } from './transport.js';

// The cache rules with an injected clock and an in-memory transport: no sockets, no sleeping.

type Answer = TransportResponse | Promise<TransportResponse>;
const json = (status: number, body: unknown): TransportResponse => ({ status, headers: { get: () => null }, text: JSON.stringify(body) });
const textPrompt = (version: number, prompt = `v${version} {{name}}`) => ({ name: 'greet', version, type: 'text', prompt, config: { v: version }, labels: ['production'], tags: [] });

function setup(answer: (req: TransportRequest) => Answer) {
  const requests: TransportRequest[] = [];
  const errors: SightlineError[] = [];
  const clock = { ms: 1_000_000 };
  const transport: Transport = {
    send: (req) => {
      requests.push(req);
      return Promise.resolve(answer(req));
    },
  };
  const sightline = new Sightline({ publicKey: 'pk', secretKey: 'sk', baseUrl: 'http://prompts.test', transport, now: () => clock.ms, onError: (e) => errors.push(e) });
  const gets = () => requests.filter((r) => r.method === 'GET').map((r) => r.path);
  return { sightline, requests, errors, clock, gets };
}

function deferred() {
  let resolve!: (r: TransportResponse) => void;
  const promise = new Promise<TransportResponse>((r) => (resolve = r));
  return { promise, resolve };
}

describe('getPrompt cache (langfuse v3 semantics)', () => {
  it('keys the cache by name and version or label (production by default) and fetches once within the TTL', async () => {
    const t = setup((req) => json(200, textPrompt(req.path.includes('version=2') ? 2 : 3)));
    expect((await t.sightline.getPrompt('greet')).version).toBe(3);
    expect((await t.sightline.getPrompt('greet', undefined, { label: 'production' })).version).toBe(3);
    expect((await t.sightline.getPrompt('greet', 2)).version).toBe(2);
    await t.sightline.getPrompt('greet', 2);
    await t.sightline.getPrompt('greet', undefined, { label: 'staging' });
    t.clock.ms += 60_000; // exactly the default TTL: still fresh
    await t.sightline.getPrompt('greet');
    expect(t.gets()).toEqual(['/api/public/v2/prompts/greet', '/api/public/v2/prompts/greet?version=2', '/api/public/v2/prompts/greet?label=staging']);
  });

  it('serves a stale prompt at once while exactly one background refresh runs, then the refreshed one', async () => {
    const refresh = deferred();
    let calls = 0;
    const t = setup(() => (calls++ === 0 ? json(200, textPrompt(1)) : refresh.promise));
    expect((await t.sightline.getPrompt('greet')).version).toBe(1);
    t.clock.ms += 60_001;
    const stale = await Promise.all([t.sightline.getPrompt('greet'), t.sightline.getPrompt('greet'), t.sightline.getPrompt('greet')]);
    expect(stale.map((p) => p.version)).toEqual([1, 1, 1]);
    expect(t.gets()).toHaveLength(2);
    refresh.resolve(json(200, textPrompt(2)));
    await refresh.promise;
    await new Promise((r) => setImmediate(r));
    expect((await t.sightline.getPrompt('greet')).version).toBe(2);
    expect(t.gets()).toHaveLength(2);
  });

  it('keeps serving the cached prompt when a refresh fails, and reports prompt_refresh to onError', async () => {
    let calls = 0;
    const t = setup(() => (calls++ === 0 ? json(200, textPrompt(1)) : json(404, { message: 'Prompt not found: greet' })));
    await t.sightline.getPrompt('greet');
    t.clock.ms += 120_000;
    expect((await t.sightline.getPrompt('greet')).version).toBe(1);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(t.errors.map((e) => e.code)).toEqual(['prompt_refresh']);
    expect(t.errors[0].message).toContain('Prompt not found: greet');
    expect((await t.sightline.getPrompt('greet', undefined, { fallback: 'unused' })).isFallback).toBe(false);
  });

  it('returns the fallback only when the fetch fails and nothing is cached; without one it rejects', async () => {
    let up = false;
    const t = setup(() => (up ? json(200, textPrompt(4)) : Promise.reject(new Error('connection refused'))));
    await expect(t.sightline.getPrompt('greet', undefined, { maxRetries: 0 })).rejects.toThrow('connection refused');
    const fallback = await t.sightline.getPrompt('greet', undefined, { maxRetries: 0, fallback: 'Hello {{name}}', label: 'beta' });
    expect(fallback).toBeInstanceOf(TextPromptClient);
    expect(fallback).toMatchObject({ isFallback: true, version: 0, labels: ['beta'], config: {}, tags: [] });
    expect(fallback.compile({ name: 'Ada' })).toBe('Hello Ada');
    const chat = await t.sightline.getPrompt('support', undefined, { maxRetries: 0, type: 'chat', fallback: [{ role: 'system', content: 'Be {{tone}}' }] });
    expect(chat).toBeInstanceOf(ChatPromptClient);
    expect(chat.compile({ tone: 'brief' })).toEqual([{ role: 'system', content: 'Be brief' }]);
    up = true;
    expect((await t.sightline.getPrompt('greet', undefined, { fallback: 'Hello' })).isFallback).toBe(false);
    up = false;
    expect((await t.sightline.getPrompt('greet', undefined, { fallback: 'Hello' })).version).toBe(4); // cached beats fallback
  });

  it('a 404 rejects with the server message; version and label together are refused', async () => {
    const t = setup(() => json(404, { message: 'Prompt not found: nope (label production)', error: 'NotFound' }));
    await expect(t.sightline.getPrompt('nope')).rejects.toThrow('Prompt not found: nope');
    await expect(t.sightline.getPrompt('nope', 1, { label: 'x' })).rejects.toThrow('either version or label');
    expect(t.gets()).toEqual(['/api/public/v2/prompts/nope']); // a 404 is not retried
  });

  it('retries a 5xx up to maxRetries, and cacheTtlSeconds 0 fetches every time', async () => {
    let calls = 0;
    const t = setup(() => (calls++ === 0 ? json(503, {}) : json(200, textPrompt(1))));
    expect((await t.sightline.getPrompt('greet', undefined, { maxRetries: 1, cacheTtlSeconds: 0 })).version).toBe(1);
    await t.sightline.getPrompt('greet', undefined, { cacheTtlSeconds: 0 });
    expect(t.gets()).toHaveLength(3);
  });

  it('updatePrompt and createPrompt drop the cached versions of that name only', async () => {
    let version = 1;
    const t = setup((req) => {
      if (req.method === 'PATCH') return json(200, { ...textPrompt(2), labels: ['production'] });
      if (req.method === 'POST') return json(201, { ...textPrompt(9), ...JSON.parse(req.body!) });
      return json(200, req.path.includes('other') ? { ...textPrompt(1), name: 'other' } : textPrompt(version));
    });
    await t.sightline.getPrompt('greet');
    await t.sightline.getPrompt('other');
    version = 2;
    const updated = await t.sightline.updatePrompt({ name: 'greet', version: 2, newLabels: ['production'] });
    expect(updated.labels).toEqual(['production']);
    expect(t.requests.find((r) => r.method === 'PATCH')).toMatchObject({ path: '/api/public/v2/prompts/greet/versions/2', body: JSON.stringify({ newLabels: ['production'] }) });
    expect((await t.sightline.getPrompt('greet')).version).toBe(2);
    await t.sightline.getPrompt('other');
    expect(t.gets()).toEqual(['/api/public/v2/prompts/greet', '/api/public/v2/prompts/other', '/api/public/v2/prompts/greet']);

    const chat = await t.sightline.createPrompt({ name: 'greet', type: 'chat', isActive: true, prompt: [{ role: 'system', content: 'x' }, { type: 'placeholder', name: 'h' }] });
    expect(JSON.parse(t.requests.find((r) => r.method === 'POST')!.body!)).toEqual({
      name: 'greet', type: 'chat', labels: ['production'], prompt: [{ type: 'chatmessage', role: 'system', content: 'x' }, { type: 'placeholder', name: 'h' }],
    });
    expect(chat).toBeInstanceOf(ChatPromptClient);
    await t.sightline.getPrompt('greet');
    expect(t.gets()).toHaveLength(4);
  });
});

describe('compile', () => {
  it('fills {{variables}} like langfuse v3 (mustache without escaping): missing ones become empty', () => {
    expect(renderTemplate('Hi {{name}}, {{ user.city }}! <{{html}}> {{missing}}.', { name: 'Ada', user: { city: 'Paris' }, html: '<b>' })).toBe('Hi Ada, Paris! <<b>> .');
  });

  it('fills chat placeholders with messages, drops empty ones, keeps unfilled ones, then fills variables', () => {
    const chat = new ChatPromptClient({
      name: 'c', version: 1, config: {}, labels: [], tags: [],
      prompt: [{ role: 'system', content: 'You help with {{product}}.' }, { type: 'placeholder', name: 'history' }, { type: 'placeholder', name: 'empty' }, { type: 'placeholder', name: 'later' }],
    });
    expect(chat.compile({ product: 'Sightline' }, { history: [{ role: 'user', content: 'about {{product}}' }], empty: [] })).toEqual([
      { role: 'system', content: 'You help with Sightline.' },
      { role: 'user', content: 'about Sightline' },
      { type: 'placeholder', name: 'later' },
    ]);
  });
});
