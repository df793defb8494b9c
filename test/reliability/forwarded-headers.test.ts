// Forwarded headers and the authentication-failure limits: X-Forwarded-For is believed only
// from configured trusted proxies (SIGHTLINE_TRUSTED_PROXIES, none by default), so rotating it
// cannot dodge the per-address limit and spoofing it cannot lock out someone else; and a correct
// key is never refused because of other clients' failures from the same address.
// In-process, with the TCP peer supplied the way @hono/node-server does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../packages/server/src/admin/projects.js';
import { parseTrustedProxies } from '../../packages/server/src/http/trusted-proxies.js';
import { basicAuth, createTestApp, type TestApp } from '../../packages/server/src/testing/test-app.js';

/** The documented default: failed authentications per client address per minute. */
const MAX_FAILURES_PER_ADDRESS = 30;

async function get(t: TestApp, peer: string, auth: string, headers: Record<string, string> = {}): Promise<number> {
  const res = await t.app.request('/api/public/traces?limit=1', { headers: { authorization: auth, ...headers } }, { incoming: { socket: { remoteAddress: peer } } });
  await res.arrayBuffer();
  return res.status;
}

const wrong = (i: number) => basicAuth(`pk-lf-guess-${i}`, 'sk-lf-guess');

describe('forwarded headers and failure limits, no trusted proxy configured (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => t?.close());

  it('rotating X-Forwarded-For from a loopback peer does not dodge the per-address limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= MAX_FAILURES_PER_ADDRESS + 5; i++) statuses.push(await get(t, '127.0.0.1', wrong(i), { 'x-forwarded-for': `198.51.100.${i}` }));
    expect(statuses.slice(0, MAX_FAILURES_PER_ADDRESS).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(MAX_FAILURES_PER_ADDRESS).every((s) => s === 429)).toBe(true);
  });

  it("spoofing a victim's address in X-Forwarded-For does not lock the victim out", async () => {
    for (let i = 0; i <= MAX_FAILURES_PER_ADDRESS; i++) await get(t, '10.0.0.66', wrong(i), { 'x-forwarded-for': '203.0.113.50' });
    expect(await get(t, '203.0.113.50', wrong(1000))).toBe(401);
    expect(await get(t, '203.0.113.50', t.a.auth)).toBe(200);
  });

  it('a client with a revoked key gets 429s, while every valid key from the same address still works', async () => {
    const revoked = await createApiKey(t.storage, t.a.project.id);
    await t.storage.projects.revokeKey(revoked.key.id, Date.now());
    const stale = basicAuth(revoked.key.publicKey, revoked.secretKey);
    const statuses: number[] = [];
    for (let i = 0; i <= MAX_FAILURES_PER_ADDRESS + 5; i++) statuses.push(await get(t, '192.0.2.9', stale));
    expect(statuses.at(-1)).toBe(429);
    expect(await get(t, '192.0.2.9', t.a.auth)).toBe(200);
    expect(await get(t, '192.0.2.9', t.b.auth)).toBe(200);
    expect(await get(t, '192.0.2.9', wrong(2000))).toBe(429);
  });
});

describe('forwarded headers and failure limits behind a trusted proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { trustedProxies: parseTrustedProxies('10.0.0.0/8') });
  });
  afterAll(async () => t?.close());

  it('counts failures per client the proxy names, not per proxy, and only from the proxy', async () => {
    const from = (client: string) => ({ 'x-forwarded-for': `6.6.6.6, ${client}` });
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) expect(await get(t, '10.0.0.2', wrong(i), from('203.0.113.7'))).toBe(401);
    expect(await get(t, '10.0.0.2', wrong(99), from('203.0.113.7'))).toBe(429);
    // Another client behind the same proxy is not affected, and the blocked one's right key works.
    expect(await get(t, '10.0.0.2', wrong(100), from('203.0.113.8'))).toBe(401);
    expect(await get(t, '10.0.0.2', t.a.auth, from('203.0.113.7'))).toBe(200);
    // The same header from a peer that is not a trusted proxy names nobody but that peer.
    expect(await get(t, '192.0.2.44', wrong(101), from('203.0.113.7'))).toBe(401);
  });
});
