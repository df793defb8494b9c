import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openaiAndIngestion } from '../../../test/sdk/support/openai-mock.js';
import { startStub, type Stub } from '../../../test/sdk/support/stub-server.js';
import { observe, observeOpenAI, Sightline } from './index.js';

let stub: Stub;
let sightline: Sightline;
let openai: OpenAI;
beforeEach(async () => {
  stub = await startStub(openaiAndIngestion);
  sightline = new Sightline({ publicKey: 'pk-lf-test', secretKey: 'sk-lf-test', baseUrl: stub.url, onError: () => {} });
  openai = observeOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL: `${stub.url}/v1`, maxRetries: 0 }), { sightline, sessionId: 'sess-1' });
});
afterEach(async () => {
  await sightline.shutdown();
  await stub.close();
});

/** The single generation recorded: its create body merged with its update body. */
async function generation() {
  await sightline.flush();
  const events = stub.events();
  const create = events.filter((e) => e.type === 'generation-create');
  const update = events.filter((e) => e.type === 'generation-update');
  expect(create).toHaveLength(1);
  expect(update).toHaveLength(1);
  return { ...create[0].body, ...update[0].body, trace: events.find((e) => e.type === 'trace-create')?.body };
}

describe('observeOpenAI()', () => {
  it('records a chat completion without changing what the caller receives', async () => {
    const messages = [{ role: 'user' as const, content: 'Hello' }];
    const res = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, temperature: 0.2, max_tokens: 50 });
    expect(res.choices[0].message.content).toBe('Hello there');
    const g = await generation();
    expect(g).toMatchObject({
      name: 'OpenAI-generation', model: 'gpt-4o-mini', modelParameters: { temperature: 0.2, max_tokens: 50 }, input: messages,
      output: { role: 'assistant', content: 'Hello there' }, usageDetails: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
    });
    expect(g.endTime).toEqual(expect.any(String));
    expect(g.trace).toMatchObject({ name: 'OpenAI-generation', sessionId: 'sess-1' });
  });

  it('records a streamed chat completion with time to first token; the caller gets the same Stream', async () => {
    const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } });
    expect(stream.controller).toBeInstanceOf(AbortController);
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Hello!');
    const g = await generation();
    expect(g.output).toEqual({ role: 'assistant', content: 'Hello!' });
    expect(g.usageDetails).toEqual({ prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 });
    expect(Date.parse(g.completionStartTime)).toBeGreaterThanOrEqual(Date.parse(g.startTime));
    expect(Date.parse(g.endTime)).toBeGreaterThanOrEqual(Date.parse(g.completionStartTime));
  });

  it('records completions, responses (plain and streamed) and embeddings', async () => {
    await openai.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Hello' });
    expect(await generation()).toMatchObject({ input: 'Hello', output: ' world' });
    stub.requests.length = 0;

    const resp = await openai.responses.create({ model: 'gpt-4o-mini', input: 'Say hi', instructions: 'Be brief' });
    expect(resp.output_text).toBe('Hi you');
    expect(await generation()).toMatchObject({ input: { instructions: 'Be brief', input: 'Say hi' }, output: 'Hi you', usageDetails: { input_tokens: 5, output_tokens: 2 } });
    stub.requests.length = 0;

    const events: string[] = [];
    for await (const e of await openai.responses.create({ model: 'gpt-4o-mini', input: 'Say hi', stream: true })) events.push(e.type);
    expect(events).toContain('response.completed');
    expect(await generation()).toMatchObject({ output: 'Hi you', usageDetails: { input_tokens: 5, output_tokens: 2, total_tokens: 7 } });
    stub.requests.length = 0;

    const emb = await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'vector me', encoding_format: 'float' });
    expect(emb.data[0].embedding).toEqual([0.1, 0.2, 0.3]);
    expect(await generation()).toMatchObject({ input: 'vector me', output: { embeddings: 1, dimensions: 3 }, usageDetails: { input: 4, total: 4 } });
  });

  it('records API errors as level ERROR and rethrows the original error', async () => {
    await expect(openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'fail' }] })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    const g = await generation();
    expect(g.level).toBe('ERROR');
    expect(g.statusMessage).toContain('bad request from mock');
  });

  it('nests under the active observe() call', async () => {
    const answer = observe(async (q: string) => (await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: q }] })).choices[0].message.content, { name: 'answer', sightline });
    expect(await answer('Hello')).toBe('Hello there');
    await sightline.flush();
    const events = stub.events();
    const span = events.find((e) => e.type === 'span-create');
    const gen = events.find((e) => e.type === 'generation-create');
    expect(gen.body).toMatchObject({ traceId: span.body.traceId, parentObservationId: span.body.id });
    expect(events.filter((e) => e.type === 'trace-create' && e.body.name === 'OpenAI-generation')).toHaveLength(0);
  });
});
