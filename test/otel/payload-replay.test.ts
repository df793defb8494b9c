// Replays the requests captured from the official Langfuse JS SDKs (shared/payloads, beside the
// repository root) and reads the result back through the public GET API.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API, ENGINES, getOk, useTestApp, type TestApp } from '../compat/helpers.js';

const payload = (name: string) => readFileSync(new URL(`../contract/payloads/${name}`, import.meta.url));

const V5_TRACE = 'a96a09de1c9f2a75afa4763481b3c265';
const V5_PROTO_TRACE = '8e9472179040e03afea251c04df8a646';
const V3_TRACE = '92e45cf7-2fe7-4453-9c1e-d9b07737feda';

async function postRaw(t: TestApp, path: string, body: Uint8Array | string, contentType: string) {
  const res = await t.app.request(`${API}/${path}`, { method: 'POST', headers: { authorization: t.a.auth, 'content-type': contentType }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

type Obs = Record<string, unknown> & { name: string };
const byName = (observations: Obs[]) => Object.fromEntries(observations.map((o) => [o.name, o]));

describe.each(ENGINES)('captured SDK payloads (%s)', (engine) => {
  const app = useTestApp(engine);

  it('langfuse-js v5.11.1 OTLP/JSON export: trace, nesting, I/O, model, usage, cost, user, session, tags, metadata', async () => {
    const t = app();
    const res = await postRaw(t, 'otel/v1/traces', payload('langfuse-js-v5.11.1_otel_v1_traces.json'), 'application/json');
    expect(res).toEqual({ status: 200, body: {} });

    const trace = await getOk(t, `traces/${V5_TRACE}`);
    expect(trace).toMatchObject({
      id: V5_TRACE,
      name: 'chat-request',
      timestamp: '2026-11-23T20:59:58.982Z',
      userId: 'user-1',
      sessionId: 'sess-1',
      tags: ['t1'],
      version: 'v1',
      metadata: { env: 'test' },
      input: { q: 'hi' },
      output: { a: 'hello' },
      environment: 'default',
    });
    expect(trace.observations).toHaveLength(4);
    const obs = byName(trace.observations as Obs[]);
    const rootId = 'c94465cc8f7dcb4a';
    expect(obs['chat-request']).toMatchObject({ id: rootId, type: 'SPAN', parentObservationId: null, input: { q: 'hi' }, output: { a: 'hello' } });
    expect(obs['chat-request'].endTime).toBe('2026-11-23T20:59:58.987Z');
    expect(obs.retrieve).toMatchObject({ type: 'SPAN', parentObservationId: rootId, input: { query: 'hi' }, output: { docs: ['a', 'b'] } });
    expect(obs['cache-miss']).toMatchObject({ type: 'EVENT', parentObservationId: rootId, input: { k: 1 } });
    expect(obs['llm-call']).toMatchObject({
      id: 'fcb5c2f0cf8c4076',
      type: 'GENERATION',
      parentObservationId: rootId,
      model: 'gpt-4o',
      modelParameters: { temperature: 0.7 },
      input: [{ role: 'user', content: 'hi' }],
      output: { role: 'assistant', content: 'hello' },
      usageDetails: { input: 10, output: 5, total: 15 },
      costDetails: { input: 0.0001, output: 0.0002 },
      version: 'v1',
      level: 'DEFAULT',
    });
    expect((obs['llm-call'].costDetails as { total: number }).total).toBeCloseTo(0.0003, 10);
    expect(obs['llm-call'].metadata).toMatchObject({
      resourceAttributes: { 'service.name': 'unknown_service:node', 'process.pid': 20451 },
      scope: { name: 'langfuse-sdk', version: '5.11.1' },
    });
  });

  it('langfuse-js v5.11.1 client scores (batch ingestion) attach to the OTLP trace and its generation', async () => {
    const t = app();
    const res = await postRaw(t, 'ingestion', payload('langfuse-js-v5.11.1_client_score_ingestion.json'), 'application/json');
    expect(res.status).toBe(207);
    expect(res.body.errors).toEqual([]);
    const trace = await getOk(t, `traces/${V5_TRACE}`);
    const scores = Object.fromEntries((trace.scores as Obs[]).map((s) => [s.name, s]));
    expect(scores.quality).toMatchObject({ value: 0.9, comment: 'good', dataType: 'NUMERIC', traceId: V5_TRACE });
    expect(scores.cat).toMatchObject({ stringValue: 'good', dataType: 'CATEGORICAL', observationId: 'fcb5c2f0cf8c4076' });
  });

  it('langfuse-js v5.11.1 through @opentelemetry/exporter-trace-otlp-proto: protobuf ids, times and attributes', async () => {
    const t = app();
    const res = await postRaw(t, 'otel/v1/traces', payload('langfuse-js-v5.11.1_otel_v1_traces_via-otlp-proto-exporter.pb'), 'application/x-protobuf');
    expect(res).toEqual({ status: 200, body: {} });
    const trace = await getOk(t, `traces/${V5_PROTO_TRACE}`);
    expect(trace).toMatchObject({ name: 'chat-request', timestamp: '2026-11-23T21:00:52.044Z', input: { q: 'hi' } });
    const obs = byName(trace.observations as Obs[]);
    expect(obs['chat-request']).toMatchObject({ id: '86e8ac4003c81fc6', type: 'SPAN', endTime: '2026-11-23T21:00:52.047Z' });
    expect(obs['llm-call']).toMatchObject({
      id: 'fda8189ded6c00ba',
      type: 'GENERATION',
      parentObservationId: '86e8ac4003c81fc6',
      model: 'gpt-4o',
      input: [{ role: 'user', content: 'hi' }],
      output: 'hello',
      usageDetails: { input: 10, output: 5, total: 15 },
    });
  });

  it('langfuse-js v3.39.2 batch (scores before their trace, updates mixed with creates) reads back merged', async () => {
    const t = app();
    const res = await postRaw(t, 'ingestion', payload('langfuse-js-v3.39.2_ingestion_batch.json'), 'application/json');
    expect(res.status).toBe(207);
    expect(res.body.errors).toEqual([]);
    expect(res.body.successes).toHaveLength(9);
    const trace = await getOk(t, `traces/${V3_TRACE}`);
    expect(trace).toMatchObject({
      name: 'chat-request',
      timestamp: '2026-11-23T20:58:51.503Z',
      userId: 'user-1',
      sessionId: 'sess-1',
      release: 'r1',
      version: 'v1',
      tags: ['t1'],
      metadata: { env: 'test' },
      input: { q: 'hi' },
      output: { a: 'hello' },
    });
    const obs = byName(trace.observations as Obs[]);
    const spanId = '19163f75-5904-49de-9687-46f04e17615d';
    expect(obs.retrieve).toMatchObject({ id: spanId, type: 'SPAN', input: { query: 'hi' }, output: { docs: ['a', 'b'] }, endTime: '2026-11-23T20:58:51.504Z' });
    expect(obs['cache-miss']).toMatchObject({ type: 'EVENT', parentObservationId: spanId, input: { k: 1 } });
    expect(obs['llm-call']).toMatchObject({
      type: 'GENERATION',
      model: 'gpt-4o',
      modelParameters: { temperature: 0.7 },
      input: [{ role: 'user', content: 'hi' }],
      output: { role: 'assistant', content: 'hello' },
      usageDetails: { input: 10, output: 5, total: 15 },
      startTime: '2026-11-23T20:58:51.513Z',
      endTime: '2026-11-23T20:58:51.513Z',
    });
    expect((obs['llm-call'].costDetails as { input: number }).input).toBe(0.0001);
    const scores = Object.fromEntries((trace.scores as Obs[]).map((s) => [s.name, s]));
    expect(scores.quality).toMatchObject({ value: 0.9, comment: 'good' });
    expect(scores.cat).toMatchObject({ stringValue: 'good', observationId: '5d0a5f4e-b649-47e2-883c-01d64efb63b5' });
  });
});
