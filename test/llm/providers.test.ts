// The provider adapters against fake OpenAI-compatible and Anthropic servers on loopback:
// plain and streamed answers, Azure's URL form, and how error answers are classified.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicAdapter } from '../../packages/server/src/llm/anthropic-adapter.js';
import type { ChatAdapter, ChatStreamEvent } from '../../packages/server/src/llm/chat-adapter.js';
import { createOpenAiAdapter } from '../../packages/server/src/llm/openai-adapter.js';
import { createPinnedFetch } from '../../packages/server/src/llm/pinned-fetch.js';
import { ProviderError } from '../../packages/server/src/llm/provider-error.js';
import { createUrlGuard, parseAllowList } from '../../packages/server/src/llm/ssrf-guard.js';
import { startFakeLlm, type FakeLlm } from '../support/index.js';

const fetch = createPinnedFetch(createUrlGuard(parseAllowList('127.0.0.1')));
const messages = [{ role: 'system' as const, content: 'be brief' }, { role: 'user' as const, content: 'hello there' }];

async function collect(events: AsyncIterable<ChatStreamEvent>) {
  const deltas: string[] = [];
  let done: Extract<ChatStreamEvent, { type: 'done' }> | undefined;
  for await (const e of events) {
    if (e.type === 'delta') deltas.push(e.text);
    else done = e;
  }
  return { deltas, result: done?.result };
}

let fake: FakeLlm;
beforeAll(async () => {
  fake = await startFakeLlm();
});
afterAll(() => fake.close());
const lastRequest = () => fake.requests.at(-1)!;

