import { AppError } from '@sightline/core';

export interface FailureLimiterOptions {
  /** Failed attempts allowed per client address in one window (default 30). */
  maxPerAddress?: number;
  /** Failed attempts allowed per identity — a public key or an email — in one window (default 30). */
  maxPerIdentity?: number;
  /** Failed attempts allowed for one identity from one address in one window (default: maxPerIdentity). */
  maxPerPair?: number;
  /** Window length in ms (default 60 s). */
  windowMs?: number;
  /** Most addresses/identities tracked at once; beyond it the oldest windows are dropped (default 50k). */
  maxTracked?: number;
  now?: () => number;
}

export interface FailureLimiter {
  /**
   * Throws a 429 with Retry-After when this address has itself failed too often with this
   * identity. For guessable credentials (passwords): called before the credential is checked.
   */
  checkPair(address: string | undefined, identity: string | undefined): void;
  /**
   * Counts one failed attempt of `identity` from `address`. Returns the 429 (with Retry-After)
   * to answer instead of the 401 once the address, the identity or the pair is over its limit.
   */
  fail(address: string | undefined, identity: string | undefined): AppError | undefined;
}

interface Window {
  start: number;
  count: number;
}

/**
 * Per-process limits on failed authentications, in fixed windows. Only failures are ever
 * refused: a correct credential is checked and accepted whatever others did from the same
 * address (a shared NAT, a neighbour with a revoked key) or against the same account. The one
 * exception is `checkPair`: an address that itself failed too often on one account is not
 * heard on that account until the window ends, which bounds password guessing. Memory is
 * bounded by `maxTracked` per map.
 */
export function createFailureLimiter(options: FailureLimiterOptions = {}): FailureLimiter {
  const maxPerAddress = options.maxPerAddress ?? 30;
  const maxPerIdentity = options.maxPerIdentity ?? 30;
  const maxPerPair = options.maxPerPair ?? maxPerIdentity;
  const windowMs = options.windowMs ?? 60_000;
  const maxTracked = options.maxTracked ?? 50_000;
  const now = options.now ?? Date.now;
  const addresses = new Map<string, Window>();
  const identities = new Map<string, Window>();
  const pairs = new Map<string, Window>();
  const pairId = (address: string | undefined, identity: string | undefined) => (address && identity ? `${address}\n${identity}` : undefined);

  const current = (map: Map<string, Window>, id: string, t: number): Window | undefined => {
    const w = map.get(id);
    if (w && t - w.start >= windowMs) {
      map.delete(id);
      return undefined;
    }
    return w;
  };
  const tooMany = (w: Window, t: number, what: string): AppError => {
    const retryAfter = Math.max(1, Math.ceil((w.start + windowMs - t) / 1000));
    return new AppError(429, 'too_many_auth_failures', `Too many failed authentications ${what}; retry in ${retryAfter} s`, { retryAfter });
  };
  const count = (map: Map<string, Window>, id: string | undefined, t: number): Window | undefined => {
    if (!id) return undefined;
    const w = current(map, id, t);
    if (w) {
      w.count++;
      return w;
    }
    if (map.size >= maxTracked) {
      // Maps iterate in insertion order: the first entries hold the oldest windows.
      for (const old of map.keys()) {
        map.delete(old);
        if (map.size < maxTracked / 2) break;
      }
    }
    const fresh = { start: t, count: 1 };
    map.set(id, fresh);
    return fresh;
  };

  const PAIR = 'for this account from this address';
  return {
    checkPair(address, identity) {
      const id = pairId(address, identity);
      const t = now();
      const w = id ? current(pairs, id, t) : undefined;
      if (w && w.count >= maxPerPair) throw tooMany(w, t, PAIR);
    },
    fail(address, identity) {
      const t = now();
      const pair = count(pairs, pairId(address, identity), t);
      const byAddress = count(addresses, address, t);
      const byIdentity = count(identities, identity, t);
      if (pair && pair.count > maxPerPair) return tooMany(pair, t, PAIR);
      if (byAddress && byAddress.count > maxPerAddress) return tooMany(byAddress, t, 'from this address');
      if (byIdentity && byIdentity.count > maxPerIdentity) return tooMany(byIdentity, t, 'with this key or account');
      return undefined;
    },
  };
}
