import type { ComparisonCell, ComparisonRow, RunComparisonResponse } from '../types.js';

/*
 * The run comparison's arithmetic, apart from React: deltas against the first (baseline) run,
 * the sort keys they give, which outputs differ, and histograms of score values per run.
 */

/** What a row is sorted by: a score, latency or cost difference of run `run` against run 0; null sorts in item order. */
export interface SortKey {
  metric: string;
  run: number;
}

/** `score:<name>`, `latency`, `cost`: the metrics a delta can be taken of. */
export function metricValue(cell: ComparisonCell | null, metric: string): number | null {
  if (!cell) return null;
  if (metric === 'latency') return cell.latencyMs;
  if (metric === 'cost') return cell.totalCost;
  if (metric.startsWith('score:')) return cell.scores.find((s) => s.name === metric.slice('score:'.length))?.value ?? null;
  return null;
}

/** Run `run`'s value minus the baseline's, null when either is missing. */
export function delta(row: ComparisonRow, metric: string, run: number): number | null {
  const base = metricValue(row.cells[0], metric);
  const other = metricValue(row.cells[run], metric);
  return base === null || other === null ? null : other - base;
}

/** `metric:run` in the URL. */
export const sortParam = (k: SortKey) => `${k.metric}@${k.run}`;
export function parseSort(v: string | null, runs: number): SortKey | null {
  const at = v?.lastIndexOf('@') ?? -1;
  if (!v || at < 0) return null;
  const run = Number(v.slice(at + 1));
  return Number.isInteger(run) && run >= 1 && run < runs ? { metric: v.slice(0, at), run } : null;
}

/** Rows by the delta (largest first, or smallest with `ascending`); rows without a delta last, in item order. */
export function sortRows(rows: ComparisonRow[], key: SortKey | null, ascending: boolean): ComparisonRow[] {
  if (!key) return rows;
  const keyed = rows.map((row, i) => ({ row, i, d: delta(row, key.metric, key.run) }));
  keyed.sort((a, b) => {
    if (a.d === null || b.d === null) return a.d === null && b.d === null ? a.i - b.i : a.d === null ? 1 : -1;
    return (ascending ? a.d - b.d : b.d - a.d) || a.i - b.i;
  });
  return keyed.map((k) => k.row);
}

/** Whether run `run`'s output differs from the baseline's (a cut text counts its full length too). */
export function outputDiffers(row: ComparisonRow, run: number): boolean {
  const base = row.cells[0];
  const other = row.cells[run];
  if (!base || !other || run === 0) return false;
  return base.output.text !== other.output.text || base.output.length !== other.output.length;
}

export interface Histogram {
  /** One entry per bin or label: `bin` is its name, then one count per run name. */
  bins: Record<string, string | number>[];
  runNames: string[];
}

const MAX_BINS = 10;

/** Counts of a score's values per run: labels as they are (categorical, boolean); numbers by value, or in 10 equal bins when more values differ. */
export function histogram(data: RunComparisonResponse, name: string): Histogram {
  const runNames = data.runs.map((r, i) => `${i + 1}. ${r.name}`);
  const values: { run: number; value: number; label: string | null }[] = [];
  for (const row of data.rows) {
    row.cells.forEach((cell, run) => {
      const s = cell?.scores.find((x) => x.name === name);
      if (s) values.push({ run, value: s.value, label: s.label });
    });
  }
  const bins = new Map<string, Record<string, string | number>>();
  const bin = (key: string): Record<string, string | number> => {
    const found = bins.get(key);
    if (found) return found;
    const b: Record<string, string | number> = Object.fromEntries([['bin', key], ...runNames.map((r) => [r, 0])]);
    bins.set(key, b);
    return b;
  };
  const count = (key: string, run: number) => {
    const b = bin(key);
    const name = runNames[run] ?? '';
    b[name] = Number(b[name] ?? 0) + 1;
  };
  if (values.length > 0 && values.every((v) => v.label !== null)) {
    for (const v of values) count(v.label!, v.run);
    return { bins: [...bins.values()].sort((a, b) => String(a.bin).localeCompare(String(b.bin))), runNames };
  }
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
  const distinct = [...new Set(values.map((v) => v.value))].sort((a, b) => a - b);
  if (distinct.length <= MAX_BINS) {
    for (const d of distinct) bin(fmt(d));
    for (const v of values) count(fmt(v.value), v.run);
  } else {
    const min = distinct[0];
    const width = (distinct[distinct.length - 1] - min) / MAX_BINS;
    const label = (i: number) => `${fmt(min + i * width)}–${fmt(min + (i + 1) * width)}`;
    for (let i = 0; i < MAX_BINS; i++) bin(label(i));
    for (const v of values) count(label(Math.min(MAX_BINS - 1, Math.floor((v.value - min) / width))), v.run);
  }
  return { bins: [...bins.values()], runNames };
}
