import { randomUUID } from 'node:crypto';
import type { Storage } from '@sightline/storage';
import type { Logger } from '../logger.js';
import { deleteTraceMedia } from '../media/delete-trace-media.js';
import type { MediaDeps } from '../media/media-deps.js';

const DAY = 86_400_000;

export interface RetentionSweeperOptions {
  storage: Storage;
  logger: Logger;
  /** Where the media of deleted traces is; without it only the media rows go. */
  media?: MediaDeps;
  /** Time between the end of one sweep and the start of the next (SIGHTLINE_RETENTION_INTERVAL_MS). */
  intervalMs: number;
  /** Traces deleted per transaction. */
  batchSize?: number;
  /**
   * Fixed pause between batches. Default: as long as the batch took (at least 10 ms), so
   * ingestion has the database at least half the time while a sweep runs.
   */
  pauseMs?: number;
  /** How long a project's lease lasts without renewal (renewed every batch). */
  leaseMs?: number;
  now?: () => number;
}

/** What one sweep deleted. */
export interface SweepResult {
  traces: number;
  orphans: number;
  /** Projects another sweeper was working on. */
  skipped: number;
}

export interface RetentionSweeper {
  /** Sweeps every project with a period once. */
  runOnce(): Promise<SweepResult>;
  /** Sweeps soon, then again `intervalMs` after each sweep ends. */
  start(): void;
  /** Stops after the current batch; resolves once no sweep runs. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Deletes, per project with a retention period, everything older than now minus the period:
 * traces by their timestamp (with what they own), observations and scores without a stored
 * trace, and the media of deleted traces (rows and blobs). Works in bounded batches with a
 * pause between them so ingestion is never held up for long; a project is swept by one server
 * at a time (a lease row renewed every batch), and the deletion itself is safe against
 * concurrent ingestion and other deletions (storage re-checks every row under its locks).
 */
export function createRetentionSweeper(options: RetentionSweeperOptions): RetentionSweeper {
  const { storage, logger, intervalMs } = options;
  const batchSize = options.batchSize ?? 500;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const holder = randomUUID();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<SweepResult> | null = null;

  const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const lease = (projectId: string) => storage.retention.lease(projectId, holder, now(), now() + leaseMs);

  async function sweepProject(projectId: string, days: number, result: SweepResult): Promise<void> {
    const started = performance.now();
    const cutoff = now() - days * DAY;
    let traces = 0;
    let orphans = 0;
    for (;;) {
      const batchStarted = performance.now();
      const batch = await storage.retention.deleteExpired(projectId, cutoff, batchSize);
      if (batch.traceIds.length > 0) await deleteTraceMedia({ storage, media: options.media, logger }, projectId, batch.traceIds);
      traces += batch.traceIds.length;
      orphans += batch.orphans;
      if ((batch.traceIds.length < batchSize && batch.orphans === 0) || stopped) break;
      await pause(options.pauseMs ?? Math.max(10, performance.now() - batchStarted));
      if (!(await lease(projectId))) break;
    }
    // Media links left by a sweep interrupted between deleting traces and their media.
    for (let stale = await storage.retention.staleMediaTraces(projectId, cutoff, batchSize); stale.length > 0 && !stopped; ) {
      await deleteTraceMedia({ storage, media: options.media, logger }, projectId, stale);
      stale = stale.length < batchSize ? [] : await storage.retention.staleMediaTraces(projectId, cutoff, batchSize);
    }
    result.traces += traces;
    result.orphans += orphans;
    if (traces + orphans > 0) logger.info('retention deleted expired data', { projectId, days, traces, orphans, ms: Math.round(performance.now() - started) });
  }

  async function sweep(): Promise<SweepResult> {
    const result: SweepResult = { traces: 0, orphans: 0, skipped: 0 };
    for (const { projectId, days } of await storage.retention.list()) {
      if (stopped) break;
      if (!(await lease(projectId))) {
        result.skipped++;
        continue;
      }
      try {
        await sweepProject(projectId, days, result);
      } finally {
        await storage.retention.release(projectId, holder);
      }
    }
    return result;
  }

  function runOnce(): Promise<SweepResult> {
    running ??= sweep().finally(() => {
      running = null;
    });
    return running;
  }

  function schedule(delay: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce().then(
        () => schedule(intervalMs),
        (err: unknown) => {
          logger.error('retention sweep failed', { error: String(err) });
          schedule(intervalMs);
        },
      );
    }, delay);
    timer.unref();
  }

  return {
    runOnce,
    start: () => schedule(Math.min(intervalMs, 30_000)),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
