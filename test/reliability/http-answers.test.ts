// How the real server frames API answers over Node's HTTP (headers.test.ts checks the same
// headers through the app in-process): a Content-Length matching the UTF-8 body rather than a
// chunked stream, the public API's CORS headers and the hardening headers on an ingestion answer
// and on a large trace with non-ASCII text, and a preflight answered as browsers need it.
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, startServer, type ServerProcess } from '../support/index.js';

const PUBLIC_KEY = 'pk-lf-http-answers';
const SECRET_KEY = 'sk-lf-http-answers-secret';
const AUTH = basic(PUBLIC_KEY, SECRET_KEY);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request over node:http, so the answer's framing headers are seen as sent. */
function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('API answers over HTTP', () => {
  let server: ServerProcess;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sightline-http-answers-'));
    server = await startServer({ dataDir, env: { SIGHTLINE_INIT_PUBLIC_KEY: PUBLIC_KEY, SIGHTLINE_INIT_SECRET_KEY: SECRET_KEY } });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers ingestion and a large trace with Content-Length, whole, and the CORS headers', async () => {
    const at = new Date().toISOString();
    const text = 'naïve café — 東京 ✓ '.repeat(60);
    const batch = [
      { id: 'e-trace', type: 'trace-create', timestamp: at, body: { id: 'big-trace', name: 'big', input: { text } } },
      ...Array.from({ length: 300 }, (_, i) => ({
        id: `e-span-${i}`, type: 'span-create', timestamp: at,
        body: { id: `span-${i}`, traceId: 'big-trace', name: `step ${i}`, startTime: at, input: { i, text }, output: `done ${i}` },
      })),
    ];
    const headers = { authorization: AUTH, origin: 'https://app.example', 'content-type': 'application/json' };
    const ingested = await send(`${server.url}/api/public/ingestion`, 'POST', headers, JSON.stringify({ batch }));
    expect(ingested.status).toBe(207);
    expect(JSON.parse(ingested.body).successes).toHaveLength(301);

    const read = await send(`${server.url}/api/public/traces/big-trace`, 'GET', headers);
    expect(read.status).toBe(200);
    const trace = JSON.parse(read.body);
    expect(trace.observations).toHaveLength(300);
    expect(trace.observations.find((o: { id: string }) => o.id === 'span-7').input).toEqual({ i: 7, text });

    for (const answer of [ingested, read]) {
      expect(answer.headers['transfer-encoding']).toBeUndefined();
      expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
      expect(answer.headers['access-control-allow-origin']).toBe('https://app.example');
      expect(answer.headers.vary).toContain('Origin');
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('answers a preflight with the asked headers allowed and Vary naming them', async () => {
    const res = await send(`${server.url}/api/public/traces`, 'OPTIONS', {
      origin: 'https://app.example',
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization, x-langfuse-sdk-name',
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(res.headers['access-control-allow-headers']).toBe('authorization,x-langfuse-sdk-name');
    expect(res.headers['access-control-allow-methods']).toContain('DELETE');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers.vary).toContain('Access-Control-Request-Headers');
    expect(res.body).toBe('');
  });

  it('sends no Access-Control-Allow-Origin to a request without an Origin', async () => {
    const res = await send(`${server.url}/api/public/traces?limit=1`, 'GET', { authorization: AUTH });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers.vary).toContain('Origin');
  });
});
