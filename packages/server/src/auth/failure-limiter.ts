import { AppError } from '@sightline/core';

export interface FailureLimiterOptions {
  /** Failed authentications allowed per client address in one window (default 30). */
  maxPerAddress?: number;
  /** Failed authentications allowed per public key in one window (default 30). */
  maxPerKey?: number;
  /** Window length in ms (default 60 s). */
  windowMs?: number;
  /** Most addresses/keys tracked at once; beyond it the oldest windows are dropped (default 50k). */
  maxTracked?: number;
  now?: () => number;
}

export interface FailureLimiter {
  /** Throws a 429 with Retry-After when `address` has failed too often in the current window. */
  checkAddress(address: string | undefined): void;
  /** Throws a 429 with Retry-After when `publicKey` has failed too often (call only for a failed attempt). */
  checkKey(publicKey: string | undefined): void;
  /** Counts one failed authentication against the address and the public key. */
  fail(address: string | undefined, publicKey: string | undefined): void;
}

interface Window {
  start: number;
  count: number;
}

/**
 * Per-process limits on failed authentications, in fixed windows. An address over its limit is
 * refused before its credentials are looked at (so guessing cannot go on at full speed); a
 * public key over its limit only turns further *failures* into 429s, so someone hammering a
 * key with wrong secrets cannot lock out its owner. Memory is bounded by `maxTracked`.
 */
export function createFailureLimiter(options: FailureLimiterOptions = {}): FailureLimiter {
  const maxPerAddress = options.maxPerAddress ?? 30;
  const maxPerKey = options.maxPerKey ?? 30;
  const windowMs = options.windowMs ?? 60_000;
  const maxTracked = options.maxTracked ?? 50_000;
  const now = options.now ?? Date.now;
  const addresses = new Map<string, Window>();
  const keys = new Map<string, Window>();

  const current = (map: Map<string, Window>, id: string, t: number): Window | undefined => {
    const w = map.get(id);
    if (w && t - w.start >= windowMs) {
      map.delete(id);
      return undefined;
    }
    return w;
  };
  const refuse = (w: Window | undefined, max: number, t: number, what: string): void => {
    if (!w || w.count < max) return;
    const retryAfter = Math.max(1, Math.ceil((w.start + windowMs - t) / 1000));
    throw new AppError(429, 'too_many_auth_failures', `Too many failed authentications from this ${what}; retry in ${retryAfter} s`, { retryAfter });
  };
  const count = (map: Map<string, Window>, id: string, t: number): void => {
    const w = current(map, id, t);
    if (w) {
      w.count++;
      return;
    }
    if (map.size >= maxTracked) {
      // Maps iterate in insertion order: the first entries hold the oldest windows.
      for (const old of map.keys()) {
        map.delete(old);
        if (map.size < maxTracked / 2) break;
      }
    }
    map.set(id, { start: t, count: 1 });
  };

  return {
    checkAddress(address) {
      if (address) refuse(current(addresses, address, now()), maxPerAddress, now(), 'address');
    },
    checkKey(publicKey) {
      if (publicKey) refuse(current(keys, publicKey, now()), maxPerKey, now(), 'key');
    },
    fail(address, publicKey) {
      const t = now();
      if (address) count(addresses, address, t);
      if (publicKey) count(keys, publicKey, t);
    },
  };
}
