import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSourceClient, normalizeBaseUrl, retryAfterMs, SourceError } from './source-client.js';

type Reply = { status: number; headers?: Record<string, string>; body?: unknown };

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A source answering the scripted replies in turn (the last one repeats), recording each request. */
async function scripted(replies: Reply[]) {
  const seen: { url: string; authorization?: string }[] = [];
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    const r = replies[Math.min(seen.length - 1, replies.length - 1)];
    res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
    res.end(JSON.stringify(r.body ?? {}));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const waits: number[] = [];
  const client = createSourceClient({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, publicKey: 'pk', secretKey: 'sk', retries: 3, backoffMs: 100,
    sleep: async (ms) => void waits.push(ms),
  });
  return { client, seen, waits };
}

describe('source client', () => {
  it('sends Basic auth and the query, and waits out a 429 for its Retry-After', async () => {
    const { client, seen, waits } = await scripted([{ status: 429, headers: { 'retry-after': '7' } }, { status: 200, body: { data: [1] } }]);
    expect(await client.get('traces', { page: 2, limit: 50, fromTimestamp: undefined })).toEqual({ data: [1] });
    expect(waits).toEqual([7000]);
    expect(seen.map((s) => s.url)).toEqual(['/api/public/traces?page=2&limit=50', '/api/public/traces?page=2&limit=50']);
    expect(seen[0].authorization).toBe(`Basic ${Buffer.from('pk:sk').toString('base64')}`);
  });

  it('retries a 5xx with doubling backoff, then gives up naming the route and the answer', async () => {
    const { client, waits } = await scripted([{ status: 503, body: { message: 'busy' } }]);
    await expect(client.get('traces')).rejects.toThrow('GET /api/public/traces answered 503: busy');
    expect(waits).toEqual([100, 200, 400]);
  });

  it('stops at once on 401 with a message about the keys; a 404 is null only where asked', async () => {
    const unauthorized = await scripted([{ status: 401, body: { message: 'Invalid credentials' } }]);
    const err = await unauthorized.client.get('projects').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).message).toMatch(/answered 401 \(Invalid credentials\): check --public-key and --secret-key/);
    expect(unauthorized.seen).toHaveLength(1);
    server!.close();
    const missing = await scripted([{ status: 404, body: { message: 'Trace not found' } }]);
    expect(await missing.client.getOrNull('traces/x')).toBeNull();
    await expect(missing.client.get('traces/x')).rejects.toThrow('answered 404: Trace not found');
  });

  it('reads Retry-After as seconds or a date, and checks the base URL', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(normalizeBaseUrl('https://cloud.langfuse.com/api/public/')).toBe('https://cloud.langfuse.com');
    expect(() => normalizeBaseUrl('ftp://x')).toThrow('must be an http(s) URL');
  });
});
