// The UI routes of LLM connections and the playground on both engines: who may read, write and
// run; the public API's validation and SSRF guard; isolation between projects; no secret in any
// answer; a run streamed in order and recorded as a trace with usage and cost; provider errors
// as a clear 502, never a 500.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../packages/server/src/testing/test-app.js';
import { signedInBrowsers, type Browser } from '../../packages/server/src/testing/ui-browser.js';
import { ENGINES, startFakeLlm, type FakeLlm } from '../support/index.js';
import { llmDeps } from './helpers.js';

const SETUP = 'setup-token-for-the-playground-test';
const SECRET = 'sk-playground-secret-value-7f3a';
const HEADER_SECRET = 'header-secret-value-93kd';

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '{}';
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

/** An OpenAI-compatible stream that never ends by itself (a word every 20 ms until the caller hangs up), or fails after `failAfter` words. */
async function startDrip(options: { failAfter?: number } = {}) {
  let closed = false;
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let i = 0;
    const timer = setInterval(() => {
      if (i === options.failAfter) res.end(`data: ${JSON.stringify({ error: { message: 'the model overheated' } })}\n\n`);
      else res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: `w${i++} ` } }] })}\n\n`);
    }, 20);
    res.on('close', () => {
      clearInterval(timer);
      closed = true;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    closed: () => closed,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe.each(ENGINES)('LLM connections and playground UI routes (%s)', (engine) => {
  let t: TestApp;
  let fake: FakeLlm;
  let as: Record<'owner' | 'admin' | 'member' | 'viewer', Browser>;
  let pid = '';
  let pidB = '';
  const seen: string[] = [];
  const call = async (who: Browser, method: string, path: string, body?: unknown) => {
    const res = await who.call(method, path, body);
    seen.push(JSON.stringify(res.body ?? null));
    return res;
  };
  /** The run route answers a text/event-stream (or a JSON error): read it raw, with the browser's cookie and CSRF token. */
  const run = async (who: Browser, body: Record<string, unknown>, projectId = pid) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-sightline-csrf': who.csrf ?? '' };
    if (who.cookie) headers.cookie = who.cookie;
    const res = await t.app.request(`/api/ui/projects/${projectId}/playground/run`, { method: 'POST', headers, body: JSON.stringify(body) });
    const text = await res.text();
    seen.push(text);
    const sse = res.headers.get('content-type')?.startsWith('text/event-stream') ?? false;
    return { status: res.status, events: sse ? parseSse(text) : [], json: sse ? null : (JSON.parse(text) as { message: string; code: string }) };
  };
  const generationsOf = async (traceId: string) => (await t.json('GET', `/api/public/observations?traceId=${traceId}`)).body.data as Record<string, unknown>[];
  let openaiId = '';
  let anthropicId = '';

  beforeAll(async () => {
    fake = await startFakeLlm();
    t = await createTestApp(engine, { llm: llmDeps(), setupToken: SETUP });
    pid = t.a.project.id;
    pidB = t.b.project.id;
    as = await signedInBrowsers(t, SETUP, ['admin', 'member', 'viewer'] as const);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('lets admins add connections and every member list them, masked', async () => {
    const created = await call(as.admin, 'POST', `/projects/${pid}/llm-connections`, {
      provider: 'fake-openai', adapter: 'openai', secretKey: SECRET, baseURL: `${fake.url}/v1`, customModels: ['my-local-model'], extraHeaders: { 'X-Team': HEADER_SECRET },
    });
    expect(created.status).toBe(201);
    openaiId = created.body.connection.id;
    expect(created.body.connection).toMatchObject({ provider: 'fake-openai', displaySecretKey: '...7f3a', extraHeaderKeys: ['X-Team'] });
    expect(created.body.connection.models).toEqual(expect.arrayContaining(['my-local-model', 'gpt-4o']));
    expect(created.body.connection.models[0]).toBe('my-local-model');
    const a = await call(as.owner, 'POST', `/projects/${pid}/llm-connections`, { provider: 'fake-anthropic', adapter: 'anthropic', secretKey: 'ak-anthropic-1234', baseURL: fake.url, withDefaultModels: false, customModels: ['claude-3-5-haiku-20241022'] });
    expect(a.status).toBe(201);
    anthropicId = a.body.connection.id;
    expect(a.body.connection.models).toEqual(['claude-3-5-haiku-20241022']);
    for (const who of [as.member, as.viewer]) {
      const list = await call(who, 'GET', `/projects/${pid}/llm-connections`);
      expect(list.status).toBe(200);
      expect(list.body.canManage).toBe(false);
      expect(list.body.data.map((c: { provider: string }) => c.provider)).toEqual(['fake-openai', 'fake-anthropic']);
    }
    expect((await call(as.admin, 'GET', `/projects/${pid}/llm-connections`)).body.canManage).toBe(true);
  });

  it('refuses writes below admin and bad input with a 4xx naming the field', async () => {
    const body = { provider: 'x', adapter: 'openai', secretKey: 'sk-x-12345678' };
    expect((await call(as.member, 'POST', `/projects/${pid}/llm-connections`, body)).status).toBe(403);
    expect((await call(as.viewer, 'POST', `/projects/${pid}/llm-connections`, body)).status).toBe(403);
    expect((await call(as.member, 'PUT', `/projects/${pid}/llm-connections/${openaiId}`, body)).status).toBe(403);
    expect((await call(as.member, 'DELETE', `/projects/${pid}/llm-connections/${openaiId}`)).status).toBe(403);
    const ssrf = await call(as.admin, 'POST', `/projects/${pid}/llm-connections`, { ...body, baseURL: 'http://10.1.2.3/v1' });
    expect(ssrf.status).toBe(400);
    expect(ssrf.body.message).toMatch(/^baseURL: .*private/);
    const adapter = await call(as.admin, 'POST', `/projects/${pid}/llm-connections`, { ...body, adapter: 'bedrock' });
    expect(adapter.status).toBe(400);
    expect(adapter.body.message).toMatch(/adapter: bedrock is not supported/);
    expect((await call(as.admin, 'POST', `/projects/${pid}/llm-connections`, { ...body, secretKey: '' })).body.message).toMatch(/secretKey: must not be empty/);
    expect((await call(as.admin, 'POST', `/projects/${pid}/llm-connections`, { ...body, extraHeaders: { Host: 'evil' } })).status).toBe(400);
    const dup = await call(as.admin, 'POST', `/projects/${pid}/llm-connections`, { ...body, provider: 'fake-openai' });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toMatch(/^provider: /);
  });

  it('edits a connection keeping its secret when none is given, and deletes it', async () => {
    const stored = async () => (await t.storage.llmConnections.get(pid, openaiId))!;
    const before = await stored();
    const edit = await call(as.admin, 'PUT', `/projects/${pid}/llm-connections/${openaiId}`, {
      adapter: 'openai', secretKey: '', baseURL: `${fake.url}/v1`, customModels: ['my-local-model', 'second-model'],
    });
    expect(edit.status).toBe(200);
    expect(edit.body.connection).toMatchObject({ displaySecretKey: '...7f3a', customModels: ['my-local-model', 'second-model'], extraHeaderKeys: ['X-Team'] });
    const after = await stored();
    expect(llmDeps().box.decrypt(after.secretKey, pid)).toBe(SECRET);
    expect(after.extraHeaders).toBe(before.extraHeaders);
    const rename = await call(as.admin, 'PUT', `/projects/${pid}/llm-connections/${openaiId}`, { provider: 'other', adapter: 'openai' });
    expect(rename.body.message).toMatch(/^provider: /);
    const ssrf = await call(as.admin, 'PUT', `/projects/${pid}/llm-connections/${openaiId}`, { adapter: 'openai', baseURL: 'http://169.254.169.254/latest' });
    expect(ssrf.status).toBe(400);
    expect(ssrf.body.message).toMatch(/^baseURL: /);

    const doomed = await call(as.admin, 'POST', `/projects/${pid}/llm-connections`, { provider: 'doomed', adapter: 'openai', secretKey: 'sk-doomed-0000' });
    expect((await call(as.admin, 'DELETE', `/projects/${pid}/llm-connections/${doomed.body.connection.id}`)).status).toBe(204);
    expect((await call(as.admin, 'DELETE', `/projects/${pid}/llm-connections/${doomed.body.connection.id}`)).status).toBe(404);
  });

  it("keeps projects apart: another project's connections can be neither seen, changed nor run", async () => {
    const theirs = await t.json('PUT', '/api/public/llm-connections', { auth: t.b.auth, body: { provider: 'b-only', adapter: 'openai', secretKey: 'sk-b-only-9999', baseURL: `${fake.url}/v1` } });
    const id = theirs.body.id as string;
    expect((await call(as.admin, 'GET', `/projects/${pidB}/llm-connections`)).status).toBe(404);
    expect((await call(as.admin, 'PUT', `/projects/${pid}/llm-connections/${id}`, { adapter: 'openai' })).status).toBe(404);
    expect((await call(as.admin, 'DELETE', `/projects/${pid}/llm-connections/${id}`)).status).toBe(404);
    expect((await run(as.member, { connectionId: id, model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })).status).toBe(404);
    expect((await run(as.member, { connectionId: id, model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, pidB)).status).toBe(404);
    expect((await t.storage.llmConnections.get(pidB, id))?.provider).toBe('b-only');
  });

  it('streams a run in order and records it as a playground trace with usage and cost', async () => {
    const messages = [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'tell me about the sea' }];
    const res = await run(as.member, { connectionId: openaiId, model: 'gpt-4o', messages, temperature: 0.3, maxTokens: 200, topP: 0.9 });
    expect(res.status).toBe(200);
    const deltas = res.events.filter((e) => e.event === 'delta').map((e) => e.data.text);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe('echo: tell me about the sea');
    const done = res.events.at(-1)!;
    expect(done.event).toBe('done');
    expect(done.data).toMatchObject({ model: 'gpt-4o', text: 'echo: tell me about the sea', usage: { input: expect.any(Number), output: expect.any(Number) } });
    expect(done.data.cost).toBeGreaterThan(0);
    expect(fake.requests.at(-1)!.headers['x-team']).toBe(HEADER_SECRET);
    expect(fake.requests.at(-1)!.body).toMatchObject({ temperature: 0.3, max_tokens: 200, top_p: 0.9, stream: true });

    const traceId = done.data.traceId as string;
    const trace = await t.storage.traces.get(pid, traceId);
    expect(trace).toMatchObject({ name: 'playground', environment: 'sightline-playground' });
    const detail = await as.viewer.get(`/projects/${pid}/traces/${traceId}`);
    expect(detail.status).toBe(200);
    const gen = (await generationsOf(traceId))[0];
    expect(gen).toMatchObject({ type: 'GENERATION', model: 'gpt-4o', modelParameters: { temperature: 0.3, max_tokens: 200, top_p: 0.9 }, output: 'echo: tell me about the sea', input: messages });
    const usage = done.data.usage as { input: number; output: number };
    expect(gen.usageDetails).toMatchObject({ input: usage.input, output: usage.output });
    expect(gen.calculatedTotalCost).toBe(done.data.cost);
  });

  it('streams from Anthropic too, links the prompt version, and says "unknown" cost as null', async () => {
    await call(as.member, 'POST', `/projects/${pid}/prompts`, { name: 'pg/greet', type: 'chat', prompt: [{ role: 'user', content: 'Hi {{name}}' }] });
    const res = await run(as.member, {
      connectionId: anthropicId, model: 'claude-3-5-haiku-20241022', messages: [{ role: 'user', content: 'Hi Ada' }], prompt: { name: 'pg/greet', version: 1 },
    });
    const done = res.events.at(-1)!;
    expect(done.event).toBe('done');
    expect(res.events.filter((e) => e.event === 'delta').map((e) => e.data.text).join('')).toBe('echo: Hi Ada');
    expect(done.data.cost).toBeGreaterThan(0);
    expect((await generationsOf(done.data.traceId as string))[0]).toMatchObject({ promptName: 'pg/greet', promptVersion: 1 });

    const unpriced = await run(as.member, { connectionId: openaiId, model: 'my-local-model', messages: [{ role: 'user', content: 'x' }] });
    expect(unpriced.events.at(-1)).toMatchObject({ event: 'done', data: { cost: null, usage: { input: expect.any(Number) } } });
  });

  it('lets members run but not viewers, and refuses oversized or malformed runs with a 400', async () => {
    const ok = { connectionId: openaiId, model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };
    expect((await run(as.viewer, ok)).status).toBe(403);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ maxTokens: 1_000_000 }, /^maxTokens: must be at most 8192/],
      [{ temperature: 5 }, /^temperature: must be between 0 and 2/],
      [{ messages: [] }, /^messages: must hold at least one message/],
      [{ messages: [{ role: 'user', content: 'x'.repeat(100_001) }] }, /^messages: the prompt is 100001 characters/],
      [{ messages: [{ role: 'tool', content: 'x' }] }, /^messages\[0\]\.role/],
      [{ model: '' }, /^model: must not be empty/],
    ];
    for (const [patch, message] of cases) {
      const res = await run(as.member, { ...ok, ...patch });
      expect(res.status).toBe(400);
      expect(res.json?.message).toMatch(message);
    }
  });

  it('turns a provider error into a clear 502 and records the failed run', async () => {
    fake.script.push(() => ({ status: 401, body: { error: { message: 'Incorrect API key provided' } } }));
    const res = await run(as.member, { connectionId: openaiId, model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(502);
    expect(res.json).toMatchObject({ code: 'provider_error' });
    expect(res.json?.message).toMatch(/fake-openai answered HTTP 401: Incorrect API key provided/);
    const traces = await t.json('GET', '/api/public/traces?name=playground&limit=50');
    const failed = traces.body.data[0]; // the newest
    expect((await generationsOf(failed.id))[0]).toMatchObject({ level: 'ERROR', statusMessage: expect.stringMatching(/HTTP 401/) });
  });

  it('aborts the provider call when the browser cancels mid-stream, and records the partial run as cancelled', async () => {
    const drip = await startDrip();
    try {
      const conn = await call(as.admin, 'POST', `/projects/${pid}/llm-connections`, { provider: 'drip', adapter: 'openai', secretKey: 'sk-drip-0000', baseURL: `${drip.url}/v1`, customModels: ['drip-model'] });
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-sightline-csrf': as.member.csrf ?? '', cookie: as.member.cookie ?? '' };
      const res = await t.app.request(`/api/ui/projects/${pid}/playground/run`, {
        method: 'POST', headers, body: JSON.stringify({ connectionId: conn.body.connection.id, model: 'drip-model', messages: [{ role: 'user', content: 'go on' }] }),
      });
      expect(res.status).toBe(200);
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let received = '';
      while (!received.includes('event: delta')) received += (await reader.read()).value ?? '';
      await reader.cancel();
      await expect.poll(() => drip.closed(), { timeout: 10_000 }).toBe(true);
      const cancelled = async () => {
        const list = await t.json('GET', '/api/public/observations?type=GENERATION&limit=100');
        return (list.body.data as { model: string }[]).find((o) => o.model === 'drip-model');
      };
      await expect.poll(cancelled, { timeout: 10_000 }).toMatchObject({ level: 'WARNING', statusMessage: 'cancelled by the user', output: expect.stringMatching(/^w0 /) });
    } finally {
      await drip.close();
    }
  });

  it('ends a stream that fails mid-way with an error event naming the provider, recorded with the partial output', async () => {
    const drip = await startDrip({ failAfter: 2 });
    try {
      const conn = await call(as.admin, 'POST', `/projects/${pid}/llm-connections`, { provider: 'flaky', adapter: 'openai', secretKey: 'sk-flaky-0000', baseURL: `${drip.url}/v1`, customModels: ['flaky-model'] });
      const res = await run(as.member, { connectionId: conn.body.connection.id, model: 'flaky-model', messages: [{ role: 'user', content: 'go' }] });
      expect(res.status).toBe(200);
      expect(res.events.map((e) => e.event)).toEqual(['delta', 'delta', 'error']);
      const error = res.events[2].data;
      expect(error.message).toBe('flaky answered HTTP 500: the model overheated');
      expect((await generationsOf(error.traceId as string))[0]).toMatchObject({ level: 'ERROR', output: 'w0 w1 ', statusMessage: error.message });
    } finally {
      await drip.close();
    }
  });

  it('never returns a secret in any answer', () => {
    expect(seen.length).toBeGreaterThan(20);
    for (const text of seen) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(HEADER_SECRET);
      expect(text).not.toContain('ak-anthropic-1234');
    }
  });
});
