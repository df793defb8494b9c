import { afterEach, describe, expect, it } from 'vitest';
import { acceptAll, startStub, type Stub } from '../../../test/sdk/support/stub-server.js';
import { waitFor } from '../../../test/support/wait-for.js';
import type { SightlineError } from './errors.js';
import { Sightline, type SightlineOptions } from './index.js';

const keys = { publicKey: 'pk-lf-test', secretKey: 'sk-lf-test' };
let stub: Stub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

/** A tracer on the stub that collects every onError. */
function tracer(options: SightlineOptions = {}) {
  const errors: SightlineError[] = [];
  const sightline = new Sightline({ ...keys, baseUrl: stub!.url, onError: (e) => errors.push(e), ...options });
  return { sightline, errors };
}

const codes = (errors: SightlineError[]) => errors.map((e) => e.code);

describe('batching', () => {
  it('sends at the size threshold and leaves the remainder to the timer or flush()', async () => {
    stub = await startStub();
    const { sightline } = tracer({ flushAt: 10, maxBatchEvents: 10, flushInterval: 60_000 });
    for (let i = 0; i < 25; i++) sightline.trace({ name: `t${i}` });
    await waitFor(() => stub!.events().length === 20);
    expect(stub.requests.map((r) => r.body.batch.length)).toEqual([10, 10]);
    expect(sightline.stats.queued).toBe(5);
    await sightline.flush();
    expect(stub.requests.map((r) => r.body.batch.length)).toEqual([10, 10, 5]);
    await sightline.shutdown();
  });

  it('sends on the interval timer when below the threshold', async () => {
    stub = await startStub();
    const { sightline } = tracer({ flushAt: 1000, flushInterval: 30 });
    sightline.trace({ name: 'lonely' });
    await waitFor(() => stub!.events().length === 1);
    await sightline.shutdown();
  });

  it('keeps exactly one request in flight', async () => {
    let open = 0;
    let maxOpen = 0;
    stub = await startStub(async (req, i) => {
      maxOpen = Math.max(maxOpen, ++open);
      await new Promise((r) => setTimeout(r, 20));
      open--;
      return acceptAll(req, i);
    });
    const { sightline } = tracer({ flushAt: 5, maxBatchEvents: 5 });
    for (let i = 0; i < 50; i++) sightline.trace({ name: `t${i}` });
    expect(await sightline.flush()).toBe(true);
    expect(stub.events()).toHaveLength(50);
    expect(maxOpen).toBe(1);
  });

  it('flush() drains a large queue in many batches', async () => {
    stub = await startStub();
    const { sightline } = tracer({ flushAt: 100, maxBatchEvents: 500, flushInterval: 60_000 });
    for (let i = 0; i < 20_000; i++) sightline.trace({ name: 'bulk', metadata: { i } });
    expect(await sightline.flush()).toBe(true);
    const events = stub.events();
    expect(events).toHaveLength(20_000);
    expect(new Set(events.map((e) => e.body.metadata.i)).size).toBe(20_000);
    expect(Math.max(...stub.requests.map((r) => r.body.batch.length))).toBeLessThanOrEqual(500);
    expect(sightline.stats).toMatchObject({ queued: 0, inFlight: 0, dropped: 0, sent: 20_000 });
  });

  it('splits batches by size: no request carries more than maxBatchBytes of events', async () => {
    stub = await startStub();
    const { sightline } = tracer({ maxBatchBytes: 5_000 });
    for (let i = 0; i < 20; i++) sightline.trace({ input: 'x'.repeat(1_000) });
    await sightline.flush();
    expect(stub.events()).toHaveLength(20);
    for (const r of stub.requests) expect(r.body.batch.length).toBeLessThanOrEqual(4);
  });
});

describe('bounded queue', () => {
  it('bounds the queue by count; counts drops and warns once', async () => {
    stub = await startStub();
    const { sightline, errors } = tracer({ maxQueueEvents: 100, flushAt: 1000 });
    for (let i = 0; i < 250; i++) sightline.trace({ name: `t${i}` });
    expect(sightline.stats).toMatchObject({ queued: 100, dropped: 150 });
    expect(codes(errors)).toEqual(['queue_full']);
    await sightline.flush();
    expect(stub.events()).toHaveLength(100);
  });

  it('bounds the queue by bytes, counting the batch in flight', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    stub = await startStub(async (req, i) => (await gate, acceptAll(req, i)));
    const { sightline, errors } = tracer({ maxQueueBytes: 20_000, flushAt: 5, maxBatchEvents: 5 });
    for (let i = 0; i < 50; i++) sightline.trace({ input: 'x'.repeat(1_000) });
    const { queued, inFlight, dropped } = sightline.stats;
    expect(queued + inFlight).toBeLessThan(20);
    expect(dropped).toBe(50 - queued - inFlight);
    expect(codes(errors)).toEqual(['queue_full']);
    release();
    await sightline.flush();
    expect(stub.events()).toHaveLength(50 - dropped);
  });

  it('refuses (and reports) one event larger than a whole batch', async () => {
    stub = await startStub();
    const { sightline, errors } = tracer({ maxBatchBytes: 1_000 });
    sightline.trace({ input: 'x'.repeat(2_000) });
    sightline.trace({ name: 'small' });
    await sightline.flush();
    expect(stub.events().map((e) => e.body.name)).toEqual(['small']);
    expect(codes(errors)).toEqual(['event_too_large']);
    expect(sightline.stats.dropped).toBe(1);
  });
});
