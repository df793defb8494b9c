import type { Storage } from '@sightline/storage';
import type { Checkpoint, ImportProgress } from './checkpoint.js';
import { allPages, mapConcurrent } from './paging.js';
import type { Progress } from './progress.js';
import { SourceError, type SourceClient } from './source-client.js';
import { importItem, scoresToEvents, traceToEvents, type SourceScore, type SourceTrace } from './trace-events.js';

export interface TraceCopyOptions {
  pageSize: number;
  /** Trace reads in flight at once. */
  concurrency: number;
  /** Test hook: throw after this many pages were written (an interrupted import). */
  failAfterPages?: number;
}

/** Writes converted traces in one ingestion commit; the refused entities are reported, the others stored. */
export async function writeTraces(storage: Storage, projectId: string, traces: SourceTrace[], progress: Progress, rejected: string[]): Promise<void> {
  const converted = traces.map(traceToEvents);
  for (const c of converted) rejected.push(...c.rejected);
  const item = importItem(projectId, converted);
  if (item.events.length > 0) await storage.ingest([item]);
  progress.add('traces', { traces: traces.length, rows: item.events.length });
}

/** A failure injected by tests where a kill would land: after a page is committed and checkpointed. */
export function injectedFailure(pagesThisRun: number, failAfter: number | undefined): void {
  if (failAfter !== undefined && pagesThisRun >= failAfter) throw new Error(`interrupted after ${pagesThisRun} pages (SIGHTLINE_IMPORT_FAIL_AFTER_PAGES)`);
}

/**
 * Copies the traces of the source up to the checkpoint's start time, oldest first, a page at a
 * time: the page is listed (ids only), each trace read in full (`GET /traces/{id}`: observations
 * and scores included), then the page is committed as one ingestion and the checkpoint moves
 * past it. A rerun after a kill continues at the first page not checkpointed; pages written but
 * not checkpointed are written again, which changes nothing.
 */
export async function copyTraces(source: SourceClient, storage: Storage, state: ImportProgress, checkpoint: Checkpoint, progress: Progress, o: TraceCopyOptions, rejected: string[]): Promise<void> {
  let pagesThisRun = 0;
  for (;;) {
    const page = state.position + 1;
    const list = await source
      .get<{ data: { id: string }[]; meta?: { totalPages?: number } }>('traces', {
        page, limit: o.pageSize, orderBy: 'timestamp.asc', fields: 'core', fromTimestamp: state.from, toTimestamp: state.until,
      })
      .catch((err: unknown) => {
        if (!(err instanceof SourceError) || err.status !== 404) throw err;
        throw new SourceError(
          `${err.message}\nThe source has no trace list: Langfuse v4 (and Langfuse Cloud since 2026-11-16) removed GET /api/public/traces. ` +
            'Import from the Langfuse v3 server before upgrading it, or from an export file (--file).',
          404,
        );
      });
    const full = await mapConcurrent(list.data, o.concurrency, (t) => source.getOrNull<SourceTrace>(`traces/${encodeURIComponent(t.id)}`));
    await writeTraces(storage, state.projectId, full.filter((t): t is SourceTrace => t !== null), progress, rejected);
    state.position = page;
    state.traces = progress.counts.traces;
    checkpoint.save(state);
    pagesThisRun++;
    const last = list.data.length < o.pageSize || (list.meta?.totalPages !== undefined && page >= list.meta.totalPages);
    if (last) return;
    injectedFailure(pagesThisRun, o.failAfterPages);
  }
}

/**
 * Scores that belong to no trace (those of sessions and dataset runs) are not in any trace's
 * detail: they are found by paging the score list and written a hundred at a time.
 */
export async function copyLooseScores(source: SourceClient, storage: Storage, state: ImportProgress, progress: Progress, rejected: string[]): Promise<void> {
  let batch: SourceScore[] = [];
  const flush = async () => {
    const converted = scoresToEvents(batch);
    rejected.push(...converted.rejected);
    if (converted.events.length > 0) await storage.ingest([importItem(state.projectId, [converted])]);
    progress.add('scores', { rows: converted.events.length });
    batch = [];
  };
  for await (const score of allPages<SourceScore>(source, 'v2/scores', { fromTimestamp: state.from, toTimestamp: state.until })) {
    if (score.traceId != null) continue;
    batch.push(score);
    if (batch.length >= 100) await flush();
  }
  if (batch.length > 0) await flush();
}
