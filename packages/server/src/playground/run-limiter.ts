import { AppError } from '@sightline/core';

export interface RunLimiterOptions {
  /** Runs one user may have streaming at once (default 2). */
  inFlight?: number;
  /** Runs one user may start per minute (default 30). */
  perMinute?: number;
  now?: () => number;
}

export interface RunLimiter {
  /** Takes a slot for `userId` or throws a 429 with Retry-After; call the returned function once the run ends. */
  acquire(userId: string): () => void;
}

/**
 * Per-user limits of playground runs, so one browser tab cannot spend a project's provider budget
 * in a loop. Kept in this process: with several instances each one applies its own.
 */
export function createRunLimiter(options: RunLimiterOptions = {}): RunLimiter {
  const maxInFlight = options.inFlight ?? 2;
  const perMinute = options.perMinute ?? 30;
  const now = options.now ?? Date.now;
  const running = new Map<string, number>();
  const starts = new Map<string, number[]>();
  return {
    acquire(userId) {
      const t = now();
      const recent = (starts.get(userId) ?? []).filter((s) => s > t - 60_000);
      if (recent.length >= perMinute) {
        const retryAfter = Math.max(1, Math.ceil((recent[0] + 60_000 - t) / 1000));
        throw new AppError(429, 'rate_limited', `Playground: at most ${perMinute} runs per minute; try again in ${retryAfter} s`, { retryAfter });
      }
      const active = running.get(userId) ?? 0;
      if (active >= maxInFlight) {
        throw new AppError(429, 'rate_limited', `Playground: at most ${maxInFlight} runs at once; wait for one to finish or cancel it`, { retryAfter: 1 });
      }
      recent.push(t);
      starts.set(userId, recent);
      running.set(userId, active + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (running.get(userId) ?? 1) - 1;
        if (left <= 0) running.delete(userId);
        else running.set(userId, left);
      };
    },
  };
}
