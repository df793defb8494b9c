import type { Row } from '../db.js';
import { decodeBins } from './bins-codec.js';
import { fixedToNumber, fromHalves } from './exact-sum.js';
import { percentileOfSorted, sortBins, type SortedBins } from './histogram.js';
import type { ResolvedMetric, ResolvedQuery } from './resolve.js';
import { PERCENTILE } from './types.js';

/**
 * The partial aggregate of one result group (dimension values + time bucket), as every path
 * produces it: per metric i a value count `n`, a sum `s` (exact in `fixed` for fixed-point measures), an exact value `x` (min, max, uniq,
 * exact percentiles) or bins (percentiles from rollups) or histogram bins. Partial states
 * from rollup rows and from base-table edges add up; `finalize` turns one into metric values.
 */
export interface GroupState {
  dims: unknown[];
  tb: number | null;
  /** Rows behind the group; rollup rows of deleted data leave groups with 0. */
  rows: number;
  n: number[];
  s: number[];
  /** Exact sums of fixed-point measures (exact-sum.ts), in units of 1/scale. */
  fixed: bigint[];
  x: unknown[];
  bins: Map<number, number>[];
  hist: [number, number, number][][];
}

export type States = Map<string, GroupState>;

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** The state of the group of a driver row with `d{j}` and `tb` columns, created when missing. */
export function stateOf(states: States, rq: ResolvedQuery, row: Row): GroupState {
  const tb = rq.bucketing ? Number(row.tb) : null;
  // A time series without dimensions (most of a dashboard) is keyed by its bucket alone: a rollup read calls this for every row.
  const dims = rq.dims.length === 0 ? [] : rq.dims.map((_, j) => row[`d${j}`] ?? null);
  const key = dims.length === 0 ? String(tb) : JSON.stringify([...dims, tb]);
  let st = states.get(key);
  if (!st) {
    const k = rq.metrics.length;
    // Percentiles of one measure share one set of bins.
    const bins = new Map<unknown, Map<number, number>>();
    for (const m of rq.metrics) if (!bins.has(m.measure)) bins.set(m.measure, new Map());
    st = { dims, tb, rows: 0, n: Array(k).fill(0), s: Array(k).fill(0), fixed: Array<bigint>(k).fill(0n), x: Array(k).fill(null), bins: rq.metrics.map((m) => bins.get(m.measure)!), hist: rq.metrics.map(() => []) };
    states.set(key, st);
  }
  return st;
}

/** Adds a component row (`c`, `n{i}`, `s{i}`, `x{i}`; `s{i}` and `f{i}` the sums of halves of a fixed-point sum) to its group. */
export function addComponents(states: States, rq: ResolvedQuery, row: Row): void {
  const st = stateOf(states, rq, row);
  st.rows += num(row.c);
  rq.metrics.forEach((_, i) => {
    st.n[i] += num(row[`n${i}`]);
    if (row[`f${i}`] !== undefined) st.fixed[i] += fromHalves(row[`s${i}`], row[`f${i}`]);
    else st.s[i] += num(row[`s${i}`]);
    if (row[`x${i}`] !== undefined) st.x[i] = row[`x${i}`];
  });
}

/** Adds a bin row (`bin`, `c`) to the bins of the measure of metric `i`. */
export function addBin(states: States, rq: ResolvedQuery, row: Row, i: number): void {
  const bins = stateOf(states, rq, row).bins[i];
  const bin = Number(row.bin);
  bins.set(bin, (bins.get(bin) ?? 0) + num(row.c));
}

/** Adds encoded bins (bins-codec.ts) in column `column` of a rollup row to the bins of the measure of metric `i`. */
export function addEncodedBins(states: States, rq: ResolvedQuery, row: Row, column: string, i: number): void {
  decodeBins(row[column], stateOf(states, rq, row).bins[i]);
}

/**
 * The value of metric `i` of a group. `sorted` holds the group's bins once sorted, for the
 * percentiles of one measure that share them; pass one per group, once its bins are complete.
 */
export function finalize(st: GroupState, m: ResolvedMetric, i: number, exactPercentiles: boolean, sorted = new Map<Map<number, number>, SortedBins>()): unknown {
  const n = st.n[i];
  const scale = m.measure.scale;
  const sum = scale === undefined ? st.s[i] : fixedToNumber(st.fixed[i], scale);
  if (m.measure.kind === 'distinct') return num(st.x[i]);
  if (m.measure.kind === 'count') return n;
  switch (m.agg) {
    case 'count':
      return n;
    case 'sum':
      return n > 0 ? sum : null;
    case 'avg':
      return n > 0 ? sum / n : null;
    case 'uniq':
      return num(st.x[i]);
    case 'histogram':
      return st.hist[i];
    case 'min':
    case 'max':
      return st.x[i] === null ? null : Number(st.x[i]);
    default: {
      if (exactPercentiles) return st.x[i] === null ? null : Number(st.x[i]);
      const bins = st.bins[i];
      let s = sorted.get(bins);
      if (!s) {
        s = sortBins(bins);
        sorted.set(bins, s);
      }
      return percentileOfSorted(s, PERCENTILE[m.agg] ?? 50);
    }
  }
}
