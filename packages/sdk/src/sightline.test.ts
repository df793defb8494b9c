import { afterEach, describe, expect, it, vi } from 'vitest';
import { startStub, type Stub } from '../../../test/sdk/support/stub-server.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { Sightline } from './index.js';
import type { SightlineError } from './errors.js';

const keys = { publicKey: 'pk-lf-test', secretKey: 'sk-lf-test' };
let stub: Stub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

describe('Sightline tracer: event shapes', () => {
  it('sends the langfuse v3 event types and bodies, with client-side ids and Basic auth', async () => {
    stub = await startStub();
    const sightline = new Sightline({ ...keys, baseUrl: stub.url, release: 'r1', environment: 'test' });
    const trace = sightline.trace({ name: 'chat-request', userId: 'user-1', sessionId: 'sess-1', tags: ['t1'], metadata: { env: 'test' }, input: { q: 'hi' }, version: 'v1' });
    const span = trace.span({ name: 'retrieve', input: { query: 'hi' } });
    span.event({ name: 'cache-miss', input: { k: 1 } });
    span.end({ output: { docs: ['a', 'b'] } });
    const gen = trace.generation({ name: 'llm-call', model: 'gpt-4o', modelParameters: { temperature: 0.7 }, input: [{ role: 'user', content: 'hi' }] });
    gen.end({ output: { role: 'assistant', content: 'hello' }, usage: { input: 10, output: 5, total: 15 } });
    trace.score({ name: 'quality', value: 0.9, comment: 'good' });
    gen.score({ name: 'cat', value: 'good', dataType: 'CATEGORICAL' });
    trace.update({ output: { a: 'hello' } });
    expect(await sightline.flush()).toBe(true);

    const req = stub.requests[0];
    expect(req.path).toBe('/api/public/ingestion');
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from('pk-lf-test:sk-lf-test').toString('base64')}`);
    expect(req.body.metadata).toMatchObject({ batch_size: 9, sdk_name: 'sightline-js', public_key: 'pk-lf-test' });
    const events = stub.events();
    expect(events.map((e) => e.type)).toEqual([
      'trace-create', 'span-create', 'event-create', 'span-update', 'generation-create', 'generation-update', 'score-create', 'score-create', 'trace-create',
    ]);
    const byType = (t: string) => events.filter((e) => e.type === t);
    expect(byType('trace-create')[0].body).toMatchObject({ id: trace.id, name: 'chat-request', userId: 'user-1', sessionId: 'sess-1', tags: ['t1'], release: 'r1', environment: 'test', version: 'v1' });
    expect(byType('span-create')[0].body).toMatchObject({ id: span.id, traceId: trace.id, parentObservationId: null, name: 'retrieve' });
    expect(byType('event-create')[0].body).toMatchObject({ traceId: trace.id, parentObservationId: span.id, name: 'cache-miss' });
    expect(byType('span-update')[0].body).toMatchObject({ id: span.id, traceId: trace.id, output: { docs: ['a', 'b'] } });
    expect(byType('span-update')[0].body.endTime).toMatch(/Z$/);
    expect(byType('generation-update')[0].body).toMatchObject({ id: gen.id, usage: { input: 10, output: 5, total: 15 } });
    expect(byType('score-create')[1].body).toMatchObject({ traceId: trace.id, observationId: gen.id, name: 'cat' });
    for (const e of events) {
      expect(e.id).toEqual(expect.any(String));
      expect(Date.parse(e.timestamp)).not.toBeNaN();
    }
    // envelope ids sort in call order, so same-millisecond events of one entity apply in order
    expect([...events.map((e) => e.id)].sort()).toEqual(events.map((e) => e.id));
    await sightline.shutdown();
  });

  it('top-level span/generation/event create their trace, or join body.traceId', async () => {
    stub = await startStub();
    const sightline = new Sightline({ ...keys, baseUrl: stub.url });
    const span = sightline.span({ name: 'job' });
    sightline.generation({ traceId: span.traceId, name: 'g' });
    sightline.score({ traceId: span.traceId, name: 's', value: 1 });
    await sightline.shutdown();
    const events = stub.events();
    expect(events.map((e) => e.type)).toEqual(['trace-create', 'span-create', 'generation-create', 'score-create']);
    expect(events[0].body).toMatchObject({ id: span.traceId, name: 'job' });
    expect(events[2].body).toMatchObject({ traceId: span.traceId, parentObservationId: null });
  });
});

describe('Sightline tracer: sampling, masking, safety', () => {
  it('samples whole traces by trace id', async () => {
    stub = await startStub();
    const sightline = new Sightline({ ...keys, baseUrl: stub.url, sampleRate: 0.5 });
    const traces = Array.from({ length: 400 }, (_, i) => sightline.trace({ name: `t${i}` }));
    for (const t of traces) t.span({ name: 'child' }).end();
    await sightline.shutdown();
    const sampled = traces.filter((t) => t.sampled);
    expect(sampled.length).toBeGreaterThan(120);
    expect(sampled.length).toBeLessThan(280);
    const traceIds = new Set(stub.events().map((e) => e.body.traceId ?? e.body.id));
    expect(traceIds).toEqual(new Set(sampled.map((t) => t.id)));
    expect(stub.events()).toHaveLength(sampled.length * 3);
  });

  it('masks input and output; a throwing mask replaces the value and reports', async () => {
    stub = await startStub();
    const errors: SightlineError[] = [];
    const mask = ({ data }: { data: unknown }) => {
      if (data === 'boom') throw new Error('mask failed');
      return JSON.parse(JSON.stringify(data).replace(/\d{4}-\d{4}/g, '****'));
    };
    const sightline = new Sightline({ ...keys, baseUrl: stub.url, mask, onError: (e) => errors.push(e) });
    const trace = sightline.trace({ input: { card: '1234-5678' }, metadata: { card: '1234-5678' } });
    trace.span({ input: 'boom' }).end({ output: 'card 1111-2222' });
    await sightline.shutdown();
    const [t, s, u] = stub.events();
    expect(t.body.input).toEqual({ card: '****' });
    expect(t.body.metadata).toEqual({ card: '1234-5678' });
    expect(s.body.input).toBe('<fully masked due to failed mask function>');
    expect(u.body.output).toBe('card ****');
    expect(errors.map((e) => e.code)).toEqual(['internal']);
  });

  it('never throws into the host: broken URL, unreachable host, no keys, cyclic input, throwing onError', async () => {
    const throwingHook = () => {
      throw new Error('bad hook');
    };
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    for (const baseUrl of ['http://[not a url', 'ftp://example', 'http://127.0.0.1:9']) {
      const broken = new Sightline({ ...keys, baseUrl, flushAt: 1, flushTimeout: 300, retry: { maxAttempts: 2, initialDelayMs: 10 }, onError: throwingHook });
      const trace = broken.trace({ input: cyclic, metadata: { big: 10n } as never });
      trace.span().end();
      trace.generation({ startTime: 'not a date' }).end();
      trace.score({ name: 'x', value: 1 });
      await expect(broken.flush()).resolves.toEqual(expect.any(Boolean));
      await expect(broken.shutdown()).resolves.toEqual(expect.any(Boolean));
    }

    stub = await startStub();
    const ok = new Sightline({ ...keys, baseUrl: stub.url });
    ok.trace({ input: cyclic, metadata: { big: 10n } as never });
    await ok.shutdown();
    expect(stub.events()[0].body).toMatchObject({ input: { a: 1, self: '[Circular]' }, metadata: { big: '10' } });

    const errors: SightlineError[] = [];
    const noKeys = new Sightline({ publicKey: '', secretKey: '', onError: (e) => errors.push(e) });
    noKeys.trace({ name: 'x' }).span().end();
    expect(await noKeys.flush()).toBe(true);
    expect(errors.map((e) => e.code)).toEqual(['config']);
  });

  it('reads keys and host from SIGHTLINE_* or LANGFUSE_* variables', async () => {
    stub = await startStub();
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { LANGFUSE_PUBLIC_KEY: 'pk-lf-env', LANGFUSE_SECRET_KEY: 'sk-lf-env', LANGFUSE_BASEURL: stub.url });
      delete process.env.SIGHTLINE_PUBLIC_KEY;
      delete process.env.SIGHTLINE_SECRET_KEY;
      delete process.env.SIGHTLINE_HOST;
      const sightline = new Sightline();
      sightline.trace({ name: 'from-env' });
      await sightline.shutdown();
      expect(stub.requests[0].headers.authorization).toBe(`Basic ${Buffer.from('pk-lf-env:sk-lf-env').toString('base64')}`);
    } finally {
      process.env = saved;
    }
  });

  it('flushAsync/shutdownAsync are aliases; shutdown is idempotent and later events are dropped', async () => {
    stub = await startStub();
    const sightline = new Sightline({ ...keys, baseUrl: stub.url });
    sightline.trace({ name: 'a' });
    expect(await sightline.flushAsync()).toBe(true);
    const first = sightline.shutdownAsync();
    expect(sightline.shutdown()).toBe(first);
    expect(await first).toBe(true);
    sightline.trace({ name: 'late' });
    await waitFor(() => sightline.stats.dropped === 1);
    expect(stub.events()).toHaveLength(1);
  });

  it('without onError, each kind of error is logged once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const sightline = new Sightline({ ...keys, baseUrl: 'http://127.0.0.1:9', maxQueueEvents: 2, flushAt: 1000, flushTimeout: 50 });
      for (let i = 0; i < 10; i++) sightline.trace({ name: `t${i}` });
      await sightline.flush();
      await sightline.flush();
      const messages = warn.mock.calls.map((c) => String(c[0]));
      expect(messages.filter((m) => m.includes('queue full'))).toHaveLength(1);
      expect(messages.filter((m) => m.includes('flush gave up'))).toHaveLength(1);
      expect(sightline.stats.dropped).toBe(8);
      await sightline.shutdown();
    } finally {
      warn.mockRestore();
    }
  });
});
