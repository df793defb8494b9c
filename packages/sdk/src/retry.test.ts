import { afterEach, describe, expect, it } from 'vitest';
import { acceptAll, startStub, type Stub } from '../../../test/sdk/support/stub-server.js';
import { waitFor } from '../../../test/support/wait-for.js';
import type { SightlineError } from './errors.js';
import { Sightline } from './index.js';
import { retryAfterMs, withRetry } from './retry.js';
import type { Transport, TransportResponse } from './transport.js';

const keys = { publicKey: 'pk-lf-test', secretKey: 'sk-lf-test' };
let stub: Stub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

const reply = (status: number, headers: Record<string, string> = {}): TransportResponse => ({ status, headers: new Headers(headers), text: '' });

/** A fake transport answering from `script` (an Error entry is thrown as a network failure). */
function scripted(script: (TransportResponse | Error)[]) {
  const calls: number[] = [];
  const transport: Transport = {
    send: async () => {
      calls.push(Date.now());
      const next = script.shift() ?? reply(200);
      if (next instanceof Error) throw next;
      return next;
    },
  };
  return { transport, calls };
}

describe('withRetry', () => {
  it('retries network errors, 408, 429 and 5xx, then returns the answer', async () => {
    const { transport, calls } = scripted([new TypeError('fetch failed'), reply(408), reply(429), reply(500), reply(503), reply(207)]);
    const res = await withRetry(transport, { initialDelayMs: 1 }).send({ method: 'POST', path: '/x' });
    expect(res.status).toBe(207);
    expect(calls).toHaveLength(6);
  });

  it('does not retry 400, 401, 403, 404 or 413', async () => {
    for (const status of [400, 401, 403, 404, 413]) {
      const { transport, calls } = scripted([reply(status), reply(207)]);
      expect((await withRetry(transport, { initialDelayMs: 1 }).send({ method: 'POST', path: '/x' })).status).toBe(status);
      expect(calls).toHaveLength(1);
    }
  });

  it('backs off exponentially with jitter, up to maxAttempts', async () => {
    const { transport, calls } = scripted([reply(503), reply(503), reply(503), reply(503)]);
    const res = await withRetry(transport, { initialDelayMs: 20, maxAttempts: 4, random: () => 0 }).send({ method: 'GET', path: '/x' });
    expect(res.status).toBe(503);
    const gaps = calls.slice(1).map((t, i) => t - calls[i]);
    // equal jitter with random() = 0 waits half the backoff: 10, 20, 40 ms
    expect(gaps[0]).toBeGreaterThanOrEqual(9);
    expect(gaps[1]).toBeGreaterThanOrEqual(19);
    expect(gaps[2]).toBeGreaterThanOrEqual(39);
  });

  it('honours Retry-After, and gives up rather than wait past the deadline', async () => {
    const first = scripted([reply(429, { 'retry-after': '1' }), reply(207)]);
    await withRetry(first.transport, { initialDelayMs: 1 }).send({ method: 'POST', path: '/x' });
    expect(first.calls[1] - first.calls[0]).toBeGreaterThanOrEqual(950);

    const second = scripted([reply(503, { 'retry-after': '60' }), reply(207)]);
    const res = await withRetry(second.transport, { deadlineMs: 1_000 }).send({ method: 'POST', path: '/x' });
    expect(res.status).toBe(503);
    expect(second.calls).toHaveLength(1);
  });

  it('rethrows the last network error', async () => {
    const { transport } = scripted([new TypeError('a'), new TypeError('b')]);
    await expect(withRetry(transport, { maxAttempts: 2, initialDelayMs: 1 }).send({ method: 'GET', path: '/' })).rejects.toThrow('b');
  });

  it('parses Retry-After seconds and HTTP dates', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('0.5')).toBe(500);
    expect(retryAfterMs(new Date(Date.now() + 3_000).toUTCString())).toBeGreaterThan(1_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});

describe('delivery failures through the tracer', () => {
  it('429 with Retry-After, then 503, then success: delivered once, nothing reported lost', async () => {
    stub = await startStub((req, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '0' } } : i === 1 ? { status: 503 } : acceptAll(req, i)));
    const sightline = new Sightline({ ...keys, baseUrl: stub.url, retry: { initialDelayMs: 5 }, onError: () => {} });
    sightline.trace({ name: 'x' });
    expect(await sightline.flush()).toBe(true);
    expect(stub.requests).toHaveLength(3);
    expect(stub.events()).toHaveLength(1);
  });

  it('a 400 answer drops the batch, reports it, and is never retried', async () => {
    stub = await startStub(() => ({ status: 400, body: { message: 'Invalid request data' } }));
    const errors: SightlineError[] = [];
    const sightline = new Sightline({ ...keys, baseUrl: stub.url, onError: (e) => errors.push(e) });
    sightline.trace({ name: 'x' });
    expect(await sightline.flush()).toBe(true);
    expect(await sightline.flush()).toBe(true);
    expect(stub.requests).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'http', details: { status: 400, body: { message: 'Invalid request data' }, events: 1 } });
  });

  it('per-event errors of a 207 go to onError and are not resent', async () => {
    stub = await startStub((req) => {
      const [bad, ...good] = req.body.batch as { id: string }[];
      return { status: 207, body: { successes: good.map((e) => ({ id: e.id, status: 201 })), errors: [{ id: bad.id, status: 400, message: 'Invalid request data', error: 'name: too long' }] } };
    });
    const errors: SightlineError[] = [];
    const sightline = new Sightline({ ...keys, baseUrl: stub.url, onError: (e) => errors.push(e) });
    const trace = sightline.trace({ name: 'x' });
    trace.span({ name: 'y' });
    expect(await sightline.flush()).toBe(true);
    expect(await sightline.flush()).toBe(true);
    expect(stub.requests).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0].code).toBe('rejected_event');
    expect(errors[0].details.eventId).toBe(stub.events()[0].id);
    expect(errors[0].message).toContain('name: too long');
  });

  it('keeps events through an outage and delivers them when the server is back', async () => {
    let up = false;
    stub = await startStub((req, i) => (up ? acceptAll(req, i) : { status: 503 }));
    const kept: SightlineError[] = [];
    const sightline = new Sightline({ ...keys, baseUrl: stub.url, flushAt: 5, retry: { initialDelayMs: 5, deadlineMs: 50 }, onError: (e) => kept.push(e) });
    for (let i = 0; i < 20; i++) sightline.trace({ name: `t${i}` });
    // Retries have run out at least once: the SDK says the events are kept for a later attempt.
    await waitFor(() => kept.some((e) => e.message.includes('kept for a later attempt')));
    expect(stub.requests.length).toBeGreaterThan(0);
    expect(sightline.stats.queued + sightline.stats.inFlight).toBe(20);
    up = true;
    expect(await sightline.flush()).toBe(true);
    const names = stub.events().map((e) => e.body.name);
    expect(names).toEqual(Array.from({ length: 20 }, (_, i) => `t${i}`));
  });

  it('flush() gives up at flushTimeout while the server stays down, and says so', async () => {
    stub = await startStub(() => ({ destroy: true, status: 0 }));
    const errors: SightlineError[] = [];
    const sightline = new Sightline({ ...keys, baseUrl: stub.url, flushTimeout: 300, retry: { initialDelayMs: 5 }, onError: (e) => errors.push(e) });
    sightline.trace({ name: 'x' });
    expect(await sightline.flush()).toBe(false);
    expect(codes(errors)).toContain('flush_timeout');
    expect(errors.find((e) => e.code === 'flush_timeout')?.details.events).toBe(1);
    expect(await sightline.shutdown()).toBe(false);
  });
});

const codes = (errors: SightlineError[]) => errors.map((e) => e.code);