describe('OpenAI-compatible adapter', () => {
  const adapter = (): ChatAdapter =>
    createOpenAiAdapter({ adapter: 'openai', provider: 'openai', secretKey: 'sk-fake', baseURL: `${fake.url}/v1`, extraHeaders: { 'x-team': 'blue' }, fetch });

  it('answers a chat with text, usage and model, sending the key and extra headers', async () => {
    const result = await adapter().chat(messages, { model: 'gpt-x', temperature: 0, maxTokens: 50, json: true });
    expect(result.text).toBe('echo: hello there');
    expect(result.model).toBe('gpt-x-fake');
    expect(result.usage).toMatchObject({ input: expect.any(Number), output: expect.any(Number) });
    expect(result.usage!.total).toBe(result.usage!.input + result.usage!.output);
    const req = lastRequest();
    expect(req.url).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe('Bearer sk-fake');
    expect(req.headers['x-team']).toBe('blue');
    expect(req.body).toMatchObject({ model: 'gpt-x', messages, temperature: 0, max_tokens: 50, response_format: { type: 'json_object' } });
  });

  it('streams deltas, then the whole text and the usage', async () => {
    const { deltas, result } = await collect(adapter().stream(messages, { model: 'gpt-x' }));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('echo: hello there');
    expect(result).toMatchObject({ text: 'echo: hello there', model: 'gpt-x-fake', usage: { input: expect.any(Number) } });
    expect(lastRequest().body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("speaks Azure's deployment URL form with api-version and the api-key header", async () => {
    const azure = createOpenAiAdapter({ adapter: 'azure', provider: 'azure', secretKey: 'az-key', baseURL: `${fake.url}/openai/deployments`, extraHeaders: {}, fetch });
    await azure.chat(messages, { model: 'my-deployment' });
    expect(lastRequest().url).toBe('/openai/deployments/my-deployment/chat/completions?api-version=2024-10-21');
    expect(lastRequest().headers['api-key']).toBe('az-key');
    expect(lastRequest().headers.authorization).toBeUndefined();
    // The openai adapter recognises a full Azure deployment URL and keeps its api-version.
    const viaOpenAi = createOpenAiAdapter({
      adapter: 'openai', provider: 'openai', secretKey: 'az-key', baseURL: `${fake.url}/openai/deployments/dep-2?api-version=2024-06-01`, extraHeaders: {}, fetch,
    });
    await viaOpenAi.chat(messages, { model: 'ignored' });
    expect(lastRequest().url).toBe('/openai/deployments/dep-2/chat/completions?api-version=2024-06-01');
  });
});

describe('Anthropic adapter', () => {
  const adapter = () => createAnthropicAdapter({ provider: 'anthropic', secretKey: 'ak-fake', baseURL: fake.url, extraHeaders: {}, fetch });

  it('answers with the system prompt apart and the key in x-api-key', async () => {
    const result = await adapter().chat(messages, { model: 'claude-x' });
    expect(result).toMatchObject({ text: 'echo: hello there', model: 'claude-x-fake', usage: { input: expect.any(Number), output: expect.any(Number) } });
    const req = lastRequest();
    expect(req.url).toBe('/v1/messages');
    expect(req.headers['x-api-key']).toBe('ak-fake');
    expect(req.headers['anthropic-version']).toBe('2023-06-01');
    expect(req.body).toMatchObject({ system: 'be brief', messages: [{ role: 'user', content: 'hello there' }], max_tokens: 1024 });
  });

  it('streams deltas, then the whole text and the usage', async () => {
    const { deltas, result } = await collect(adapter().stream(messages, { model: 'claude-x', maxTokens: 20 }));
    expect(deltas.join('')).toBe('echo: hello there');
    expect(result).toMatchObject({ text: 'echo: hello there', model: 'claude-x-fake' });
    expect(result!.usage!.output).toBeGreaterThan(1);
  });
});

describe('provider errors', () => {
  const openai = () => createOpenAiAdapter({ adapter: 'openai', provider: 'openai', secretKey: 'sk', baseURL: `${fake.url}/v1`, extraHeaders: {}, fetch });
  const anthropic = () => createAnthropicAdapter({ provider: 'anthropic', secretKey: 'ak', baseURL: fake.url, extraHeaders: {}, fetch });
  const failure = async (adapter: ChatAdapter) => {
    try {
      await adapter.chat(messages, { model: 'm' });
    } catch (err) {
      return err as ProviderError;
    }
    throw new Error('expected a failure');
  };

  it('429 is retryable after Retry-After seconds or an HTTP date', async () => {
    fake.script.push(() => ({ status: 429, headers: { 'retry-after': '7' }, body: { error: { message: 'Rate limit reached' } } }));
    const seconds = await failure(openai());
    expect(seconds).toBeInstanceOf(ProviderError);
    expect(seconds).toMatchObject({ status: 429, retryable: true, retryAfterMs: 7000 });
    expect(seconds.message).toMatch(/HTTP 429: Rate limit reached/);
    const at = new Date(Date.now() + 120_000).toUTCString();
    fake.script.push(() => ({ status: 429, headers: { 'retry-after': at } }));
    const dated = await failure(anthropic());
    expect(dated.retryable).toBe(true);
    expect(dated.retryAfterMs).toBeGreaterThan(60_000);
    expect(dated.retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it('5xx is retryable, 401 and 400 are not', async () => {
    fake.script.push(() => ({ status: 500 }), () => ({ status: 529, body: { error: { message: 'Overloaded' } } }));
    expect(await failure(openai())).toMatchObject({ status: 500, retryable: true });
    expect(await failure(anthropic())).toMatchObject({ status: 529, retryable: true });
    fake.script.push(() => ({ status: 401, body: { error: { message: 'Incorrect API key provided' } } }), () => ({ status: 400 }));
    const refused = await failure(openai());
    expect(refused).toMatchObject({ status: 401, retryable: false });
    expect(refused.message).toMatch(/Incorrect API key/);
    expect(await failure(anthropic())).toMatchObject({ status: 400, retryable: false });
  });

  it('connects to the address the guard checked, keeping the host name for the Host header', async () => {
    const port = new URL(fake.url).port;
    // `provider.invalid` resolves nowhere (RFC 6761): the request can only arrive through the pinned address.
    const pinned = createPinnedFetch(createUrlGuard(parseAllowList('provider.invalid'), async () => [{ address: '127.0.0.1', family: 4 }]));
    const adapter = createOpenAiAdapter({ adapter: 'openai', provider: 'openai', secretKey: 'sk', baseURL: `http://provider.invalid:${port}/v1`, extraHeaders: {}, fetch: pinned });
    expect((await adapter.chat(messages, { model: 'm' })).text).toBe('echo: hello there');
    expect(lastRequest().headers.host).toBe(`provider.invalid:${port}`);
  });

  it('checks the address again at call time: a loopback URL not on the allow-list is refused before connecting', async () => {
    const before = fake.requests.length;
    const port = new URL(fake.url).port;
    const strict = createPinnedFetch(createUrlGuard(parseAllowList('')));
    const adapter = createOpenAiAdapter({ adapter: 'openai', provider: 'openai', secretKey: 'sk', baseURL: `http://127.0.0.1:${port}/v1`, extraHeaders: {}, fetch: strict });
    await expect(adapter.chat(messages, { model: 'm' })).rejects.toThrow(/baseURL: 127\.0\.0\.1 resolves to 127\.0\.0\.1/);
    expect(fake.requests.length).toBe(before);
  });
});
