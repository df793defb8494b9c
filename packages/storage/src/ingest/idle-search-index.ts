/** Quiet time after the last ingestion commit before the search index takes a step. */
export const SEARCH_IDLE_MS = 50;

/** Wait before a failed step is tried again. */
const RETRY_MS = 1000;

export interface IdleSearchIndexOptions {
  /** Moves one batch of noted rows into the index; resolves to the rows left noted. */
  step(): Promise<number>;
  /** No ingestion commit runs or waits. */
  idle(): boolean;
  /** Steps continue while at least this many rows are left noted. */
  threshold: number;
  delayMs?: number;
}

export interface IdleSearchIndex {
  /** Ingestion went idle (or storage opened): take a step once it has stayed idle for the delay. */
  poke(): void;
  /** No step starts after this; resolves once a running one ends. */
  close(): Promise<void>;
}

/**
 * SQLite's search index written in idle time (traces/search-index.ts): ingestion commits only
 * note their rows while the backlog is below its bound, and this takes steps of the backlog
 * whenever ingestion has been idle for `delayMs` — one transaction each, so a request that
 * arrives meanwhile waits for one step at most (≈ 60 ms), then goes first: the next step waits
 * for the next idle moment. A failed step (the file busy, say) is tried again a second later.
 */
export function idleSearchIndex({ step, idle, threshold, delayMs = SEARCH_IDLE_MS }: IdleSearchIndexOptions): IdleSearchIndex {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;
  let closed = false;

  const schedule = (ms = delayMs) => {
    if (closed || timer || running) return;
    timer = setTimeout(fire, ms);
    timer.unref?.();
  };

  async function take(): Promise<void> {
    let left = 0;
    let failed = false;
    try {
      left = await step();
    } catch {
      failed = true;
    }
    running = null;
    // A failed step is tried again a second later (or when ingestion next goes idle, if sooner).
    if (failed) schedule(Math.max(delayMs, RETRY_MS));
    else if (left >= threshold && idle()) schedule();
  }

  function fire() {
    timer = null;
    if (closed || running || !idle()) return;
    running = take();
  }

  return {
    poke: () => schedule(),
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
