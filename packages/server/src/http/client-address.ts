import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** Loopback and private-network peers: the addresses a load balancer in front of Sightline has. */
const PRIVATE = /^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|::1$|::ffff:(127|10|192\.168)\.|f[cd][0-9a-f]{2}:)/i;

/**
 * The client's address for per-address limits: the TCP peer, or — when the peer is on a
 * loopback/private network, i.e. a load balancer or reverse proxy — the last address in
 * `X-Forwarded-For`, the one that proxy appended. Undefined for in-process requests (no socket).
 */
export function clientAddress(c: Context): string | undefined {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
  if (!peer) return undefined;
  if (PRIVATE.test(peer)) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').pop()?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  return peer;
}
