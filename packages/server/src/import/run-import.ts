import type { Storage } from '@sightline/storage';
import { createCheckpoint, type ImportProgress } from './checkpoint.js';
import { copyDatasets } from './copy-datasets.js';
import { copyPrompts } from './copy-prompts.js';
import { copyScoreConfigs } from './copy-score-configs.js';
import { copyLooseScores, copyTraces } from './copy-traces.js';
import { createProgress, type ImportCounts } from './progress.js';
import { SourceError, type SourceClient } from './source-client.js';

export interface ImportOptions {
  source: SourceClient;
  storage: Storage;
  projectId: string;
  /** Where checkpoints live (`<dataDir>/import-checkpoints/`). */
  dataDir: string;
  fromTimestamp?: string;
  toTimestamp?: string;
  /** Traces per listed page (default 50; Langfuse allows at most 100). */
  pageSize?: number;
  /** Trace reads in flight at once (default 8). */
  concurrency?: number;
  /** The progress line's sink (stderr in the CLI). */
  log: (line: string) => void;
  failAfterPages?: number;
}

export interface ImportSummary extends ImportCounts {
  resumed: boolean;
  /** Entities the ingestion rules refused, each with the reason; the others were stored. */
  rejected: string[];
  warnings: string[];
}

const PHASES = ['score-configs', 'prompts', 'traces', 'scores', 'datasets'] as const;

function isoOrThrow(flag: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const ms = Date.parse(v);
  if (!Number.isFinite(ms)) throw new SourceError(`${flag}: "${v}" is not an ISO-8601 datetime`);
  return new Date(ms).toISOString();
}

/**
 * Copies a Langfuse-compatible project into `projectId`: score configs and prompts first (so
 * scores find their configs and generations link to
 * their prompt versions), then traces with their observations and scores (sessions follow from
 * the traces), then the scores no trace holds (of sessions and dataset runs), then datasets with
 * items and runs. Each phase, and each page of traces, is recorded
 * in a checkpoint as it completes; a rerun after an interruption continues from there and ends
 * with the same data as an uninterrupted run. Every write is idempotent, so running it again once
 * finished copies what changed and duplicates nothing.
 */
export async function runImport(o: ImportOptions): Promise<ImportSummary> {
  const checkpoint = createCheckpoint(o.dataDir, o.source.baseUrl, o.projectId);
  // A cheap authenticated read first: wrong keys or a wrong URL fail before anything is written.
  await o.source.get('projects');
  const saved = checkpoint.load();
  const now = new Date().toISOString();
  const state: ImportProgress = saved ?? {
    source: o.source.baseUrl, projectId: o.projectId, startedAt: now, done: [], position: 0, traces: 0,
    from: isoOrThrow('--from-timestamp', o.fromTimestamp), until: isoOrThrow('--to-timestamp', o.toTimestamp) ?? now,
  };
  if (saved) o.log(`import: resuming the import started ${saved.startedAt} (done: ${saved.done.join(', ') || 'nothing'}; ${saved.traces} traces) from ${checkpoint.path}`);
  const progress = createProgress(o.log, { traces: state.traces });
  const summary: ImportSummary = { ...progress.counts, resumed: saved !== null, rejected: [], warnings: [] };
  for (const phase of PHASES) {
    if (state.done.includes(phase)) continue;
    if (phase === 'score-configs') {
      await copyScoreConfigs(o.source, o.storage, o.projectId);
    } else if (phase === 'prompts') {
      const r = await copyPrompts(o.source, o.storage, o.projectId, (n) => progress.add(phase, { prompts: n }));
      summary.warnings.push(...r.warnings);
    } else if (phase === 'traces') {
      await copyTraces(o.source, o.storage, state, checkpoint, progress, { pageSize: o.pageSize ?? 50, concurrency: o.concurrency ?? 8, failAfterPages: o.failAfterPages }, summary.rejected);
    } else if (phase === 'scores') {
      await copyLooseScores(o.source, o.storage, state, progress, summary.rejected);
    } else {
      const r = await copyDatasets(o.source, o.storage, o.projectId, (n) => progress.add(phase, { datasetRows: n }));
      summary.warnings.push(...r.warnings);
    }
    if (phase !== 'score-configs') progress.flush(phase);
    state.done.push(phase);
    checkpoint.save(state);
  }
  checkpoint.clear();
  return { ...summary, ...progress.counts };
}
