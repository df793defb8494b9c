import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { resolveClient, type ClientInfo } from './client-address.js';
import { parseTrustedProxies, type TrustedProxies } from './trusted-proxies.js';

/** Resolves the client of one in-process request from TCP peer `peer` (none: no socket). */
async function clientOf(trusted: TrustedProxies, headers: Record<string, string>, peer?: string, url = 'http://sightline.test/x'): Promise<ClientInfo> {
  const app = new Hono();
  app.get('/x', (c) => c.json(resolveClient(c, trusted)));
  const env = peer === undefined ? undefined : { incoming: { socket: { remoteAddress: peer } } };
  return (await app.request(url, { headers }, env)).json() as Promise<ClientInfo>;
}

const forwarded = { 'x-forwarded-for': '6.6.6.6, 203.0.113.7', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };

describe('client address and forwarded headers', () => {
  it('ignores forwarded headers by default, from loopback and private peers too', async () => {
    const none = parseTrustedProxies(undefined);
    for (const peer of ['127.0.0.1', '::1', '10.1.2.3', '192.168.0.5', '::ffff:172.16.0.1']) {
      const c = await clientOf(none, { ...forwarded, host: 'sightline.test' }, peer);
      expect(c).toMatchObject({ address: peer.replace('::ffff:', ''), host: 'sightline.test', https: false });
    }
    // In-process: no peer, no address.
    const inProcess = await clientOf(none, forwarded);
    expect([inProcess.peer, inProcess.address, inProcess.host, inProcess.https]).toEqual([undefined, undefined, 'sightline.test', false]);
  });

  it('believes a trusted proxy: the nearest untrusted X-Forwarded-For hop, and the host and scheme it set', async () => {
    const trusted = parseTrustedProxies('10.0.0.0/8, 192.0.2.1');
    const c = await clientOf(trusted, { ...forwarded, 'x-forwarded-for': '6.6.6.6, 203.0.113.7, 10.9.9.9', 'x-forwarded-host': 'evil.example, sightline.example' }, '192.0.2.1');
    expect(c).toMatchObject({ address: '203.0.113.7', host: 'sightline.example', https: true, local: false });
    // Without X-Forwarded-For the proxy itself is the client.
    expect(await clientOf(trusted, {}, '10.0.0.2')).toMatchObject({ address: '10.0.0.2', https: false });
    // An untrusted peer gets no say, even in the trusted range's neighbourhood.
    expect(await clientOf(trusted, forwarded, '192.0.2.2')).toMatchObject({ address: '192.0.2.2', https: false });
  });

  it('calls a request local only from a loopback peer, to a loopback host name, with nothing relayed', async () => {
    const none = parseTrustedProxies('');
    expect((await clientOf(none, { host: '127.0.0.1:3000' }, '127.0.0.1')).local).toBe(true);
    expect((await clientOf(none, { host: 'localhost:3000' }, '::1')).local).toBe(true);
    expect((await clientOf(none, { host: 'attacker.example:3000' }, '127.0.0.1')).local).toBe(false);
    expect((await clientOf(none, { host: '127.0.0.1', 'x-real-ip': '198.51.100.1' }, '127.0.0.1')).local).toBe(false);
    expect((await clientOf(none, { host: '127.0.0.1' }, '10.0.0.1')).local).toBe(false);
  });

  it('parses the setting: addresses, CIDR ranges of both families and the names loopback and private; a typo fails', () => {
    const t = parseTrustedProxies('loopback, 203.0.113.0/24, 2001:db8::/32, 198.51.100.7');
    for (const a of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '203.0.113.200', '2001:db8::5', '198.51.100.7']) expect(t.trusts(a), a).toBe(true);
    for (const a of ['10.0.0.1', '198.51.100.8', '2001:db9::1', 'garbage', undefined]) expect(t.trusts(a), String(a)).toBe(false);
    expect(parseTrustedProxies('private').trusts('172.20.1.1')).toBe(true);
    for (const bad of ['10.0.0.0/33', 'proxy.example', '10.0.0.0/', '1.2.3']) expect(() => parseTrustedProxies(bad)).toThrow(/SIGHTLINE_TRUSTED_PROXIES/);
  });
});
