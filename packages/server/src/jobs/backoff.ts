export interface BackoffOptions {
  /** Delay before the second attempt; doubles per attempt. */
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 5 * 60_000 };

/**
 * Delay before attempt `attempt + 1`: the provider's Retry-After when it sent one (plus up to
 * 10% jitter, so instances told the same instant do not return in lockstep); else exponential
 * backoff with "equal jitter" (half fixed, half random), which keeps a floor and spreads retries.
 */
export function retryDelay(attempt: number, retryAfterMs: number | undefined, options: BackoffOptions, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.round(retryAfterMs * (1 + 0.1 * random()));
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}
