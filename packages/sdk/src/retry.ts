import type { Transport, TransportResponse } from './transport.js';

/**
 * When and how often {@link withRetry} tries again.
 * @example `new Sightline({ retry: { maxAttempts: 5, deadlineMs: 10_000 } })`
 */
export interface RetryPolicy {
  /** Attempts in total, the first included (default 10). */
  maxAttempts?: number;
  /** Backoff before the first retry, doubled on each further one (default 250 ms). */
  initialDelayMs?: number;
  /** Cap of one backoff (default 8 000 ms). A longer `Retry-After` is still honoured. */
  maxDelayMs?: number;
  /** No attempt starts after this long from the first one (default 20 000 ms). */
  deadlineMs?: number;
  /** Source of jitter in [0, 1); injectable for tests. */
  random?: () => number;
}

/**
 * Statuses a retry can help with: timeouts, rate limits and server errors. 4xx otherwise means "fix the request".
 * @example `isRetryableStatus(503) === true; isRetryableStatus(400) === false`
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Milliseconds a `Retry-After` header asks to wait: delta-seconds or an HTTP date. Undefined
 * when absent or unparsable.
 * @example `retryAfterMs('2') === 2000`
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Wraps a transport so that network errors, 408, 429 and 5xx are retried with exponential
 * backoff and equal jitter, honouring `Retry-After`, and never past the deadline. Any other
 * answer (including 400) is returned at once. After the last attempt the last response is
 * returned, or the last network error rethrown.
 * @example
 * ```ts
 * const transport = withRetry(createFetchTransport(options), { deadlineMs: 5_000 });
 * ```
 */
export function withRetry(inner: Transport, policy: RetryPolicy = {}): Transport {
  const maxAttempts = policy.maxAttempts ?? 10;
  const initial = policy.initialDelayMs ?? 250;
  const maxDelay = policy.maxDelayMs ?? 8_000;
  const deadlineMs = policy.deadlineMs ?? 20_000;
  const random = policy.random ?? Math.random;
  return {
    async send(request) {
      const deadline = Date.now() + deadlineMs;
      for (let attempt = 1; ; attempt++) {
        let response: TransportResponse | undefined;
        let failure: unknown;
        try {
          response = await inner.send(request);
          if (!isRetryableStatus(response.status)) return response;
        } catch (e) {
          if (request.signal?.aborted) throw e;
          failure = e;
        }
        const backoff = Math.min(maxDelay, initial * 2 ** (attempt - 1));
        const asked = response ? retryAfterMs(response.headers.get('retry-after')) : undefined;
        const delay = asked ?? backoff / 2 + (random() * backoff) / 2;
        if (attempt >= maxAttempts || Date.now() + delay > deadline) {
          if (response) return response;
          throw failure;
        }
        await sleep(delay, request.signal, true);
      }
    },
  };
}

/**
 * Resolves after `ms`, or rejects as soon as `signal` aborts. With `unref`, the wait does not
 * keep a Node process alive: a backoff must never hold the host's exit hostage (flush() and
 * the exit drain wait with their own ref'd timers).
 */
export function sleep(ms: number, signal?: AbortSignal, unref = false): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (unref && typeof timer === 'object' && typeof timer.unref === 'function') timer.unref();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
