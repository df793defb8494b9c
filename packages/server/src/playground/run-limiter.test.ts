import { describe, expect, it } from 'vitest';
import { createRunLimiter } from './run-limiter.js';

describe('playground run limiter', () => {
  it('allows a few runs at once per user, then refuses with a 429 until one ends', () => {
    const limiter = createRunLimiter({ inFlight: 2, perMinute: 100 });
    const a = limiter.acquire('u1');
    limiter.acquire('u1');
    expect(() => limiter.acquire('u1')).toThrow(expect.objectContaining({ status: 429, message: expect.stringMatching(/at most 2 runs at once/) }));
    limiter.acquire('u2'); // another user is not held back
    a();
    a(); // releasing twice frees one slot only
    limiter.acquire('u1');
    expect(() => limiter.acquire('u1')).toThrow(expect.objectContaining({ status: 429 }));
  });

  it('caps the runs started per minute, with the seconds to wait as Retry-After', () => {
    let now = 1_000_000;
    const limiter = createRunLimiter({ inFlight: 10, perMinute: 3, now: () => now });
    for (let i = 0; i < 3; i++) {
      limiter.acquire('u1')();
      now += 1000;
    }
    expect(() => limiter.acquire('u1')).toThrow(expect.objectContaining({ status: 429, details: { retryAfter: 57 } }));
    now += 57_000;
    expect(() => limiter.acquire('u1')).not.toThrow();
  });
});
