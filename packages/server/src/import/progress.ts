/** Counts of one import, and the progress line on stderr (at most one a second, plus one at each phase's end). */
export interface ImportCounts {
  traces: number;
  /** Entities written through ingestion: traces, observations and scores. */
  rows: number;
  prompts: number;
  datasetRows: number;
}

export interface Progress {
  readonly counts: ImportCounts;
  /** Adds to a count and maybe prints the line for `phase`. */
  add(phase: string, delta: Partial<ImportCounts>): void;
  /** Prints the line for `phase` now. */
  flush(phase: string): void;
}

export function createProgress(write: (line: string) => void, start: Partial<ImportCounts> = {}, now: () => number = () => performance.now()): Progress {
  const counts: ImportCounts = { traces: 0, rows: 0, prompts: 0, datasetRows: 0, ...start };
  const began = now();
  const base = { ...counts };
  let last = 0;
  const rate = (n: number, seconds: number) => (seconds > 0 ? Math.round(n / seconds) : 0);
  const line = (phase: string) => {
    const s = (now() - began) / 1000;
    switch (phase) {
      case 'traces':
      case 'scores':
        return `import: traces ${counts.traces} (${rate(counts.traces - base.traces, s)}/s), rows ${counts.rows} (${rate(counts.rows - base.rows, s)}/s)`;
      case 'prompts':
        return `import: prompt versions ${counts.prompts} (${rate(counts.prompts - base.prompts, s)}/s)`;
      default:
        return `import: dataset items and run items ${counts.datasetRows} (${rate(counts.datasetRows - base.datasetRows, s)}/s)`;
    }
  };
  return {
    counts,
    add(phase, delta) {
      for (const [k, v] of Object.entries(delta) as [keyof ImportCounts, number][]) counts[k] += v;
      if (now() - last >= 1000) {
        last = now();
        write(line(phase));
      }
    },
    flush(phase) {
      last = now();
      write(line(phase));
    },
  };
}
