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
  /** Raw JSON bytes waiting for a commit beyond which new requests are refused with 503 (default 64 MiB). */
  maxQueuedBytes?: number;
  /** Wall clock in epoch ms (default `Date.now`); tests move it to end a Retry-After window. */
  now?: () => number;
}

export interface Ingestor {
  /** Resolves once the item's events are durably committed and readable. */
  submit(item: IngestItem): Promise<void>;
  /** Resolves when everything submitted so far is committed (or failed). */
  drain(): Promise<void>;
  readonly queuedEvents: number;
  /**
   * Calls `listener` after each commit with the items it made readable (the UI's live mode) and
   * how long the transaction took (the /metrics commit latency); returns an unsubscribe.
   */
  onCommit(listener: (items: IngestItem[], info: CommitInfo) => void): () => void;
}

export interface CommitInfo {
  /** Wall time of the storage transaction, in seconds. */
  seconds: number;
}

interface Pending {
  item: IngestItem;
  bytes: number;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Group commit: requests that arrive while a transaction is running wait and are committed
 * together in the next one, so throughput grows with concurrency while each request still
 * gets its answer only after its own events are committed. If a shared commit fails, its
 * requests are retried one by one so one request can never fail another — unless the storage
 * says it is unavailable (a 503: database down, stalled or disk full). Then retrying one by one
 * would only multiply the wait, so the whole group and everything queued behind it get the 503
 * at once, and new requests are refused for the Retry-After period: clients back off instead of
 * piling up behind a database that is not there.
 */
export function createIngestor(storage: Storage, logger: Logger, options: IngestorOptions = {}): Ingestor {
  const maxQueued = options.maxQueuedEvents ?? 200_000;
  const maxPerCommit = options.maxEventsPerCommit ?? 10_000;
  const maxBytes = options.maxQueuedBytes ?? 64 * 1024 * 1024;
  const now = options.now ?? Date.now;
  const workers = storage.capabilities.singleWriter ? 1 : Math.max(1, options.concurrentCommits ?? 4);
  const queue: Pending[] = [];
  let queuedEvents = 0;
  let queuedBytes = 0;
  let unavailable: { error: AppError; until: number } | null = null;
  const running = new Set<Promise<void>>();
  const commitListeners = new Set<(items: IngestItem[], info: CommitInfo) => void>();
  const notifyCommitted = (batch: Pending[], info: CommitInfo): void => {
    for (const listener of commitListeners) {
      try {
        listener(batch.map((p) => p.item), info);
      } catch (err) {
        logger.error('commit listener failed', { error: String(err) });
      }
    }
  };

  const isUnavailable = (err: unknown): err is AppError => err instanceof AppError && err.status === 503;
  /** Takes a request off the books before answering it, so its caller sees the room it freed. */
  const settle = (p: Pending, err?: unknown) => {
    queuedEvents -= p.item.events.length;
    queuedBytes -= p.bytes;
    if (err === undefined) p.resolve();
    else p.reject(err);
  };

  function refuseAll(batch: Pending[], error: AppError): void {
    const retryAfter = error.details?.retryAfter ?? 1;
    unavailable = { error, until: now() + retryAfter * 1000 };
    logger.error('storage unavailable; refusing ingestion for a while', { error: error.message, retryAfter, refused: batch.length + queue.length });
    for (const p of [...batch, ...queue.splice(0)]) settle(p, error);
  }

  async function commit(batch: Pending[]): Promise<void> {
    try {
      const started = performance.now();
      await storage.ingest(batch.map((p) => p.item));
      const seconds = (performance.now() - started) / 1000;
      for (const p of batch) settle(p);
      notifyCommitted(batch, { seconds });
    } catch (err) {
      if (isUnavailable(err)) return refuseAll(batch, err);
      if (batch.length === 1) {
        logger.error('ingestion commit failed', { error: String(err) });
        settle(batch[0], new AppError(503, 'storage_unavailable', 'The events could not be stored; retry later', { retryAfter: 1 }));
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
      if (unavailable && now() < unavailable.until) return Promise.reject(unavailable.error);
      const bytes = item.raw.reduce((n, r) => n + r.length, 0);
      if ((queuedEvents + item.events.length > maxQueued || queuedBytes + bytes > maxBytes) && queuedEvents > 0) {
        return Promise.reject(new AppError(503, 'overloaded', 'Too many events are waiting to be stored; retry later', { retryAfter: 1 }));
      }
      return new Promise<void>((resolve, reject) => {
        queue.push({ item, bytes, resolve, reject });
        queuedEvents += item.events.length;
        queuedBytes += bytes;
        startCommitter();
      });
    },
    onCommit(listener) {
      commitListeners.add(listener);
      return () => commitListeners.delete(listener);
    },
    async drain() {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
