import { AppError } from '@sightline/core';
import type { IngestItem, Storage } from '@sightline/storage';
import type { Logger } from '../logger.js';

export interface IngestorOptions {
  /** Events waiting for a commit beyond which new requests are refused with 503 (default 200k). */
  maxQueuedEvents?: number;
  /** Events per transaction at most (default 10k); the rest wait for the next commit. */
  maxEventsPerCommit?: number;
  /** Transactions in flight at once: 1 for a single-writer engine (SQLite), default 4 otherwise. */
  concurrentCommits?: number;
}

export interface Ingestor {
  /** Resolves once the item's events are durably committed and readable. */
  submit(item: IngestItem): Promise<void>;
  /** Resolves when everything submitted so far is committed (or failed). */
  drain(): Promise<void>;
  readonly queuedEvents: number;
}

interface Pending {
  item: IngestItem;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Group commit: requests that arrive while a transaction is running wait and are committed
 * together in the next one, so throughput grows with concurrency while each request still
 * gets its answer only after its own events are committed. If a shared commit fails, its
 * requests are retried one by one so one request can never fail another.
 */
export function createIngestor(storage: Storage, logger: Logger, options: IngestorOptions = {}): Ingestor {
  const maxQueued = options.maxQueuedEvents ?? 200_000;
  const maxPerCommit = options.maxEventsPerCommit ?? 10_000;
  const workers = storage.capabilities.singleWriter ? 1 : Math.max(1, options.concurrentCommits ?? 4);
  const queue: Pending[] = [];
  let queuedEvents = 0;
  const running = new Set<Promise<void>>();

  async function commit(batch: Pending[]): Promise<void> {
    try {
      await storage.ingest(batch.map((p) => p.item));
      for (const p of batch) p.resolve();
    } catch (err) {
      if (batch.length === 1) {
        logger.error('ingestion commit failed', { error: String(err) });
        batch[0].reject(new AppError(503, 'storage_unavailable', 'The events could not be stored; retry later', { retryAfter: 1 }));
        return;
      }
      for (const p of batch) await commit([p]);
    }
  }

  /** One committer: takes what is queued (up to the per-commit cap), commits it, repeats until the queue is empty. */
  async function loop(): Promise<void> {
    while (queue.length > 0) {
      const batch: Pending[] = [];
      let n = 0;
      while (queue.length > 0 && (batch.length === 0 || n + queue[0].item.events.length <= maxPerCommit)) {
        const p = queue.shift()!;
        n += p.item.events.length;
        batch.push(p);
      }
      await commit(batch);
      queuedEvents -= n;
    }
  }

  let active = 0;
  function startCommitter(): void {
    if (active >= workers) return;
    active++;
    const self: { done?: Promise<void> } = {};
    self.done = (async () => {
      // setImmediate lets the requests of this turn of the event loop join the same commit.
      await new Promise<void>((r) => setImmediate(r));
      try {
        await loop();
      } finally {
        active--;
        if (self.done) running.delete(self.done);
        // An item queued while this committer was finishing must not wait for the next request.
        if (queue.length > 0) startCommitter();
      }
    })();
    running.add(self.done);
  }

  return {
    get queuedEvents() {
      return queuedEvents;
    },
    submit(item) {
      if (item.events.length === 0) return Promise.resolve();
      if (queuedEvents + item.events.length > maxQueued && queuedEvents > 0) {
        return Promise.reject(new AppError(503, 'overloaded', 'Too many events are waiting to be stored; retry later', { retryAfter: 1 }));
      }
      return new Promise<void>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        queuedEvents += item.events.length;
        startCommitter();
      });
    },
    async drain() {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
