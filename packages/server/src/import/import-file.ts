import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Storage } from '@sightline/storage';
import { createCheckpoint } from './checkpoint.js';
import { injectedFailure, writeTraces } from './copy-traces.js';
import { createProgress } from './progress.js';
import type { ImportSummary } from './run-import.js';
import { SourceError } from './source-client.js';
import type { SourceTrace } from './trace-events.js';

export interface FileImportOptions {
  file: string;
  storage: Storage;
  projectId: string;
  dataDir: string;
  /** Lines per commit (default 100). */
  pageSize?: number;
  log: (line: string) => void;
  failAfterPages?: number;
}

function parseLine(line: string, n: number, file: string): SourceTrace {
  let trace: unknown;
  try {
    trace = JSON.parse(line);
  } catch (err) {
    throw new SourceError(`${file}:${n}: not JSON (${(err as Error).message}); each line must be one trace as GET /api/public/traces/{id} answers it`);
  }
  const t = trace as Partial<SourceTrace> | null;
  if (typeof t !== 'object' || t === null || typeof t.id !== 'string' || typeof t.timestamp !== 'string') {
    throw new SourceError(`${file}:${n}: must be a trace object with an "id" and a "timestamp"`);
  }
  return t as SourceTrace;
}

/**
 * Imports a JSONL export (one trace per line in the `GET /api/public/traces/{id}` shape, as
 * `sightline export` writes it) through the same conversion and ingestion as an import from a
 * server. The checkpoint counts committed pages of lines, so a rerun skips them.
 */
export async function importFile(o: FileImportOptions): Promise<ImportSummary> {
  const file = resolve(o.file);
  const info = await stat(file).catch(() => {
    throw new SourceError(`--file: cannot read ${file}`);
  });
  const checkpoint = createCheckpoint(o.dataDir, `file:${file}:${info.size}`, o.projectId);
  const saved = checkpoint.load();
  const now = new Date().toISOString();
  const state = saved ?? { source: `file:${file}:${info.size}`, projectId: o.projectId, startedAt: now, until: now, done: [], position: 0, traces: 0 };
  if (saved) o.log(`import: resuming ${file} after ${saved.traces} traces (${checkpoint.path})`);
  const progress = createProgress(o.log, { traces: state.traces });
  const pageSize = o.pageSize ?? 100;
  const summary: ImportSummary = { ...progress.counts, resumed: saved !== null, rejected: [], warnings: [] };
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  let page: SourceTrace[] = [];
  let pagesThisRun = 0;
  const commit = async () => {
    await writeTraces(o.storage, o.projectId, page, progress, summary.rejected);
    page = [];
    state.position++;
    state.traces = progress.counts.traces;
    checkpoint.save(state);
    pagesThisRun++;
  };
  for await (const line of lines) {
    n++;
    if (Math.ceil(n / pageSize) <= state.position || line.trim() === '') continue;
    page.push(parseLine(line, n, file));
    if (n % pageSize === 0) {
      await commit();
      injectedFailure(pagesThisRun, o.failAfterPages);
    }
  }
  if (page.length > 0) await commit();
  progress.flush('traces');
  checkpoint.clear();
  return { ...summary, ...progress.counts };
}
