// CORS and security headers, set deliberately: Langfuse's CORS on /api/public (every origin
// reflected, credentials off, preflight without authentication), no CORS at all on the UI API,
// browser-hardening headers on every answer including errors, and no caching of API answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../packages/server/src/testing/test-app.js';

const HARDENING = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'cross-origin-opener-policy': 'same-origin',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

describe('CORS and security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => t?.close());

  it('reflects any origin without credentials, as Langfuse does, on answers and errors', async () => {
    for (const [path, auth, status] of [
      ['/api/public/traces', undefined, 200],
      ['/api/public/traces', null, 401],
      ['/api/public/nope', undefined, 404],
    ] as const) {
      const res = await t.request('GET', path, { auth, headers: { origin: 'https://app.example' } });
      expect(res.status).toBe(status);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(res.headers.get('vary')).toContain('Origin');
    }
  });

  it('answers a preflight without authentication, allowing the SDK headers', async () => {
    const res = await t.request('OPTIONS', '/api/public/ingestion', {
      auth: null,
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-langfuse-sdk-name,x-langfuse-sdk-version,x-langfuse-public-key',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(res.headers.get('access-control-allow-headers')).toContain('x-langfuse-sdk-name');
    expect(res.headers.get('access-control-max-age')).toBe('600');
  });

  it('grants no CORS on the UI API: a page elsewhere cannot preflight, read or sign up', async () => {
    const preflight = await t.request('OPTIONS', '/api/ui/auth/sign-up', {
      auth: null,
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-sightline-csrf,x-forwarded-host' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-headers')).toBeNull();
    expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
    const read = await t.request('GET', '/api/ui/session', { auth: null, headers: { origin: 'https://evil.example' } });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
    // The attack from the field, on a fresh instance: a foreign Origin "matched" by X-Forwarded-Host.
    const signUp = await t.request('POST', '/api/ui/auth/sign-up', {
      auth: null,
      body: { email: 'attacker@evil.example', password: 'attacker password' },
      headers: { origin: 'https://evil.example', 'x-forwarded-host': 'evil.example', 'x-sightline-csrf': '1' },
    });
    expect(signUp.status).toBe(403);
    expect(signUp.headers.get('access-control-allow-origin')).toBeNull();
    expect(await t.storage.accounts.countUsers()).toBe(0);
  });

  it('sends the hardening headers on success and on every kind of error, and no X-Powered-By', async () => {
    const answers = [
      await t.request('GET', '/api/public/traces'),
      await t.request('GET', '/api/public/traces', { auth: null }),
      await t.request('GET', '/api/public/traces?page=0'),
      await t.request('POST', '/api/public/ingestion', { body: '{' }),
      await t.request('GET', '/api/public/health', { auth: null }),
      await t.request('GET', '/nope', { auth: null }),
    ];
    for (const res of answers) {
      for (const [name, value] of Object.entries(HARDENING)) expect(res.headers.get(name), `${name} on ${res.status}`).toBe(value);
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('API answers are JSON and never cached', async () => {
    for (const res of [await t.request('GET', '/api/public/traces'), await t.request('GET', '/api/public/traces', { auth: null })]) {
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });
});
