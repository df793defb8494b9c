/**
 * At most `limit` holders per key (one key per LLM connection), waiters served in arrival order.
 * A waiter whose signal aborts leaves the line without taking a slot.
 */
export interface KeyedSemaphore {
  acquire(key: string, signal?: AbortSignal): Promise<() => void>;
  /** Holders of `key` right now. */
  held(key: string): number;
}

export function createKeyedSemaphore(limit: number): KeyedSemaphore {
  const holders = new Map<string, number>();
  const waiting = new Map<string, (() => void)[]>();
  const release = (key: string) => {
    const next = waiting.get(key)?.shift();
    if (next) return next(); // the slot passes straight to the next waiter
    const n = (holders.get(key) ?? 1) - 1;
    if (n === 0) holders.delete(key);
    else holders.set(key, n);
    if (waiting.get(key)?.length === 0) waiting.delete(key);
  };
  const once = (key: string) => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      release(key);
    };
  };
  return {
    held: (key) => holders.get(key) ?? 0,
    acquire(key, signal) {
      signal?.throwIfAborted();
      const n = holders.get(key) ?? 0;
      if (n < limit) {
        holders.set(key, n + 1);
        return Promise.resolve(once(key));
      }
      return new Promise((resolve, reject) => {
        const queue = waiting.get(key) ?? [];
        waiting.set(key, queue);
        const grant = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(once(key));
        };
        const onAbort = () => {
          const i = queue.indexOf(grant);
          if (i >= 0) queue.splice(i, 1);
          reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted while waiting for a slot'));
        };
        queue.push(grant);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
