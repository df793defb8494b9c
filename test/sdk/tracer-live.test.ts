import { observe, observeOpenAI, Sightline, type SightlineError } from '@sightline/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, startLiveServer, type LiveServer } from './support/live-server.js';
import { openaiAndIngestion } from './support/openai-mock.js';
import { startStub } from './support/stub-server.js';

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer();
});
afterAll(async () => {
  await server?.stop();
});

const tracer = (errors: SightlineError[] = []) => new Sightline({ ...keys, baseUrl: server.url, onError: (e) => errors.push(e) });

describe('the tracer against a live server', () => {
  it('records trace-level fields, nested observations, usage and scores, read back through the API', async () => {
    const errors: SightlineError[] = [];
    const sightline = new Sightline({ ...keys, baseUrl: server.url, release: 'v1.2.3', environment: 'staging', onError: (e) => errors.push(e) });
    const sessionId = `sess-${crypto.randomUUID()}`;
    const trace = sightline.trace({ name: 'chat-request', userId: 'user-1', sessionId, tags: ['t1', 'beta'], metadata: { plan: 'pro' }, input: { q: 'hi' } });
    const span = trace.span({ name: 'retrieve', input: { query: 'hi' } });
    span.event({ name: 'cache-miss', input: { k: 1 } });
    span.end({ output: { docs: ['a', 'b'] } });
    const gen = trace.generation({ name: 'llm-call', model: 'gpt-4o', modelParameters: { temperature: 0.7 }, input: [{ role: 'user', content: 'hi' }] });
    gen.end({ output: { role: 'assistant', content: 'hello' }, usage: { input: 10, output: 5 } });
    trace.score({ name: 'quality', value: 0.9, comment: 'good' });
    gen.score({ name: 'relevance', value: 1 });
    trace.update({ output: { a: 'hello' }, metadata: { done: true } });
    expect(await sightline.shutdown()).toBe(true);
    expect(errors).toEqual([]);

    const { client } = server;
    const full = await client.traces.get(trace.id);
    expect(full).toMatchObject({
      name: 'chat-request', userId: 'user-1', sessionId, tags: ['beta', 't1'], release: 'v1.2.3', environment: 'staging',
      input: { q: 'hi' }, output: { a: 'hello' }, metadata: { plan: 'pro', done: true },
    });
    const byName = Object.fromEntries(full.observations.map((o) => [o.name, o]));
    expect(byName.retrieve).toMatchObject({ type: 'SPAN', parentObservationId: null, output: { docs: ['a', 'b'] }, environment: 'staging' });
    expect(byName.retrieve.endTime).not.toBeNull();
    expect(byName['cache-miss']).toMatchObject({ type: 'EVENT', parentObservationId: span.id });
    expect(byName['llm-call']).toMatchObject({ type: 'GENERATION', model: 'gpt-4o', usage: { input: 10, output: 5, total: 15 }, output: { role: 'assistant', content: 'hello' } });

    const scores = await client.scores.list({ traceId: trace.id });
    expect(scores.data.map((s) => [s.name, s.value, s.observationId]).sort()).toEqual([['quality', 0.9, null], ['relevance', 1, gen.id]]);
    const session = await client.sessions.get(sessionId);
    expect(session.traces.map((t) => t.id)).toEqual([trace.id]);
    const sessions = await client.sessions.list();
    expect(sessions.data.map((s) => s.id)).toContain(sessionId);
    const observations = await client.observations.list({ traceId: trace.id, type: 'GENERATION' });
    expect(observations.data.map((o) => o.id)).toEqual([gen.id]);
  });

  it('observe() and observeOpenAI() (streaming) nest into one trace on the server', async () => {
    const openaiMock = await startStub(openaiAndIngestion);
    const sightline = tracer();
    try {
      const openai = observeOpenAI(new OpenAI({ apiKey: 'sk-test', baseURL: `${openaiMock.url}/v1`, maxRetries: 0 }), { sightline, generationName: 'answer-llm' });
      const answer = observe(async (question: string) => {
        const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: question }], stream: true, stream_options: { include_usage: true } });
        let text = '';
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
        return text;
      }, { name: 'answer', sightline, trace: { userId: 'observer' } });
      expect(await answer('Hi')).toBe('Hello!');
      await sightline.flush();
      const list = await server.client.traces.list({ userId: 'observer' });
      expect(list.data).toHaveLength(1);
      const full = await server.client.traces.get(list.data[0].id);
      expect(full).toMatchObject({ name: 'answer', input: 'Hi', output: 'Hello!' });
      const root = full.observations.find((o) => o.name === 'answer')!;
      const llm = full.observations.find((o) => o.name === 'answer-llm')!;
      expect(llm).toMatchObject({ type: 'GENERATION', parentObservationId: root.id, output: { role: 'assistant', content: 'Hello!' }, usage: { input: 9, output: 3, total: 12 } });
      expect(llm.timeToFirstToken).toEqual(expect.any(Number));
    } finally {
      await sightline.shutdown();
      await openaiMock.close();
    }
  });

  it('a 207 with per-event errors: the bad event reaches onError once, the rest is stored', async () => {
    const errors: SightlineError[] = [];
    const sightline = tracer(errors);
    const trace = sightline.trace({ name: 'partial-207' });
    trace.score({ name: '', value: 1 }); // the server requires a non-empty score name
    trace.span({ name: 'kept' }).end();
    expect(await sightline.flush()).toBe(true);
    expect(await sightline.flush()).toBe(true);
    expect(errors.map((e) => [e.code, e.details.status])).toEqual([['rejected_event', 400]]);
    const full = await server.client.traces.get(trace.id);
    expect(full.observations.map((o) => o.name)).toEqual(['kept']);
    expect(full.scores).toEqual([]);
    await sightline.shutdown();
  });
});
