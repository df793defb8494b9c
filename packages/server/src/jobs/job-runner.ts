import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AppError } from '@sightline/core';
import type { JobRecord, Storage } from '@sightline/storage';
import type { Logger } from '../logger.js';
import { DEFAULT_BACKOFF, retryDelay, type BackoffOptions } from './backoff.js';
import { JobError } from './job-error.js';
import type { JobKind } from './job-kind.js';
import { createKeyedSemaphore } from './keyed-semaphore.js';

export interface JobRunnerOptions {
  storage: Storage;
  logger: Logger;
  kinds: readonly JobKind[];
  /** Jobs running at once in this process; default 20. */
  concurrency?: number;
  /** Jobs of one concurrency key (one LLM connection) running at once; default 10. */
  perKeyConcurrency?: number;
  /** How long a claim holds a job without renewal (renewed every third of it); default 60 s. */
  leaseMs?: number;
  /** How often an idle runner looks for due jobs; default 500 ms. */
  pollMs?: number;
  backoff?: BackoffOptions;
  /** How long `drain` waits for running jobs before aborting and releasing them; default 10 s. */
  drainTimeoutMs?: number;
  /** The lease owner id; default host, pid and a random suffix. */
  owner?: string;
  random?: () => number;
}

export interface JobRunner {
  readonly owner: string;
  start(): void;
  /** Looks for due jobs now instead of at the next poll (after an enqueue). */
  wake(): void;
  /** Stops claiming, waits for running jobs (then aborts and releases the rest), stops renewing. */
  drain(): Promise<void>;
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));
/**
 * Permanent JobErrors and AppErrors (bad input, a missing connection, a secret under another key)
 * are not retried, except "unavailable" ones; anything else (a provider outage, a dropped
 * connection, a bug) is, up to the attempt limit.
 */
const isRetryable = (err: unknown) => (err instanceof JobError ? err.retryable : err instanceof AppError ? err.status === 503 || err.status === 429 : true);

