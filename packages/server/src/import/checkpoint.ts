import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** How far an unfinished import got; `sightline import` continues from here. */
export interface ImportProgress {
  /** The source (URL, or the absolute path of a file) and the target project this checkpoint is for. */
  source: string;
  projectId: string;
  /** When the import began. */
  startedAt: string;
  /** The time range of traces copied (`--from-timestamp`, and `--to-timestamp` or the start), so a rerun sees the same set. */
  from?: string;
  until: string;
  /** Finished phases (`prompts`, `traces`, `scores`, `datasets`). */
  done: string[];
  /** Pages of traces (or lines of a file) already written. */
  position: number;
  /** Traces written so far (for the progress line). */
  traces: number;
}

/**
 * A checkpoint is a small JSON file under `<data dir>/import-checkpoints/`, one per source and
 * target project, replaced atomically (write, then rename) after each page is committed, so a kill
 * at any moment leaves either the previous or the next state. It is deleted when the import
 * finishes: the next run starts over (and, being idempotent, only brings changes).
 */
export interface Checkpoint {
  readonly path: string;
  load(): ImportProgress | null;
  save(p: ImportProgress): void;
  clear(): void;
}

export function createCheckpoint(dataDir: string, source: string, projectId: string): Checkpoint {
  const dir = join(dataDir, 'import-checkpoints');
  const key = createHash('sha256').update(`${source}\u0000${projectId}`).digest('hex').slice(0, 24);
  const path = join(dir, `${key}.json`);
  return {
    path,
    load() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        return null;
      }
      const p = JSON.parse(text) as ImportProgress;
      return p.source === source && p.projectId === projectId ? p : null;
    },
    save(p) {
      mkdirSync(dir, { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(p));
      renameSync(tmp, path);
    },
    clear() {
      rmSync(path, { force: true });
    },
  };
}
