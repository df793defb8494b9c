import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { TraceRecord } from '@sightline/core';
import type { ExportFormat, Storage } from '@sightline/storage';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Logger } from '../logger.js';
import { encodeExport } from './encode-export.js';
import { exportObjectKey, nextRunAfter } from './schedule-times.js';
import { changedTracePages } from './trace-pages.js';
import { traceDocuments, type TraceDocument } from './trace-documents.js';

export interface ScheduledExportDeps {
  storage: Storage;
  blobs: BlobStore;
  logger: Logger;
  /** This process's name in run leases. */
  owner?: string;
  now?: () => number;
  /**
   * How far behind the clock a run's window ends (ms, default 60 s): events whose commit may
   * still be in flight when the run starts belong to the next run.
   */
  settleMs?: number;
  /** How long a run's lease lasts before another instance may take over (ms, default 10 min); renewed while it runs. */
  leaseMs?: number;
}

/** What one run did. */
export interface ExportRunOutcome {
  projectId: string;
  /** Blob keys written; empty when nothing changed since the last run. */
  objectKeys: string[];
  traceCount: number;
  windowStart: number;
  windowEnd: number;
}

/** Retry a failed run after this long (or at its regular time, if sooner). */
const RETRY_MS = 5 * 60_000;

export const processOwner = (): string => `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;

/**
 * Runs a project's scheduled export if its lease can be taken (due, unless `force`): writes the
 * traces that changed since the watermark — their trace, observations or scores had events in
 * the event log — as one object per format, then moves the watermark. Returns null when another
 * instance holds the schedule or it is not due; throws (after recording the failure) when the run fails.
 */
export async function runScheduledExport(deps: ScheduledExportDeps, projectId: string, options: { force?: boolean } = {}): Promise<ExportRunOutcome | null> {
  const { storage } = deps;
  const now = (deps.now ?? Date.now)();
  const owner = deps.owner ?? processOwner();
  const leaseMs = deps.leaseMs ?? 10 * 60_000;
  if (!(await storage.exports.claim(projectId, owner, now, leaseMs, options.force))) return null;
  const schedule = await storage.exports.get(projectId);
  if (!schedule) return null;
  try {
    const windowEnd = now - (deps.settleMs ?? 60_000);
    const windowStart = schedule.watermarkAt ?? 0;
    const toSeq = Math.max(schedule.watermarkSeq, await storage.exports.horizon(windowEnd));
    const objectKeys: string[] = [];
    let traceCount = 0;
    if (toSeq > schedule.watermarkSeq) {
      const renewing = keepLease(deps, projectId, owner, leaseMs);
      for (const format of schedule.formats) {
        const key = exportObjectKey(projectId, windowStart, windowEnd, format);
        const pages = renewing(changedTracePages(storage, projectId, schedule.watermarkSeq, toSeq));
        const written = await writeObject(deps.blobs, key, traceDocuments(storage, projectId, pages), format);
        if (written === 0) continue;
        objectKeys.push(key);
        traceCount = written;
      }
    }
    const recorded = await storage.exports.succeed(projectId, owner, {
      at: now, watermarkSeq: toSeq, watermarkAt: windowEnd, nextRunAt: nextRunAfter(schedule.frequency, now), objectKeys, traceCount,
    });
    if (!recorded) throw new Error('the run lease was lost before the run finished; the next run exports this window again');
    deps.logger.info('scheduled export done', { projectId, objectKeys, traceCount });
    return { projectId, objectKeys, traceCount, windowStart, windowEnd };
  } catch (err) {
    await storage.exports.fail(projectId, owner, err instanceof Error ? err.message : String(err), now, Math.min(now + RETRY_MS, nextRunAfter(schedule.frequency, now)));
    throw err;
  }
}

/** Writes the documents as one object; returns how many traces it holds (0: nothing written). */
async function writeObject(blobs: BlobStore, key: string, docs: AsyncGenerator<TraceDocument[]>, format: ExportFormat): Promise<number> {
  const first = await docs.next();
  if (first.done) return 0;
  let count = 0;
  async function* all(): AsyncGenerator<TraceDocument[]> {
    yield first.value as TraceDocument[];
    yield* docs;
  }
  const encoder = new TextEncoder();
  async function* bytes(): AsyncGenerator<Uint8Array> {
    for await (const chunk of encodeExport(all(), format, (n) => (count = n))) yield encoder.encode(chunk);
  }
  await blobs.put(key, bytes());
  return count;
}

/** Passes pages through, renewing the run lease every third of its length; throws when another instance took it over. */
function keepLease(deps: ScheduledExportDeps, projectId: string, owner: string, leaseMs: number) {
  const clock = deps.now ?? Date.now;
  return async function* (pages: AsyncIterable<TraceRecord[]>): AsyncGenerator<TraceRecord[]> {
    let renewed = clock();
    for await (const page of pages) {
      if (clock() - renewed > leaseMs / 3) {
        renewed = clock();
        if (!(await deps.storage.exports.renew(projectId, owner, renewed + leaseMs))) throw new Error('the run lease was taken over by another instance');
      }
      yield page;
    }
  };
}
