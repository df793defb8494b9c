// Worker thread that commits ingestion for SQLite. The main thread keeps parsing and validating
// requests while this thread folds, writes and fsyncs, so the two halves of ingestion run on
// two cores. Messages are handled one at a time, in order.
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '@sightline/core';
import { applyEvents } from '../ingest/apply-events.js';
import { catchUpSearchIndex } from '../traces/search-index.js';
import type { IngestItem } from '../types.js';
import { connectionDb, inTransaction, openWriter, sqliteDialect } from './driver.js';

/** An ingestion commit, or one step of the search index's idle catch-up. */
type Request = { id: number; items: IngestItem[]; now: number } | { id: number; index: true };

const writer = openWriter((workerData as { file: string }).file);
// Statement journals in memory: a multi-row upsert of an ingestion commit keeps one, and the
// build's default (temp files) spilled each past 64 KiB to a file — about 2.4 more page writes
// per event (bench/RESULTS.md). An ingestion statement is bounded by its group (2,000 events), so
// the memory is too; this connection runs nothing else (no index builds, no large sorts).
writer.pragma('temp_store = MEMORY');
const db = connectionDb(writer);
let chain: Promise<void> = Promise.resolve();

function serialise(err: unknown) {
  if (err instanceof AppError) return { status: err.status, code: err.code, message: err.message, details: err.details };
  return { message: err instanceof Error ? err.message : String(err) };
}

async function handle(request: Request): Promise<void> {
  const { id } = request;
  try {
    if ('index' in request) {
      const left = await inTransaction(writer, db, (tx) => catchUpSearchIndex(tx, sqliteDialect));
      parentPort!.postMessage({ id, ok: true, left });
      return;
    }
    const { items, now } = request;
    await inTransaction(writer, db, (tx) => applyEvents(tx, sqliteDialect, items, now));
    parentPort!.postMessage({ id, ok: true });
  } catch (err) {
    parentPort!.postMessage({ id, ok: false, error: serialise(err) });
  }
}

parentPort!.on('message', (msg: Request | 'close') => {
  if (msg === 'close') {
    chain = chain.then(() => {
      writer.close();
      process.exit(0);
    });
    return;
  }
  chain = chain.then(() => handle(msg));
});
