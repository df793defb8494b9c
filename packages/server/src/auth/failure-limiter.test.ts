import { describe, expect, it } from 'vitest';
import { createFailureLimiter } from './failure-limiter.js';

describe('failure limiter', () => {
  it('refuses an address after its limit of failures until the window ends, with Retry-After', () => {
    let t = 0;
    const limiter = createFailureLimiter({ maxPerAddress: 3, windowMs: 10_000, now: () => t });
    for (let i = 0; i < 3; i++) {
      limiter.checkAddress('1.2.3.4');
      limiter.fail('1.2.3.4', undefined);
    }
    t = 4_000;
    expect(() => limiter.checkAddress('1.2.3.4')).toThrow(expect.objectContaining({ status: 429, details: { retryAfter: 6 } }));
    expect(() => limiter.checkAddress('5.6.7.8')).not.toThrow();
    t = 10_000;
    expect(() => limiter.checkAddress('1.2.3.4')).not.toThrow();
  });

  it('limits failures per public key separately, and ignores unknown addresses (in-process requests)', () => {
    const limiter = createFailureLimiter({ maxPerKey: 2, maxPerAddress: 2 });
    limiter.fail(undefined, 'pk-1');
    limiter.fail(undefined, 'pk-1');
    expect(() => limiter.checkKey('pk-1')).toThrow(expect.objectContaining({ status: 429 }));
    expect(() => limiter.checkKey('pk-2')).not.toThrow();
    expect(() => limiter.checkAddress(undefined)).not.toThrow();
  });

  it('keeps memory bounded: beyond maxTracked the oldest windows are dropped', () => {
    const limiter = createFailureLimiter({ maxPerAddress: 1, maxTracked: 100 });
    for (let i = 0; i < 1_000; i++) limiter.fail(`10.0.${i >> 8}.${i & 255}`, undefined);
    // The newest address is still tracked (and over its limit of 1); the first was dropped.
    expect(() => limiter.checkAddress('10.0.3.231')).toThrow();
    expect(() => limiter.checkAddress('10.0.0.0')).not.toThrow();
  });
});
