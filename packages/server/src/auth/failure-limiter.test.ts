import { describe, expect, it } from 'vitest';
import { createFailureLimiter } from './failure-limiter.js';

describe('failure limiter', () => {
  it("answers 429 with Retry-After for an address's failures beyond its limit until the window ends", () => {
    let t = 0;
    const limiter = createFailureLimiter({ maxPerAddress: 3, windowMs: 10_000, now: () => t });
    for (let i = 0; i < 3; i++) expect(limiter.fail('1.2.3.4', `pk-${i}`)).toBeUndefined();
    t = 4_000;
    expect(limiter.fail('1.2.3.4', 'pk-x')).toMatchObject({ status: 429, details: { retryAfter: 6 } });
    expect(limiter.fail('5.6.7.8', 'pk-y')).toBeUndefined();
    t = 10_000;
    expect(limiter.fail('1.2.3.4', 'pk-z')).toBeUndefined();
  });

  it('limits failures per identity across addresses, and ignores unknown addresses (in-process requests)', () => {
    const limiter = createFailureLimiter({ maxPerIdentity: 2, maxPerAddress: 2 });
    expect(limiter.fail('10.0.0.1', 'pk-1')).toBeUndefined();
    expect(limiter.fail('10.0.0.2', 'pk-1')).toBeUndefined();
    expect(limiter.fail('10.0.0.3', 'pk-1')).toMatchObject({ status: 429 });
    expect(limiter.fail('10.0.0.4', 'pk-2')).toBeUndefined();
    for (let i = 0; i < 5; i++) limiter.fail(undefined, `pk-anon-${i}`);
    expect(() => limiter.checkPair(undefined, 'pk-1')).not.toThrow();
  });

  it("refuses a pair before the credential only for that address's own failures on that identity", () => {
    const limiter = createFailureLimiter({ maxPerIdentity: 3, maxPerAddress: 100 });
    for (let i = 0; i < 3; i++) limiter.fail('198.51.100.1', 'victim@example.com');
    expect(() => limiter.checkPair('198.51.100.1', 'victim@example.com')).toThrow(expect.objectContaining({ status: 429 }));
    // The victim elsewhere, and the guesser on other accounts, are heard.
    expect(() => limiter.checkPair('203.0.113.9', 'victim@example.com')).not.toThrow();
    expect(() => limiter.checkPair('198.51.100.1', 'other@example.com')).not.toThrow();
  });

  it('keeps memory bounded: beyond maxTracked the oldest windows are dropped', () => {
    const limiter = createFailureLimiter({ maxPerAddress: 1, maxTracked: 100 });
    for (let i = 0; i < 1_000; i++) limiter.fail(`10.0.${i >> 8}.${i & 255}`, undefined);
    // The newest address is still tracked (one more failure is over its limit of 1); the first was dropped.
    expect(limiter.fail('10.0.3.231', undefined)).toMatchObject({ status: 429 });
    expect(limiter.fail('10.0.0.0', undefined)).toBeUndefined();
  });
});