/**
 * The durable job runner: claims due jobs from the database with leases (SKIP LOCKED on
 * PostgreSQL, so several instances share one queue), runs each through its kind's handler with
 * bounded concurrency overall and per key, renews the leases of what it runs, and records the
 * outcome fenced on the lease: succeeded with the result, queued again after a backoff (honouring
 * Retry-After), or failed with the reason once attempts run out. A process killed mid-job leaves
 * leases that expire, and the job is claimed again by whichever runner looks next.
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { storage, logger } = options;
  const concurrency = options.concurrency ?? 20;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 500;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const random = options.random ?? Math.random;
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const kinds = new Map(options.kinds.map((k) => [k.name, k]));
  const names = [...kinds.keys()];
  const semaphore = createKeyedSemaphore(options.perKeyConcurrency ?? 10);
  /** Every job holding a lease here, until its outcome is written (their leases are renewed). */
  const active = new Map<string, { controller: AbortController; done: Promise<void> }>();
  /** Jobs inside their handler: what `concurrency` bounds. */
  let working = 0;
  let stopping = false;
  let loop: Promise<void> | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let wakeUp: (() => void) | null = null;
  /** A wake that came while the loop was claiming: the next idle returns at once. */
  let woken = false;

  const wake = () => {
    if (wakeUp) wakeUp();
    else woken = true;
    wakeUp = null;
  };
  const idle = () =>
    new Promise<void>((resolve) => {
      if (woken) {
        woken = false;
        return resolve();
      }
      const timer = setTimeout(resolve, pollMs);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function settle(job: JobRecord, err: unknown, signal: AbortSignal): Promise<void> {
    const now = Date.now();
    if (signal.aborted && stopping) {
      await storage.jobs.release(job.id, owner, now);
      return;
    }
    const why = reason(err);
    if (isRetryable(err) && job.attempts < job.maxAttempts) {
      const delay = retryDelay(job.attempts, err instanceof JobError ? err.retryAfterMs : undefined, backoff, random);
      await storage.jobs.retry(job.id, owner, now + delay, why, now);
      logger.warn('job attempt failed; retrying', { job: job.id, kind: job.kind, attempt: job.attempts, inMs: delay, error: why });
    } else {
      await storage.jobs.fail(job.id, owner, job.attempts > 1 ? `${why} (attempt ${job.attempts} of ${job.maxAttempts})` : why, now);
      logger.warn('job failed', { job: job.id, kind: job.kind, attempts: job.attempts, error: why });
    }
  }

  async function run(job: JobRecord, controller: AbortController, handlerDone: () => void): Promise<void> {
    const { signal } = controller;
    const kind = kinds.get(job.kind)!;
    if (job.attempts > job.maxAttempts) {
      // Claimed again after its last attempt's process died: give up rather than loop on a job that kills its runner.
      await storage.jobs.fail(job.id, owner, `gave up after ${job.maxAttempts} attempts; the last one never finished${job.lastError ? ` (before: ${job.lastError})` : ''}`, Date.now());
      return;
    }
    const key = kind.concurrencyKey?.(job) ?? null;
    let release: (() => void) | null = null;
    // The job's slots (the runner's and its key's) free as soon as the handler is done, so the
    // next job starts while this one's outcome is being written.
    const handlerFinished = () => {
      release?.();
      handlerDone();
    };
    try {
      if (key !== null) release = await semaphore.acquire(key, signal);
      let result: unknown;
      try {
        result = await kind.run(job.payload, { job, signal });
      } finally {
        handlerFinished();
      }
      if (!(await storage.jobs.complete(job.id, owner, result, Date.now()))) {
        logger.warn('job lease lost before completion; its outcome is left to the new holder', { job: job.id, kind: job.kind });
      }
    } catch (err) {
      handlerFinished();
      await settle(job, err, signal);
    }
  }

  function launch(job: JobRecord): void {
    const controller = new AbortController();
    working++;
    let counted = true;
    const handlerDone = () => {
      if (!counted) return;
      counted = false;
      working--;
      wake();
    };
    const done = run(job, controller, handlerDone)
      .catch((err: unknown) => logger.error('job bookkeeping failed; the lease will expire and the job run again', { job: job.id, error: reason(err) }))
      .finally(() => {
        handlerDone();
        active.delete(job.id);
      });
    active.set(job.id, { controller, done });
  }

  async function claimLoop(): Promise<void> {
    while (!stopping) {
      woken = false;
      const free = concurrency - working;
      let claimed: JobRecord[] = [];
      if (free > 0) {
        try {
          claimed = await storage.jobs.claim({ owner, now: Date.now(), leaseMs, limit: free, kinds: names });
        } catch (err) {
          logger.error('claiming jobs failed', { error: reason(err) });
        }
        for (const job of claimed) launch(job);
      }
      // A full claim may have left more due jobs: look again at once; otherwise wait for a slot, a wake or the poll.
      if (stopping || (free > 0 && claimed.length === free && working < concurrency)) continue;
      await idle();
    }
  }

  async function renew(): Promise<void> {
    const ids = [...active.keys()];
    if (ids.length === 0) return;
    const now = Date.now();
    try {
      await storage.jobs.renew(owner, ids, now + leaseMs, now);
    } catch (err) {
      logger.error('renewing job leases failed', { error: reason(err) });
    }
  }

  return {
    owner,
    start() {
      if (loop || stopping) return;
      loop = claimLoop();
      heartbeat = setInterval(() => void renew(), Math.max(100, Math.floor(leaseMs / 3)));
      heartbeat.unref();
    },
    wake,
    async drain() {
      stopping = true;
      wake();
      await loop;
      const all = Promise.all([...active.values()].map((a) => a.done));
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, options.drainTimeoutMs ?? 10_000, 'timeout').unref());
      if ((await Promise.race([all, timeout])) === 'timeout') {
        for (const a of active.values()) a.controller.abort(new Error('the server is shutting down'));
        await all;
      }
      if (heartbeat) clearInterval(heartbeat);
    },
  };
}
