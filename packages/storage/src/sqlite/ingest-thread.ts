import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, type AppErrorDetails } from '@sightline/core';
import type { IngestItem } from '../types.js';

/** Commits ingestion on a worker thread (see ingest-worker.ts). */
export interface IngestThread {
  ingest(items: IngestItem[], now: number): Promise<void>;
  /** One step of the search index's idle catch-up (traces/search-index.ts) in the thread's queue; resolves to the rows left noted. */
  indexSearch(): Promise<number>;
  close(): Promise<void>;
}

/** The worker could not be started; nothing of the request reached it. */
export class IngestThreadUnavailable extends Error {}

type Reply = { id: number; ok: true; left?: number } | { id: number; ok: false; error: { status?: number; code?: string; message: string; details?: AppErrorDetails } };

const revive = (e: Extract<Reply, { ok: false }>['error']) =>
  e.status !== undefined ? new AppError(e.status, e.code ?? 'error', e.message, e.details) : new Error(e.message);

/** The worker's entry script and its Node flags. */
export interface IngestWorkerScript {
  script: URL;
  execArgv: string[];
}

/**
 * Starts the ingestion thread for a SQLite file, or returns null where it cannot run: when the
 * worker script does not exist (the compiled one, when the code runs from TypeScript sources
 * without a loader) or when SIGHTLINE_SQLITE_INGEST_THREAD=0. The test fixtures pass a worker
 * that runs from sources. A crashed worker fails its pending commits and is replaced on the next
 * commit.
 */
export function startIngestThread(file: string, entry?: IngestWorkerScript): IngestThread | null {
  // The compiled worker needs none of the parent's flags: resolution conditions of a test
  // runner must not follow it, and some flags (--expose-gc) are refused in workers.
  const { script, execArgv } = entry ?? { script: new URL('./ingest-worker.js', import.meta.url), execArgv: [] };
  if (file === ':memory:' || process.env.SIGHTLINE_SQLITE_INGEST_THREAD === '0' || !existsSync(fileURLToPath(script))) return null;
  const pending = new Map<number, { resolve(left: number): void; reject(err: unknown): void }>();
  let nextId = 0;
  let worker: Worker | null = null;
  let closed = false;

  const spawn = (): Worker => {
    const w = new Worker(script, { workerData: { file }, execArgv });
    w.on('message', (reply: Reply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.left ?? 0);
      else p.reject(revive(reply.error));
    });
    const fail = (err: unknown) => {
      if (worker === w) worker = null;
      for (const p of pending.values()) p.reject(new AppError(503, 'storage_unavailable', `The ingestion thread stopped (${String(err)}); retry later`, { retryAfter: 1 }));
      pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(`exit code ${code}`));
    return w;
  };

  const send = (message: Record<string, unknown>): Promise<number> => {
    if (closed) return Promise.reject(new AppError(503, 'storage_closed', 'Storage is shutting down; retry later', { retryAfter: 1 }));
    try {
      worker ??= spawn();
    } catch (err) {
      // Nothing was sent: the caller commits on its own thread instead.
      return Promise.reject(new IngestThreadUnavailable(String(err)));
    }
    const id = nextId++;
    const w = worker;
    return new Promise<number>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.postMessage({ ...message, id });
    });
  };

  return {
    async ingest(items, now) {
      await send({ items, now });
    },
    indexSearch: () => send({ index: true }),
    async close() {
      closed = true;
      const w = worker;
      if (!w) return;
      await new Promise<void>((resolve) => {
        w.once('exit', () => resolve());
        w.postMessage('close');
      });
    },
  };
}
