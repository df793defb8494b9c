import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { otlpExport, otlpSpan } from './otlp-builder.js';
import { encodeTraceRequest } from './otlp-proto.js';

const PATH = '/api/public/otel/v1/traces';
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp('sqlite');
});
afterAll(async () => {
  await t.close();
});

/** POSTs raw bytes or text with the given headers (project A's key unless `auth` is given). */
async function post(body: string | Uint8Array, headers: Record<string, string>, auth: string | null = t.a.auth) {
  const res = await t.app.request(PATH, { method: 'POST', headers: { ...headers, ...(auth ? { authorization: auth } : {}) }, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
const postJson = (payload: unknown, headers: Record<string, string> = {}) => post(JSON.stringify(payload), { 'content-type': 'application/json', ...headers });
const getTrace = (id: string) => t.json('GET', `/api/public/traces/${id}`);
const hex = (n: number) => randomBytes(n).toString('hex');
/** A rejected export: the one error body, whose `error` holds the text as Langfuse's OTel route answers it. */
const rejected = (text: string) => ({ status: 400, body: { message: text, code: 'invalid_request', error: text } });

describe('POST /api/public/otel/v1/traces', () => {
  it('§9 #22: JSON with byte-array ids stores trace = hex traceId and observation = hex spanId named after the span; empty resourceSpans → 200', async () => {
    const traceId = randomBytes(16);
    const spanId = randomBytes(8);
    const start = { low: 466848096, high: 406528574, unsigned: true };
    const span = { ...otlpSpan({ traceId, spanId, name: 'my-generation' }), startTimeUnixNano: start, endTimeUnixNano: { ...start, low: 467248096 } };
    const res = await postJson(JSON.parse(JSON.stringify(otlpExport([span], { scope: { name: 'langfuse-sdk', version: '2.60.3' } }))));
    expect(res).toEqual({ status: 200, body: {} });
    const trace = await getTrace(traceId.toString('hex'));
    expect(trace.status).toBe(200);
    expect(trace.body.id).toBe(traceId.toString('hex'));
    expect(trace.body.observations).toHaveLength(1);
    expect(trace.body.observations[0]).toMatchObject({ id: spanId.toString('hex'), name: 'my-generation', traceId: traceId.toString('hex') });
    // {high, low} nanoseconds → 406528574 * 2^32 + 466848096 ns
    const ms = Number((406528574n * 2n ** 32n + 466848096n) / 1_000_000n);
    expect(trace.body.observations[0].startTime).toBe(new Date(ms).toISOString());

    expect(await postJson({})).toEqual({ status: 200, body: {} });
    expect(await postJson({ resourceSpans: [] })).toEqual({ status: 200, body: {} });
  });

  it('§9 #23: ingestion version "5", id-less spans, object-shaped attributes and a logs payload are rejected whole with a descriptive 400; deployment.environment is lowercased', async () => {
    const good = otlpExport([otlpSpan({ traceId: hex(16), spanId: hex(8) })]);
    const v5 = await postJson(good, { 'x-langfuse-ingestion-version': '5' });
    expect(v5.status).toBe(400);
    expect(v5.body.error).toContain('Unsupported x-langfuse-ingestion-version');
    expect((await postJson(good, { 'x-langfuse-ingestion-version': 'abc' })).status).toBe(400);
    expect((await postJson(good, { 'x-langfuse-ingestion-version': '4' })).status).toBe(200);

    const traceId = hex(16);
    const idless = otlpExport([otlpSpan({ traceId, spanId: hex(8) }), { name: 'no ids', traceState: 'INFO' }]);
    const noIds = await postJson(idless);
    expect(noIds.status).toBe(400);
    expect(noIds.body.error).toMatch(/^Invalid OTLP trace export: 1 of 2 span\(s\) cannot be processed/);
    expect(noIds.body.error).toContain('traceId is absent');
    expect((await getTrace(traceId)).status).toBe(404);

    const objectAttrs = otlpExport([{ ...otlpSpan({ traceId: hex(16), spanId: hex(8) }), attributes: { 'user.id': 'u' } }]);
    const objRes = await postJson(objectAttrs);
    expect(objRes.status).toBe(400);
    expect(objRes.body.error).toContain('attributes must be a list of {key, value} pairs');

    const logs = await postJson({ resourceLogs: [{ resource: {}, scopeLogs: [{ logRecords: [{ severityText: 'INFO' }] }] }] });
    expect(logs.status).toBe(400);
    expect(logs.body.error).toContain('logs payload');

    const wrongLength = await postJson(otlpExport([otlpSpan({ traceId: { type: 'Buffer', data: [107] }, spanId: hex(8) })]));
    expect(wrongLength.status).toBe(400);
    expect(wrongLength.body.error).toContain('traceId must be 32 hex characters');

    const notArrays = await postJson({ resourceSpans: [{ scopeSpans: { spans: [] } }] });
    expect(notArrays).toMatchObject({ status: 400, body: { error: expect.stringContaining('scopeSpans must be an array') } });

    const envTrace = hex(16);
    const env = otlpExport([otlpSpan({ traceId: envTrace, spanId: hex(8) })], { resource: { 'deployment.environment': 'Production' } });
    expect((await postJson(env)).status).toBe(200);
    const read = await getTrace(envTrace);
    expect(read.body.environment).toBe('production');
    expect(read.body.observations[0].environment).toBe('production');
  });

  it('§9 #24: gen_ai.* / llm.* attributes map to usage, cost, input, tags, session and type, read back through the API', async () => {
    const traceId = hex(16);
    const rootId = hex(8);
    const payload = otlpExport([
      otlpSpan({
        traceId,
        spanId: rootId,
        name: 'agent',
        attributes: { 'gen_ai.operation.name': 'invoke_agent', 'langfuse.trace.tags': 'a,b', 'gen_ai.conversation.id': 'conv', 'langfuse.session.id': 'sess' },
      }),
      otlpSpan({
        traceId,
        spanId: hex(8),
        parentSpanId: rootId,
        name: 'chat',
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': 100,
          'gen_ai.usage.output_tokens': 20,
          'gen_ai.usage.cache_read_input_tokens': 40,
          'gen_ai.usage.cost': 0.01,
          'gen_ai.prompt.0.role': 'user',
          'gen_ai.prompt.0.content': 'hello',
        },
      }),
      otlpSpan({ traceId, spanId: hex(8), parentSpanId: rootId, name: 'lookup', attributes: { 'llm.token_count.prompt': 5, 'llm.token_count.completion': 2, 'openinference.span.kind': 'RETRIEVER' } }),
    ]);
    expect(await postJson(payload)).toEqual({ status: 200, body: {} });
    const { body: trace } = await getTrace(traceId);
    expect(trace).toMatchObject({ name: 'agent', sessionId: 'sess', tags: ['a', 'b'] });
    const byName = Object.fromEntries((trace.observations as { name: string }[]).map((o) => [o.name, o])) as Record<string, Record<string, unknown>>;
    expect(byName.agent.type).toBe('AGENT');
    expect(byName.chat).toMatchObject({
      type: 'GENERATION',
      model: 'gpt-4o',
      usageDetails: { input: 60, output: 20, input_cached_tokens: 40, total: 120 },
      costDetails: { total: 0.01 },
      input: [{ role: 'user', content: 'hello' }],
      parentObservationId: rootId,
    });
    expect(byName.lookup).toMatchObject({ type: 'RETRIEVER', usageDetails: { input: 5, output: 2 } });
  });

  it('decodes protobuf, gzip-compressed JSON and gzip-compressed protobuf bodies', async () => {
    for (const [contentType, encode] of [
      ['application/x-protobuf', (p: object) => encodeTraceRequest(p)],
      ['application/json; charset=utf-8', (p: object) => gzipSync(JSON.stringify(p))],
      ['application/x-protobuf', (p: object) => gzipSync(encodeTraceRequest(p))],
    ] as const) {
      const traceId = hex(16);
      const spanId = hex(8);
      const payload = otlpExport([otlpSpan({ traceId: Buffer.from(traceId, 'hex'), spanId: Buffer.from(spanId, 'hex'), name: 'root', attributes: { 'langfuse.observation.input': '{"a":1}' } })]);
      const body = encode(payload);
      const headers: Record<string, string> = { 'content-type': contentType };
      if (body[0] === 0x1f && body[1] === 0x8b) headers['content-encoding'] = 'gzip';
      expect(await post(body, headers)).toEqual({ status: 200, body: {} });
      const { body: trace } = await getTrace(traceId);
      expect(trace.observations[0]).toMatchObject({ id: spanId, name: 'root', input: { a: 1 } });
    }
  });

  it('answers 400 for an unknown content type and for undecodable bodies, with Langfuse\'s text in `error`', async () => {
    expect(await post('{}', { 'content-type': 'text/plain' })).toEqual(rejected('Invalid content type'));
    expect(await post('{}', {})).toEqual(rejected('Invalid content type'));
    expect(await post('{not json', { 'content-type': 'application/json' })).toEqual(rejected('Failed to parse OTel JSON Trace'));
    expect(await post(Uint8Array.from([0x0a, 0xff, 0xff, 0xff]), { 'content-type': 'application/x-protobuf' })).toEqual(rejected('Failed to parse OTel Protobuf Trace'));
    expect(await post('plain', { 'content-type': 'application/json', 'content-encoding': 'gzip' })).toEqual(rejected('Failed to decompress request body'));
  });

  it('refuses a body that decompresses beyond 16 MB with 413', async () => {
    const bomb = gzipSync(Buffer.alloc(17 * 1024 * 1024, 0x20));
    const res = await post(bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(res.body.error).toContain('16 MB');
  });

  it('rejects attribute values nested beyond 64 levels with a 400, and keeps absurdly deep JSON text as a string', async () => {
    const nested = (n: number) => '{"arrayValue":{"values":['.repeat(n) + '{"stringValue":"x"}' + ']}}'.repeat(n);
    const withAttribute = (traceId: string, value: string) =>
      JSON.stringify(otlpExport([otlpSpan({ traceId, spanId: hex(8), attributes: { k: 'v' } })])).replace('{"key":"k","value":{"stringValue":"v"}}', `{"key":"deep","value":${value}}`);
    const ok = await post(withAttribute(hex(16), nested(10)), { 'content-type': 'application/json' });
    expect(ok.status).toBe(200);
    const deep = await post(withAttribute(hex(16), nested(10_000)), { 'content-type': 'application/json' });
    expect(deep).toEqual(rejected('Invalid OTLP trace export: attribute values must not nest deeper than 64 levels'));

    const traceId = hex(16);
    const text = '['.repeat(100_000) + ']'.repeat(100_000);
    expect((await postJson(otlpExport([otlpSpan({ traceId, spanId: hex(8), attributes: { 'input.value': text } })]))).status).toBe(200);
    const { body: trace } = await getTrace(traceId);
    expect(trace.observations[0].input).toBe(text);
  });

  it('needs full access: no key is 401, a Bearer public key is 403', async () => {
    const payload = otlpExport([otlpSpan({ traceId: hex(16), spanId: hex(8) })]);
    expect((await post(JSON.stringify(payload), { 'content-type': 'application/json' }, null)).status).toBe(401);
    expect((await post(JSON.stringify(payload), { 'content-type': 'application/json' }, `Bearer ${t.a.publicKey}`)).status).toBe(403);
  });

  it('is idempotent: a retried export leaves the same trace', async () => {
    const traceId = hex(16);
    const payload = otlpExport([otlpSpan({ traceId, spanId: hex(8), name: 'once', attributes: { 'langfuse.trace.tags': ['x'] } })]);
    await postJson(payload);
    const first = await getTrace(traceId);
    await postJson(payload);
    const second = await getTrace(traceId);
    expect(second.body.observations).toHaveLength(1);
    expect(second.body).toMatchObject({ name: first.body.name, tags: ['x'], timestamp: first.body.timestamp });
  });

  it('reports events the batch rules reject as an OTLP partial success and stores the rest', async () => {
    const traceId = hex(16);
    const rootId = hex(8);
    const farFuture = { ...otlpSpan({ traceId, spanId: hex(8), parentSpanId: rootId, name: 'bad' }), startTimeUnixNano: '300000000000000000000' };
    const res = await postJson(otlpExport([otlpSpan({ traceId, spanId: rootId, name: 'ok' }), farFuture]));
    expect(res.status).toBe(200);
    expect(res.body.partialSuccess.rejectedSpans).toBe(1);
    expect(res.body.partialSuccess.errorMessage).toContain('timestamp');
    const { body: trace } = await getTrace(traceId);
    expect(trace.observations.map((o: { name: string }) => o.name)).toEqual(['ok']);
  });

  it('applies the batch value ranges to span attributes: an overflowing cost or a fractional token count rejects that span', async () => {
    const traceId = hex(16);
    const rootId = hex(8);
    const span = (name: string, attributes: Record<string, unknown>) => otlpSpan({ traceId, spanId: hex(8), parentSpanId: rootId, name, attributes });
    const res = await postJson(
      otlpExport([
        otlpSpan({ traceId, spanId: rootId, name: 'ok' }),
        span('costly', { 'langfuse.observation.type': 'generation', 'langfuse.observation.cost_details': '{"total":1e308}' }),
        span('fractional', { 'langfuse.observation.type': 'generation', 'gen_ai.usage.input_tokens': 1.5 }),
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.body.partialSuccess.rejectedSpans).toBe(2);
    expect(res.body.partialSuccess.errorMessage).toContain('costDetails.total');
    expect(res.body.partialSuccess.errorMessage).toContain('usageDetails.input');
    const { body: trace } = await getTrace(traceId);
    expect(trace.observations.map((o: { name: string }) => o.name)).toEqual(['ok']);
  });
});

describe('POST /api/public/otel/v1/metrics', () => {
  it('accepts and discards, authenticated', async () => {
    const res = await t.app.request('/api/public/otel/v1/metrics', { method: 'POST', headers: { authorization: t.a.auth, 'content-type': 'application/x-protobuf' }, body: 'x' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: 'OK' });
    expect((await t.app.request('/api/public/otel/v1/metrics', { method: 'POST', body: 'x' })).status).toBe(401);
  });
});
