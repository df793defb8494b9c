import { SightlineApiError } from '@sightline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeedExample } from '../../packages/sdk/examples/seed.js';
import { startLiveServer, type LiveServer } from './support/live-server.js';

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('the seed example through the low-level client, against a live server', () => {
  it('creates trace, event, span, generation and score, and reads them all back', async () => {
    const { client } = server;
    const { trace, event, span, updatedSpan, generation, score } = await runSeedExample(client);
    expect(trace).toMatchObject({ id: expect.any(String), name: 'chat-completion' });
    expect(event).toMatchObject({ traceId: trace.id, type: 'EVENT', name: 'chat-docs-retrieval' });
    expect(span).toMatchObject({ traceId: trace.id, type: 'SPAN', parentObservationId: event.id });
    expect(updatedSpan.metadata).toMatchObject({ key: 'value', step: 'done' });
    expect(generation).toMatchObject({ type: 'GENERATION', model: 'gpt-3.5-turbo', input: [{ role: 'user', content: 'Hello, how are you?' }], output: 'I am fine, thank you' });
    expect(generation).toMatchObject({ promptTokens: 512, completionTokens: 49, totalTokens: 561 });
    expect(score).toMatchObject({ traceId: trace.id, observationId: generation.id, name: 'user-explicit-feedback', value: 1 });

    const full = await client.traces.get(trace.id);
    expect(full).toMatchObject({ id: trace.id, name: 'chat-completion', metadata: { env: 'production', user: 'user__935d7d1d-8625-4ef4-8651-544613e7bd22' } });
    expect(full.observations.map((o) => o.id).sort()).toEqual([event.id, span.id, generation.id].sort());
    expect(full.scores.map((s) => s.id)).toEqual([score.id]);

    const list = await client.traces.list({ name: 'chat-completion' });
    expect(list.meta).toMatchObject({ page: 1, totalItems: 1 });
    expect(list.data[0]).toMatchObject({ id: trace.id, observations: expect.arrayContaining([generation.id]), scores: [score.id] });

    const observations = await client.observations.list({ traceId: trace.id });
    expect(observations.meta.totalItems).toBe(3);
    const gen = await client.observations.get(generation.id);
    expect(gen).toMatchObject({ modelParameters: { temperature: 0.9, maxTokens: 1000 }, usage: { input: 512, output: 49, total: 561 } });
    expect(gen.metadata).toMatchObject({ userid: 'user__935d7d1d-8625-4ef4-8651-544613e7bd22' });

    const scores = await client.scores.list({ traceId: trace.id });
    expect(scores.data).toEqual([expect.objectContaining({ id: score.id, value: 1, observationId: generation.id })]);
  });

  it('generations.update merges by generationId', async () => {
    const { client } = server;
    const trace = await client.trace.create({ name: 'gen-update' });
    const gen = await client.generations.log({ traceId: trace.id, name: 'g', model: 'gpt-4o' });
    const updated = await client.generations.update({ generationId: gen.id, completion: 'done', usage: { promptTokens: 3, completionTokens: 4 } });
    expect(updated).toMatchObject({ id: gen.id, output: 'done', model: 'gpt-4o', promptTokens: 3, completionTokens: 4 });
  });

  it('throws SightlineApiError with status and body', async () => {
    const error = await server.client.traces.get('does-not-exist').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SightlineApiError);
    expect(error).toMatchObject({ status: 404, method: 'GET', path: '/api/public/traces/does-not-exist' });
    expect((error as SightlineApiError).body).toMatchObject({ message: expect.any(String) });

    const badKey = new (server.client.constructor as typeof import('@sightline/sdk').SightlineClient)({ baseUrl: server.url, publicKey: 'pk-lf-x', secretKey: 'sk-lf-wrong' });
    await expect(badKey.traces.list()).rejects.toMatchObject({ status: 401 });
    await expect(server.client.span.update({ spanId: '' })).rejects.toMatchObject({ status: 400 });
  });
});
