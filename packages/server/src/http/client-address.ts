import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { NO_TRUSTED_PROXIES, type TrustedProxies } from './trusted-proxies.js';

/** Who sent a request, as far as Sightline can tell (set on every request by `clientInfo`). */
export interface ClientInfo {
  /** The TCP peer; undefined for in-process requests (no socket). */
  peer: string | undefined;
  /** The address per-address limits count: the peer, or the client a trusted proxy names. */
  address: string | undefined;
  /** The host the browser addressed (lower case, with port when given). */
  host: string;
  /** The browser reached us over https (directly, or as a trusted proxy says). */
  https: boolean;
  /** A browser on this machine, talking to us directly: loopback peer, loopback host name, nothing relayed. */
  local: boolean;
}

export interface ClientEnv {
  Variables: { client: ClientInfo };
}

/** Any request context of this app (API or UI): each has `client` set. */
export interface WithClient {
  get(key: 'client'): ClientInfo;
}

/** Headers a reverse proxy adds: a request carrying any of them is relaying someone else. */
export const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip'] as const;

/** `::ffff:1.2.3.4` → `1.2.3.4`, so one client is one address whatever the socket family. */
const unmap = (address: string): string => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = unmap(address.toLowerCase());
  return a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a);
}

/** The TCP peer's address; undefined without a socket (in-process requests). */
export function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address || undefined;
  } catch {
    return undefined;
  }
}

const hops = (header: string | undefined): string[] => (header ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/**
 * The client behind a chain of proxies: the nearest `X-Forwarded-For` hop that is not itself a
 * trusted proxy. Hops further left were written by the client and prove nothing.
 */
function forwardedClient(header: string | undefined, trusted: TrustedProxies): string | undefined {
  const list = hops(header).map(unmap);
  for (let i = list.length - 1; i >= 0; i--) if (!trusted.trusts(list[i])) return list[i].slice(0, 64);
  return list[0]?.slice(0, 64);
}

function isLoopbackHost(host: string): boolean {
  try {
    const name = new URL(`http://${host}`).hostname;
    return name === 'localhost' || name === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(name);
  } catch {
    return false;
  }
}

/**
 * Resolves the request's client. Forwarded headers count only when the TCP peer is one of
 * the configured trusted proxies (`SIGHTLINE_TRUSTED_PROXIES`); from anyone else — loopback
 * and private peers included — they are ignored, so they cannot dodge or aim rate limits nor
 * pass a foreign origin off as ours. Of `X-Forwarded-Host`/`-Proto` the last value counts:
 * the one the nearest (trusted) proxy set.
 */
export function resolveClient(c: Context, trusted: TrustedProxies = NO_TRUSTED_PROXIES): ClientInfo {
  const peer = peerAddress(c);
  const url = new URL(c.req.url);
  const direct = { host: (c.req.header('host') || url.host).toLowerCase(), https: url.protocol === 'https:' };
  const relayed = FORWARDING_HEADERS.some((h) => c.req.header(h) !== undefined);
  const local = isLoopback(peer) && !relayed && isLoopbackHost(direct.host);
  if (!peer || !trusted.trusts(peer)) return { peer, address: peer && unmap(peer), ...direct, local };
  return {
    peer,
    address: forwardedClient(c.req.header('x-forwarded-for'), trusted) ?? unmap(peer),
    host: hops(c.req.header('x-forwarded-host')).pop()?.toLowerCase() ?? direct.host,
    https: (hops(c.req.header('x-forwarded-proto')).pop()?.toLowerCase() ?? (direct.https ? 'https' : 'http')) === 'https',
    local,
  };
}

/** Sets `client` on every request; register before anything that reads it. */
export const clientInfo =
  (trusted: TrustedProxies | undefined): MiddlewareHandler<ClientEnv> =>
  async (c, next) => {
    c.set('client', resolveClient(c, trusted));
    await next();
  };

/** The client's address for per-address limits (undefined for in-process requests). */
export const clientAddress = (c: WithClient): string | undefined => c.get('client').address;
