// Client-chosen keys named `__proto__`, `constructor` or `prototype` through every ingestion path
// (batch events, the seed SDK's REST routes, OTLP/JSON and OTLP/protobuf attributes) and through
// query parameters: they are stored as ordinary data keys (or refused with a 4xx), shared process
// state (`Object.prototype`) never changes, and a later, unrelated project's data is untouched.
// Also the nesting bound on objects rebuilt from dotted OTLP attribute names (issue 11, points 1 and 5).
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otlpExport } from '../../packages/server/src/otel/otlp-builder.js';
import { encodeTraceRequest } from '../../packages/server/src/otel/otlp-proto.js';
import { createTestApp, type Engine, type TestApp } from '../../packages/server/src/testing/test-app.js';

const ENGINES: Engine[] = ['sqlite', 'postgres'];
const OTLP = '/api/public/otel/v1/traces';
const hex = (n: number) => randomBytes(n).toString('hex');

/** Properties every plain object would inherit if one were written onto Object.prototype. */
const PROBES = ['tags', 'userId', 'polluted', 'p', 'x', 'role', 'second', 'injected', 'langfuse.user.id'];
const prototypeState = () => ({
  names: Object.getOwnPropertyNames(Object.prototype).sort(),
  inherited: PROBES.map((k) => (({}) as Record<string, unknown>)[k]),
});

/** A plain OTLP span whose attributes are given as raw `[key, AnyValue]` pairs (keys are never object-literal keys here). */
function span(traceId: string, attributes: [string, unknown][], ids: 'hex' | 'bytes' = 'hex') {
  const start = Date.parse('2024-05-01T10:00:00.000Z');
  const id = (h: string) => (ids === 'hex' ? h : Buffer.from(h, 'hex'));
  return {
    traceId: id(traceId),
    spanId: id(hex(8)),
    name: 'hostile',
    kind: 1,
    startTimeUnixNano: `${BigInt(start) * 1_000_000n}`,
    endTimeUnixNano: `${BigInt(start + 5) * 1_000_000n}`,
    attributes: attributes.map(([key, value]) => ({ key, value })),
    status: {},
  };
}

const str = (s: string) => ({ stringValue: s });
const strings = (...s: string[]) => ({ arrayValue: { values: s.map(str) } });

/** Attributes that spell prototype paths in every way the OTLP mapping reads them. */
const HOSTILE_ATTRIBUTES: [string, unknown][] = [
  ['gen_ai.prompt.__proto__.tags', strings('injected')],
  ['gen_ai.prompt.__proto__.userId', str('victim')],
  ['gen_ai.completion.constructor.prototype.polluted', str('yes')],
  ['langfuse.trace.metadata.__proto__', str('{"x":1}')],
  ['langfuse.observation.metadata.constructor', str('c')],
  ['__proto__', { kvlistValue: { values: [{ key: 'langfuse.user.id', value: str('b-user') }, { key: 'polluted', value: str('yes') }] } }],
];

/** Depth of nested arrays/objects in a JSON value (iterative, so any depth can be measured). */
function depth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    max = Math.max(max, d + 1);
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

