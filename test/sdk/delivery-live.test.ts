import { Sightline, type SightlineError } from '@sightline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../support/index.js';
import { keys, startLiveServer, type LiveServer } from './support/live-server.js';
import { startStub, type StubRequest } from './support/stub-server.js';

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer();
});
afterAll(async () => {
  await server?.stop();
});

/** Passes a request on to the live server. */
async function forward(req: StubRequest, to: string) {
  const res = await fetch(to + req.path, { method: req.method, headers: { authorization: String(req.headers.authorization), 'content-type': 'application/json' }, body: req.text || undefined });
  return { status: res.status, body: await res.text() };
}

/**
 * How many traces of this name the server holds, exactly: the metrics API counts from rollups
 * (the traces list's totalItems is an estimate past 10,000 matches, docs/compatibility.md §7).
 */
async function totalTraces(s: LiveServer, name: string): Promise<number> {
  const day = 86_400_000;
  const query = {
    view: 'traces', metrics: [{ measure: 'count', aggregation: 'count' }],
    filters: [{ column: 'name', operator: '=', value: name, type: 'string' }],
    fromTimestamp: new Date(Date.now() - day).toISOString(), toTimestamp: new Date(Date.now() + day).toISOString(),
  };
  const res = await fetch(`${s.url}/api/public/metrics?query=${encodeURIComponent(JSON.stringify(query))}`, {
    headers: { authorization: `Basic ${Buffer.from(`${keys.publicKey}:${keys.secretKey}`).toString('base64')}` },
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { data: { count_count?: number | string }[] };
  return Number(body.data[0]?.count_count ?? 0);
}

describe('delivery against a live server', () => {
  it('429 and 503 with Retry-After in front of the server: waits, retries, delivers everything once', async () => {
    const script = [{ status: 429, headers: { 'retry-after': '1' } }, { status: 503, headers: { 'retry-after': '0' } }];
    const proxy = await startStub(async (req) => script.shift() ?? forward(req, server.url));
    const errors: SightlineError[] = [];
    const sightline = new Sightline({ ...keys, baseUrl: proxy.url, onError: (e) => errors.push(e) });
    try {
      for (let i = 0; i < 50; i++) sightline.trace({ name: 'behind-proxy', metadata: { i } });
      expect(await sightline.flush()).toBe(true);
      expect(proxy.requests).toHaveLength(3);
      expect(proxy.requests[1].at - proxy.requests[0].at).toBeGreaterThanOrEqual(950);
      expect(proxy.requests[2].text).toBe(proxy.requests[0].text);
      expect(errors).toEqual([]);
      expect(await totalTraces(server, 'behind-proxy')).toBe(50);
    } finally {
      await sightline.shutdown();
      await proxy.close();
    }
  });

  it('server down: events are kept up to the bound, then delivered when it comes back', async () => {
    const port = await freePort();
    const errors: SightlineError[] = [];
    const sightline = new Sightline({
      ...keys, baseUrl: `http://127.0.0.1:${port}`, maxQueueEvents: 500, flushAt: 50,
      retry: { initialDelayMs: 20, deadlineMs: 200 }, onError: (e) => errors.push(e),
    });
    let later: LiveServer | undefined;
    try {
      for (let i = 0; i < 800; i++) sightline.trace({ name: 'outage', metadata: { i } });
      await waitFor(() => errors.some((e) => e.code === 'network'), 15_000);
      const { queued, inFlight, dropped } = sightline.stats;
      expect(queued + inFlight).toBe(500);
      expect(dropped).toBe(300);
      expect(errors.filter((e) => e.code === 'queue_full')).toHaveLength(1);

      later = await startLiveServer({ port });
      expect(await sightline.flush()).toBe(true);
      expect(await totalTraces(later, 'outage')).toBe(500);
      // the oldest 500 were kept: drops hit the newest events, never the ones already queued
      const page = await later.client.traces.list({ name: 'outage', limit: 100, orderBy: 'timestamp.asc' });
      expect(page.data.map((t) => (t.metadata as { i: number }).i).every((i) => i < 500)).toBe(true);
    } finally {
      await sightline.shutdown();
      await later?.stop();
    }
  });

  it('shutdown() drains 100 000 queued events into the server', async () => {
    const errors: SightlineError[] = [];
    const sightline = new Sightline({ ...keys, baseUrl: server.url, flushTimeout: 120_000, onError: (e) => errors.push(e) });
    for (let i = 0; i < 100_000; i++) sightline.trace({ name: 'drain-100k' });
    expect(sightline.stats.dropped).toBe(0);
    expect(await sightline.shutdown()).toBe(true);
    expect(sightline.stats).toMatchObject({ queued: 0, inFlight: 0, sent: 100_000 });
    expect(errors).toEqual([]);
    expect(await totalTraces(server, 'drain-100k')).toBe(100_000);
  });
});
