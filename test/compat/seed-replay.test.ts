// Replays the calls of the seed document (/work/shared/seed/000_a50626f8feac2642.txt, the Fern
// Python SDK walkthrough) against the legacy routes, then reads everything back.
import { describe, expect, it } from 'vitest';
import { API, ENGINES, enc, getOk, useTestApp } from './helpers.js';

/** The seed's timestamp format: `datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%SZ')`. */
const seedTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const USER = 'user__935d7d1d-8625-4ef4-8651-544613e7bd22';

describe.each(ENGINES)('seed replay (%s)', (engine) => {
  const app = useTestApp(engine);

  it('the Python SDK walkthrough (trace, event, span, span.update, generations.log, score) reads back through GET /traces/{id}', async () => {
    const t = app();
    const base = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const post = async (method: string, route: string, body: Record<string, unknown>) => {
      const res = await t.json(method, `${API}/${route}`, { body });
      expect(res.status, `${method} /${route} → ${JSON.stringify(res.body)}`).toBe(200);
      expect(typeof res.body.id, `${method} /${route} returns an id`).toBe('string');
      expect(res.body.id.length).toBeGreaterThan(0);
      return res.body;
    };

    // trace.create(CreateTraceRequest(name, metadata))
    const trace = await post('POST', 'traces', { name: 'chat-completion', metadata: { env: 'production', user: USER } });

    // event.create(CreateEventRequest(traceId, name, startTime, metadata, input, output))
    const eventStart = seedTime(base);
    const event = await post('POST', 'events', {
      traceId: trace.id,
      name: 'chat-docs-retrieval',
      startTime: eventStart,
      metadata: { key: 'value' },
      input: { key: 'value' },
      output: { key: 'value' },
    });

    // span.create(CreateSpanRequest(..., parentObservationId=event.id))
    const retrievalStartTime = seedTime(base + 1000);
    const span = await post('POST', 'spans', {
      traceId: trace.id,
      name: 'chat-completion',
      startTime: retrievalStartTime,
      endTime: seedTime(base + 2000),
      metadata: { key: 'value' },
      input: { key: 'value' },
      output: { key: 'value' },
      parentObservationId: event.id,
    });

    // span.update(spanId, endTime, metadata) — metadata merges with the existing metadata
    const spanEnd = seedTime(base + 5000);
    await post('PATCH', 'spans', { spanId: span.id, endTime: spanEnd, metadata: { updated: 'yes' } });

    // generations.log(CreateLog(...))
    const generationStartTime = seedTime(base + 6000);
    const generationEnd = seedTime(base + 8000);
    const generation = await post('POST', 'generations', {
      traceId: trace.id,
      name: 'test',
      startTime: generationStartTime,
      endTime: generationEnd,
      model: 'gpt-3.5-turbo',
      modelParameters: { temperature: 0.9, maxTokens: 1000, topP: null },
      prompt: [{ role: 'user', content: 'Hello, how are you?' }],
      completion: 'I am fine, thank you',
      usage: { promptTokens: 512, completionTokens: 49 },
      metadata: { userid: USER },
    });

    // score.create(CreateScoreRequest(traceId, name, value=1, observationId=generation.id))
    const score = await post('POST', 'scores', { traceId: trace.id, name: 'user-explicit-feedback', value: 1, observationId: generation.id });

    const read = await getOk(t, `${API}/traces/${enc(trace.id)}`);
    expect(read).toMatchObject({ id: trace.id, name: 'chat-completion', metadata: { env: 'production', user: USER } });
    expect(read.observations).toHaveLength(3);
    const byId = Object.fromEntries(read.observations.map((o: { id: string }) => [o.id, o]));

    expect(byId[event.id]).toMatchObject({
      id: event.id,
      traceId: trace.id,
      type: 'EVENT',
      name: 'chat-docs-retrieval',
      parentObservationId: null,
      startTime: new Date(eventStart).toISOString(),
      metadata: { key: 'value' },
      input: { key: 'value' },
      output: { key: 'value' },
    });
    expect(byId[span.id]).toMatchObject({
      id: span.id,
      traceId: trace.id,
      type: 'SPAN',
      name: 'chat-completion',
      parentObservationId: event.id,
      startTime: new Date(retrievalStartTime).toISOString(),
      endTime: new Date(spanEnd).toISOString(),
      metadata: { key: 'value', updated: 'yes' },
      input: { key: 'value' },
      output: { key: 'value' },
    });
    expect(byId[generation.id]).toMatchObject({
      id: generation.id,
      traceId: trace.id,
      type: 'GENERATION',
      name: 'test',
      parentObservationId: null,
      startTime: new Date(generationStartTime).toISOString(),
      endTime: new Date(generationEnd).toISOString(),
      model: 'gpt-3.5-turbo',
      modelParameters: { temperature: 0.9, maxTokens: 1000, topP: null },
      input: [{ role: 'user', content: 'Hello, how are you?' }],
      output: 'I am fine, thank you',
      metadata: { userid: USER },
      usageDetails: { input: 512, output: 49, total: 561 },
      usage: { input: 512, output: 49, total: 561 },
      promptTokens: 512,
      completionTokens: 49,
      totalTokens: 561,
    });

    expect(read.scores).toHaveLength(1);
    expect(read.scores[0]).toMatchObject({
      id: score.id,
      traceId: trace.id,
      observationId: generation.id,
      name: 'user-explicit-feedback',
      value: 1,
      dataType: 'NUMERIC',
    });

    // The same entities through their own routes.
    expect(await getOk(t, `${API}/observations/${enc(generation.id)}`)).toMatchObject({ usageDetails: { input: 512, output: 49, total: 561 } });
    expect(await getOk(t, `${API}/scores/${enc(score.id)}`)).toMatchObject({ value: 1, observationId: generation.id });
  });

  it('an event posted without a traceId is attached to a new trace that can be read', async () => {
    const t = app();
    const res = await t.json('POST', `${API}/events`, {
      body: { name: 'orphan-event', startTime: seedTime(Date.now()), input: { key: 'value' } },
    });
    expect(res.status).toBe(200);
    expect(typeof res.body.id).toBe('string');
    expect(typeof res.body.traceId).toBe('string');
    expect(res.body.traceId.length).toBeGreaterThan(0);
    const trace = await getOk(t, `${API}/traces/${enc(res.body.traceId)}`);
    expect(trace.observations.map((o: { id: string }) => o.id)).toEqual([res.body.id]);
    expect(trace.observations[0]).toMatchObject({ name: 'orphan-event', type: 'EVENT', input: { key: 'value' } });
  });
});
