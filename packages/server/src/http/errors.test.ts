// Every route family answers bad input with the one error body of errors.ts.
import { unavailable } from '@sightline/core';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';
import { renderError } from './errors.js';

const ENGINES: Engine[] = ['sqlite', 'postgres'];
const OTLP = '/api/public/otel/v1/traces';

interface BadRequest {
  family: string;
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  auth?: null;
  status: number;
  code: string;
  /** The text the message must contain: the field and the rule. */
  names: RegExp;
}

const CASES: BadRequest[] = [
  { family: 'ingestion', method: 'POST', path: '/api/public/ingestion', body: { batch: 'x' }, status: 400, code: 'invalid_request', names: /Invalid request data/ },
  { family: 'ingestion', method: 'POST', path: '/api/public/ingestion', body: '{"batch": [', status: 400, code: 'invalid_request', names: /not valid JSON/ },
  { family: 'auth', method: 'GET', path: '/api/public/traces', auth: null, status: 401, code: 'unauthorized', names: /authorization/i },
  { family: 'legacy', method: 'PATCH', path: '/api/public/spans', body: { name: 'x' }, status: 400, code: 'invalid_request', names: /spanId: required/ },
  { family: 'legacy', method: 'POST', path: '/api/public/traces', body: { timestamp: 'yesterday' }, status: 400, code: 'invalid_request', names: /timestamp/ },
  { family: 'otlp', method: 'POST', path: OTLP, body: '{}', headers: { 'content-type': 'text/plain' }, status: 400, code: 'invalid_request', names: /^Invalid content type$/ },
  {
    family: 'otlp',
    method: 'POST',
    path: OTLP,
    body: '{}',
    headers: { 'content-type': 'application/json', 'x-langfuse-ingestion-version': '5' },
    status: 400,
    code: 'invalid_request',
    names: /Unsupported x-langfuse-ingestion-version/,
  },
  { family: 'reads', method: 'GET', path: '/api/public/traces?page=0', status: 400, code: 'invalid_request', names: /^page: / },
  { family: 'reads', method: 'GET', path: '/api/public/traces/no-such-trace', status: 404, code: 'not_found', names: /no-such-trace/ },
  { family: 'reads', method: 'GET', path: `/api/public/traces?tags=${'t&tags='.repeat(101)}t`, status: 400, code: 'invalid_request', names: /^tags: at most 100 values/ },
  { family: 'reads', method: 'GET', path: `/api/public/traces?name=${'x'.repeat(33 * 1024)}`, status: 414, code: 'uri_too_long', names: /query string/ },
  { family: 'metrics', method: 'GET', path: '/api/public/metrics?query=not-json', status: 400, code: 'invalid_request', names: /query/ },
  { family: 'metrics', method: 'GET', path: '/api/public/metrics/daily?fromTimestamp=soon', status: 400, code: 'invalid_request', names: /fromTimestamp/ },
  { family: 'models', method: 'POST', path: '/api/public/models', body: { modelName: 'm' }, status: 400, code: 'invalid_request', names: /matchPattern/ },
  { family: 'models', method: 'GET', path: '/api/public/models/no-such-model', status: 404, code: 'not_found', names: /no-such-model/ },
  { family: 'ui', method: 'GET', path: '/api/ui/projects/p/traces', status: 401, code: 'unauthenticated', names: /Sign in/ },
  { family: 'ui', method: 'POST', path: '/api/ui/auth/sign-in', body: { email: 'a@b.c', password: 'x' }, status: 403, code: 'csrf', names: /x-sightline-csrf/ },
  {
    family: 'ui',
    method: 'POST',
    path: '/api/ui/auth/sign-in',
    body: { email: 'nobody@example.com', password: 'wrong' },
    headers: { 'x-sightline-csrf': '1' },
    status: 401,
    code: 'invalid_credentials',
    names: /Email or password/,
  },
  { family: 'ui', method: 'GET', path: '/assets/no-such-file.js', status: 404, code: 'not_found', names: /no-such-file/ },
  { family: 'ops', method: 'GET', path: '/metrics', auth: null, status: 403, code: 'forbidden', names: /metrics token/ },
  { family: 'unknown route', method: 'GET', path: '/api/public/no-such-route', status: 404, code: 'not_found', names: /No route for GET/ },
];

describe.each(ENGINES)('one error body for every route family (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each(CASES.map((c) => [`${c.family}: ${c.method} ${c.path.slice(0, 60)}`, c] as const))('%s', async (_, bad) => {
    const res = await t.request(bad.method, bad.path, { body: bad.body, headers: bad.headers, auth: bad.auth });
    expect(res.status).toBe(bad.status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).every((k) => ['message', 'code', 'error', 'errors'].includes(k)), JSON.stringify(body)).toBe(true);
    expect(body.message).toMatch(bad.names);
    expect(body.code).toBe(bad.code);
    if (bad.family === 'otlp') {
      // Langfuse's OTel route answers {error: <text>}; its clients show that text.
      expect(body.error).toBe(body.message);
    } else {
      // Langfuse's error class of the status, or the list of failed rules.
      expect(typeof body.error === 'string' ? body.error : (body.error as { path: unknown }[]).map((i) => i.path)).toEqual(
        typeof body.error === 'string' ? expect.stringMatching(/^[A-Za-z]+Error$/) : expect.any(Array),
      );
    }
  });

  it('lists the reasons of a malformed ingestion envelope in `errors`, as Langfuse does', async () => {
    const res = await t.json('POST', '/api/public/ingestion', { body: { batch: {} } });
    expect(res).toEqual({
      status: 400,
      body: { message: 'Invalid request data', code: 'invalid_request', error: 'InvalidRequestError', errors: ['batch: must be an array of events'] },
    });
  });

  it('carries the failed rules of a validated query in `error`', async () => {
    const res = await t.json('GET', '/api/public/traces?limit=1000');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual([expect.objectContaining({ path: ['limit'], message: expect.any(String) })]);
  });

  it('keeps the 207 contract of the batch endpoint: a bad event is an entry in errors[], not an error answer', async () => {
    const res = await t.json('POST', '/api/public/ingestion', { body: { batch: [{ id: 'e1', type: 'trace-create', timestamp: 'x', body: {} }] } });
    expect(res.status).toBe(207);
    expect(res.body).toEqual({ successes: [], errors: [expect.objectContaining({ id: 'e1', status: 400, message: 'Invalid request data' })] });
  });
});

describe('renderError', () => {
  const app = new Hono();
  app.get('/busy', () => {
    throw unavailable('storage_unavailable', 'The database is unavailable; retry later', 2);
  });
  app.get('/bug', () => {
    throw new TypeError('x is undefined');
  });
  app.onError((err, c) => renderError(c, err, createLogger({ silent: true })));

  it('sends Retry-After with a 503 that carries retryAfter', async () => {
    const res = await app.request('/busy');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(await res.json()).toEqual({ message: 'The database is unavailable; retry later', code: 'storage_unavailable', error: 'ServiceUnavailableError' });
  });

  it('answers anything else with a 500 in the same shape, without its details', async () => {
    const res = await app.request('/bug');
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: 'Internal Server Error', code: 'internal', error: 'An unknown error occurred' });
  });
});
