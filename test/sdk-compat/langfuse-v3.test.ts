// The official batch SDK (`langfuse` v3, POST /api/public/ingestion) against a live server,
// read back through the public GET API.
import { randomUUID } from 'node:crypto';
import { Langfuse } from 'langfuse';
import { describe, expect, it } from 'vitest';
import { byName, PUBLIC_KEY, SECRET_KEY, useLiveServer } from './live-server.js';

describe('langfuse v3 (batch ingestion SDK)', () => {
  const server = useLiveServer();

  it('trace, nested spans, generation with usage, event, trace.update(), span.end() and scores read back', async () => {
    const { url, get } = server();
    const errors: unknown[] = [];
    // flushAt 2 splits the run into many small requests, so updates and creates travel apart.
    const langfuse = new Langfuse({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl: url, flushAt: 2, flushInterval: 50 });
    langfuse.on('error', (e: unknown) => errors.push(e));

    const t0 = Date.now() - 10_000;
    const at = (ms: number) => new Date(t0 + ms);
    const trace = langfuse.trace({
      name: 'chat-request',
      userId: 'user-1',
      sessionId: 'sess-1',
      tags: ['t1'],
      metadata: { env: 'test' },
      input: { q: 'hi' },
      release: 'r1',
      version: 'v1',
      timestamp: at(0),
    });
    const retrieve = trace.span({ name: 'retrieve', input: { query: 'hi' }, startTime: at(10) });
    const rerank = retrieve.span({ name: 'rerank', startTime: at(20) });
    rerank.end({ output: ['b', 'a'] });
    retrieve.event({ name: 'cache-miss', input: { k: 1 }, level: 'WARNING', statusMessage: 'cold cache', startTime: at(25) });
    retrieve.end({ output: { docs: ['a', 'b'] } });
    const generation = trace.generation({
      name: 'llm-call',
      model: 'gpt-4o',
      modelParameters: { temperature: 0.7, maxTokens: 100 },
      input: [{ role: 'user', content: 'hi' }],
      startTime: at(50),
    });
    generation.end({
      output: { role: 'assistant', content: 'hello' },
      usage: { input: 10, output: 5 },
      completionStartTime: at(55),
    });
    trace.update({ output: { a: 'hello' }, tags: ['t2'], metadata: { step: 2 } });
    trace.score({ name: 'quality', value: 0.9, comment: 'good' });
    generation.score({ name: 'cat', value: 'good', dataType: 'CATEGORICAL' });
    await langfuse.flushAsync();
    await langfuse.shutdownAsync();
    expect(errors).toEqual([]);

    const t = await get(`traces/${trace.id}`);
    expect(t).toMatchObject({
      id: trace.id,
      name: 'chat-request',
      timestamp: at(0).toISOString(),
      userId: 'user-1',
      sessionId: 'sess-1',
      release: 'r1',
      version: 'v1',
      tags: ['t1', 't2'],
      metadata: { env: 'test', step: 2 },
      input: { q: 'hi' },
      output: { a: 'hello' },
    });
    expect(t.observations).toHaveLength(4);
    const obs = byName(t.observations as { name: string; [k: string]: unknown }[]);
    expect(obs.retrieve).toMatchObject({
      type: 'SPAN',
      parentObservationId: null,
      input: { query: 'hi' },
      output: { docs: ['a', 'b'] },
      startTime: at(10).toISOString(),
    });
    // span.end() stamps the end with the SDK's clock.
    expect(Date.parse(obs.retrieve.endTime as string)).toBeGreaterThanOrEqual(t0);
    expect(obs.rerank).toMatchObject({ type: 'SPAN', parentObservationId: retrieve.id, output: ['b', 'a'], startTime: at(20).toISOString() });
    expect(obs['cache-miss']).toMatchObject({ type: 'EVENT', parentObservationId: retrieve.id, level: 'WARNING', statusMessage: 'cold cache', input: { k: 1 } });
    expect(obs['llm-call']).toMatchObject({
      id: generation.id,
      type: 'GENERATION',
      model: 'gpt-4o',
      modelParameters: { temperature: 0.7, maxTokens: 100 },
      input: [{ role: 'user', content: 'hi' }],
      output: { role: 'assistant', content: 'hello' },
      usageDetails: { input: 10, output: 5, total: 15 },
      usage: { input: 10, output: 5, total: 15 },
      completionStartTime: at(55).toISOString(),
    });
    expect(obs['llm-call'].endTime).not.toBeNull();
    // The SDK enqueues generation-create after the generation-update that end() makes (its
    // envelope timestamp is later), so under Langfuse's merge rule (start_time = first event's
    // body.startTime ?? envelope time) the start comes from the update; we only bound it here.
    expect(Date.parse(obs['llm-call'].startTime as string)).toBeGreaterThanOrEqual(at(50).getTime());
    const scores = byName(t.scores as { name: string; [k: string]: unknown }[]);
    expect(scores.quality).toMatchObject({ value: 0.9, comment: 'good', dataType: 'NUMERIC', observationId: null });
    expect(scores.cat).toMatchObject({ stringValue: 'good', dataType: 'CATEGORICAL', observationId: generation.id });

    const session = await get('sessions/sess-1');
    expect((session.traces as { id: string }[]).map((x) => x.id)).toContain(trace.id);
  });

  it('an update that arrives before its create (another client, earlier request) merges into the same generation', async () => {
    const { url, get } = server();
    const traceId = randomUUID();
    const generationId = randomUUID();
    const early = new Langfuse({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl: url });
    // What generation.update() sends: a generation-update event for an id no create has named yet.
    early._updateGeneration({ id: generationId, traceId, output: 'done', usage: { input: 3, output: 4 } });
    await early.shutdownAsync();

    const late = new Langfuse({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl: url });
    late.trace({ id: traceId, name: 'late-create' }).generation({ id: generationId, name: 'gen', model: 'gpt-4o-mini', input: 'question' });
    await late.shutdownAsync();

    const t = await get(`traces/${traceId}`);
    expect(t.name).toBe('late-create');
    expect(t.observations).toEqual([
      expect.objectContaining({ id: generationId, name: 'gen', model: 'gpt-4o-mini', input: 'question', output: 'done', usageDetails: { input: 3, output: 4, total: 7 } }),
    ]);
  });
});
