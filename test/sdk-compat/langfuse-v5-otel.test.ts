// The current OpenTelemetry-based Langfuse JS SDK (@langfuse/tracing + @langfuse/otel v5, and
// @langfuse/client for scores) against a live server: first with its default OTLP/JSON exporter,
// then with the OTLP protobuf exporter and gzip. Everything is read back through the public API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byName, PUBLIC_KEY, SECRET_KEY, useLiveServer } from './live-server.js';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.js';
import { runApp } from './run-app.js';

type Row = { name: string; [k: string]: unknown };
type AppIds = { traceId: string; rootId: string; generationId: string };

describe('@langfuse/tracing + @langfuse/otel v5', () => {
  const server = useLiveServer();
  let proxy: RecordingProxy;
  beforeAll(async () => {
    proxy = await startRecordingProxy(server().url);
  });
  afterAll(async () => {
    await proxy.close();
  });
  const keys = { PUBLIC_KEY, SECRET_KEY };

  it('exports over OTLP/JSON; the trace tree, I/O, model, usage, cost, user, session, tags and metadata read back; @langfuse/client scores attach', async () => {
    const { get, url } = server();
    const started = Date.now();
    const ids = await runApp<AppIds>('langfuse-v5-tracing.mjs', { ...keys, BASE_URL: proxy.url, EXPORTER: 'json' });
    const exports = proxy.requests.filter((r) => r.path === '/api/public/otel/v1/traces');
    expect(exports.length).toBeGreaterThan(0);
    for (const r of exports) expect(r.headers['content-type']).toContain('application/json');

    const t = await get(`traces/${ids.traceId}`);
    expect(t).toMatchObject({
      id: ids.traceId,
      name: 'chat-request',
      userId: 'user-1',
      sessionId: 'sess-1',
      version: 'v1',
      release: 'r1',
      environment: 'staging',
      tags: ['t1'],
      metadata: { env: 'test' },
      input: { q: 'hi' },
      output: { a: 'hello' },
    });
    expect(Date.parse(t.timestamp as string)).toBeGreaterThanOrEqual(started - 1000);
    expect(Date.parse(t.timestamp as string)).toBeLessThanOrEqual(Date.now());
    const obs = byName(t.observations as Row[]);
    expect(Object.keys(obs).sort()).toEqual(['cache-miss', 'chat-request', 'llm-call', 'lookup-tool', 'retrieve']);
    expect(obs['chat-request']).toMatchObject({ id: ids.rootId, type: 'SPAN', parentObservationId: null, environment: 'staging', input: { q: 'hi' }, output: { a: 'hello' } });
    expect(obs['chat-request'].startTime).toBe(t.timestamp);
    expect(obs.retrieve).toMatchObject({ type: 'RETRIEVER', parentObservationId: ids.rootId, input: { query: 'hi' }, output: { docs: ['a', 'b'] } });
    expect(obs['cache-miss']).toMatchObject({ type: 'EVENT', parentObservationId: ids.rootId, level: 'WARNING', statusMessage: 'cold', input: { k: 1 } });
    expect(obs['lookup-tool']).toMatchObject({ type: 'TOOL', input: { id: 7 }, output: { found: true } });
    const gen = obs['llm-call'];
    expect(gen).toMatchObject({
      id: ids.generationId,
      type: 'GENERATION',
      parentObservationId: ids.rootId,
      model: 'gpt-4o',
      modelParameters: { temperature: 0.7 },
      input: [{ role: 'user', content: 'hi' }],
      output: { role: 'assistant', content: 'hello' },
      usageDetails: { input: 10, output: 5, total: 15 },
      costDetails: { input: 0.0001, output: 0.0002 },
      level: 'DEFAULT',
      version: 'v1',
    });
    expect(gen.metadata).toMatchObject({ attempt: 1, scope: { name: 'langfuse-sdk', version: '5.11.1' } });
    // completionStartTime comes from the app's Date.now(), span times from OpenTelemetry's
    // high-resolution clock; the two may disagree by a millisecond or two.
    const slack = 5;
    expect(Date.parse(gen.startTime as string)).toBeLessThanOrEqual(Date.parse(gen.completionStartTime as string) + slack);
    expect(Date.parse(gen.completionStartTime as string)).toBeLessThanOrEqual(Date.parse(gen.endTime as string) + slack);
    expect(gen.latency as number).toBeGreaterThan(0);

    const read = await runApp<{ id: string; name: string; observations: number; scores: string[] }>('langfuse-client-scores.mjs', {
      ...keys,
      BASE_URL: url,
      TRACE_ID: ids.traceId,
      OBSERVATION_ID: ids.generationId,
    });
    expect(read).toEqual({ id: ids.traceId, name: 'chat-request', observations: 5, scores: ['cat', 'quality'] });
    const scores = byName((await get(`traces/${ids.traceId}`)).scores as Row[]);
    expect(scores.quality).toMatchObject({ value: 0.9, comment: 'good', dataType: 'NUMERIC', observationId: null });
    expect(scores.cat).toMatchObject({ stringValue: 'good', dataType: 'CATEGORICAL', observationId: ids.generationId });
    const session = await get('sessions/sess-1');
    expect((session.traces as { id: string }[]).map((x) => x.id)).toContain(ids.traceId);
  });

  it('exports through @opentelemetry/exporter-trace-otlp-proto with gzip', async () => {
    const { get } = server();
    const before = proxy.requests.length;
    const ids = await runApp<AppIds>('langfuse-v5-tracing.mjs', { ...keys, BASE_URL: proxy.url, EXPORTER: 'proto-gzip' });
    const sent = proxy.requests.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    for (const r of sent) {
      expect(r.headers['content-type']).toBe('application/x-protobuf');
      expect(r.headers['content-encoding']).toBe('gzip');
    }

    const t = await get(`traces/${ids.traceId}`);
    expect(t).toMatchObject({ name: 'chat-request', userId: 'user-1', sessionId: 'sess-1', tags: ['t1'], input: { q: 'hi' }, output: { a: 'hello' }, environment: 'default' });
    const obs = byName(t.observations as Row[]);
    expect(obs['llm-call']).toMatchObject({
      id: ids.generationId,
      type: 'GENERATION',
      parentObservationId: ids.rootId,
      model: 'gpt-4o',
      usageDetails: { input: 10, output: 5, total: 15 },
      input: [{ role: 'user', content: 'hi' }],
      output: { role: 'assistant', content: 'hello' },
    });
    expect(obs.retrieve).toMatchObject({ type: 'RETRIEVER', parentObservationId: ids.rootId, output: { docs: ['a', 'b'] } });
    expect(obs['cache-miss']).toMatchObject({ type: 'EVENT', level: 'WARNING' });
  });
});