describe.each(ENGINES)('client-chosen keys and nesting (%s)', (engine) => {
  let t: TestApp;
  const before = prototypeState();

  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => {
    expect(prototypeState()).toEqual(before);
    await t.close();
  });

  /** Sends a JSON text body exactly as written (so `__proto__` arrives as a key, not as an object-literal prototype). */
  const send = (method: string, path: string, json: string, auth = t.b.auth) =>
    t.request(method, path, { body: json, auth });
  const read = async (path: string, auth = t.b.auth) => {
    const res = await t.request('GET', path, { auth });
    expect(res.status, path).toBe(200);
    return JSON.parse(await res.text());
  };

  it('batch ingestion stores __proto__/constructor keys as data, deep merges included, and pollutes nothing', async () => {
    const traceId = `tr-${randomUUID()}`;
    const genId = `gen-${randomUUID()}`;
    const ts = (ms: number) => new Date(Date.parse('2024-05-01T10:00:00.000Z') + ms).toISOString();
    const batch = `{"batch":[
      {"id":"${randomUUID()}","type":"trace-create","timestamp":"${ts(0)}","body":{"id":"${traceId}","name":"t",
        "metadata":{"__proto__":{"polluted":true},"constructor":{"prototype":{"p":1}},"plain":1}}},
      {"id":"${randomUUID()}","type":"trace-create","timestamp":"${ts(1)}","body":{"id":"${traceId}",
        "metadata":{"__proto__":{"second":1}}}},
      {"id":"${randomUUID()}","type":"generation-create","timestamp":"${ts(2)}","body":{"id":"${genId}","traceId":"${traceId}",
        "model":"gpt-4o","modelParameters":{"__proto__":{"x":1},"temperature":0.5},
        "usageDetails":{"__proto__":3,"input":10,"output":5},"costDetails":{"constructor":0.5},
        "metadata":{"__proto__":{"role":"admin"}}}},
      {"id":"${randomUUID()}","type":"score-create","timestamp":"${ts(3)}","body":{"id":"sc-${randomUUID()}","traceId":"${traceId}",
        "name":"q","value":1,"metadata":{"__proto__":{"injected":true}}}}
    ]}`;
    const res = await send('POST', '/api/public/ingestion', batch);
    expect(res.status).toBe(207);
    const body = (await res.json()) as { errors: unknown[]; successes: unknown[] };
    expect(body.errors).toEqual([]);
    expect(body.successes).toHaveLength(4);

    const trace = await read(`/api/public/traces/${traceId}`);
    expect(Object.hasOwn(trace.metadata, '__proto__')).toBe(true);
    expect(trace.metadata.__proto__).toEqual({ polluted: true, second: 1 });
    expect(trace.metadata.constructor).toEqual({ prototype: { p: 1 } });
    expect(trace.metadata.plain).toBe(1);

    const gen = trace.observations.find((o: { id: string }) => o.id === genId);
    expect(Object.hasOwn(gen.modelParameters, '__proto__')).toBe(true);
    expect(gen.modelParameters.__proto__).toEqual({ x: 1 });
    expect(gen.metadata.__proto__).toEqual({ role: 'admin' });
    expect(Object.hasOwn(gen.usageDetails, '__proto__')).toBe(true);
    expect(gen.usageDetails).toMatchObject({ input: 10, output: 5 });
    expect(Object.hasOwn(gen.costDetails, 'constructor')).toBe(true);

    expect(trace.scores[0].metadata.__proto__).toEqual({ injected: true });
    expect(prototypeState()).toEqual(before);
  });

  it("the seed SDK's REST routes keep __proto__ metadata keys, on create and on update", async () => {
    const traceId = `tr-${randomUUID()}`;
    const genId = `gen-${randomUUID()}`;
    expect((await send('POST', '/api/public/traces', `{"id":"${traceId}","metadata":{"__proto__":{"a":1}}}`)).status).toBeLessThan(300);
    expect((await send('POST', '/api/public/generations', `{"id":"${genId}","traceId":"${traceId}","metadata":{"__proto__":{"b":1}}}`)).status).toBeLessThan(300);
    expect((await send('PATCH', '/api/public/generations', `{"generationId":"${genId}","metadata":{"__proto__":{"c":2}}}`)).status).toBeLessThan(300);
    const trace = await read(`/api/public/traces/${traceId}`);
    expect(trace.metadata.__proto__).toEqual({ a: 1 });
    expect(trace.observations[0].metadata.__proto__).toEqual({ b: 1, c: 2 });
    expect(prototypeState()).toEqual(before);
  });

  it.each(['json', 'protobuf'] as const)('OTLP/%s attributes spelling prototype paths are stored as data keys', async (format) => {
    const traceId = hex(16);
    const payload = otlpExport([span(traceId, HOSTILE_ATTRIBUTES, format === 'json' ? 'hex' : 'bytes')]);
    const res =
      format === 'json'
        ? await send('POST', OTLP, JSON.stringify(payload))
        : await t.app.request(OTLP, {
            method: 'POST',
            headers: { authorization: t.b.auth, 'content-type': 'application/x-protobuf' },
            body: encodeTraceRequest(payload),
          });
    expect(res.status).toBe(200);
    expect(prototypeState()).toEqual(before);

    const trace = await read(`/api/public/traces/${traceId}`);
    const obs = trace.observations[0];
    expect(Object.hasOwn(obs.input, '__proto__')).toBe(true);
    expect(obs.input.__proto__).toEqual({ tags: ['injected'], userId: 'victim' });
    expect(obs.output.constructor).toEqual({ prototype: { polluted: 'yes' } });
    // The attribute named `__proto__` is data too: it does not become the trace's user.
    expect(trace.userId).toBeNull();
    expect(trace.metadata.__proto__).toEqual({ x: 1 });
  });

  it("query parameters named __proto__ or constructor are ignored like any unknown parameter", async () => {
    for (const path of ['/api/public/traces?__proto__=x', '/api/public/traces?constructor=y&__proto__=z', '/api/public/v2/observations?__proto__=a&__proto__=b']) {
      expect((await t.request('GET', path, { auth: t.b.auth })).status, path).toBe(200);
    }
    const filter = encodeURIComponent(JSON.stringify([{ type: 'stringObject', column: 'metadata', key: '__proto__', operator: '=', value: 'x' }]));
    const res = await t.request('GET', `/api/public/traces?filter=${filter}`, { auth: t.b.auth });
    expect(res.status).toBeLessThan(500);
    expect(prototypeState()).toEqual(before);
  });

  it("a later, unrelated project's traces carry none of it, and its lists are not filtered by it", async () => {
    const traceId = `tr-${randomUUID()}`;
    const batch = `{"batch":[{"id":"${randomUUID()}","type":"trace-create","timestamp":"${new Date().toISOString()}","body":{"id":"${traceId}","name":"clean"}}]}`;
    expect((await send('POST', '/api/public/ingestion', batch, t.a.auth)).status).toBe(207);
    const trace = await read(`/api/public/traces/${traceId}`, t.a.auth);
    expect(trace).toMatchObject({ id: traceId, tags: [], userId: null, metadata: {} });
    const list = await read('/api/public/traces', t.a.auth);
    expect(list.data.map((x: { id: string }) => x.id)).toContain(traceId);
  });

  it('objects rebuilt from dotted attribute names nest at most 100 levels, whatever the name', async () => {
    const traceId = hex(16);
    const attributes: [string, unknown][] = [
      [`gen_ai.prompt.0${'.a'.repeat(4500)}`, str('deep')],
      [`gen_ai.completion.0${'.a'.repeat(4000)}`, str('deep')],
    ];
    const res = await send('POST', OTLP, JSON.stringify(otlpExport([span(traceId, attributes)])));
    expect(res.status).toBe(200);
    const text = await (await t.request('GET', `/api/public/traces?limit=5`, { auth: t.b.auth })).text();
    const list = JSON.parse(text);
    expect(depth(list)).toBeLessThanOrEqual(100);
    const trace = await read(`/api/public/traces/${traceId}`);
    // Nothing is lost: the segments past the bound stay in one key.
    expect(JSON.stringify(trace.observations[0].input)).toContain('deep');
    expect(depth(trace)).toBeLessThanOrEqual(100);
  });

  it('a huge array index in an attribute name neither allocates a huge array nor loses the value', async () => {
    const traceId = hex(16);
    const attributes: [string, unknown][] = [
      ['gen_ai.prompt.4000000000.content', str('first')],
      ['gen_ai.prompt.1.content', str('second')],
      ['gen_ai.prompt.0.parts.999999999.text', str('part')],
    ];
    const res = await send('POST', OTLP, JSON.stringify(otlpExport([span(traceId, attributes)])));
    expect(res.status).toBe(200);
    const trace = await read(`/api/public/traces/${traceId}`);
    const input = trace.observations[0].input;
    expect(JSON.stringify(input).length).toBeLessThan(1000);
    expect(JSON.stringify(input)).toContain('first');
    expect(JSON.stringify(input)).toContain('second');
    expect(JSON.stringify(input)).toContain('part');
  });
});
