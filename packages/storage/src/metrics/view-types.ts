import type { MetricView } from './types.js';

/**
 * A dimension: an SQL expression over the view's FROM clause (aliases `o` observations,
 * `t` traces, `s` scores, `ob` a score's observation).
 */
export interface Dimension {
  sql: string;
  type: 'string' | 'number' | 'tags';
  /** Joins (keys of `View.joins`) the expression needs. */
  joins?: string[];
  /** Driver value → API value. */
  present?: (v: unknown) => unknown;
  /** Column of the rollup table that holds this dimension, when rollups cover it. */
  rollup?: string;
  /** For tags: SQL of the trace id whose tags are tested by filters. */
  traceId?: string;
}

/**
 * A measure: a per-row value that metrics aggregate. `count` measures are 1 per row;
 * `distinct` measures count distinct values whatever the aggregation.
 */
export interface Measure {
  sql: string;
  kind: 'count' | 'number' | 'distinct';
  joins?: string[];
  /**
   * Sums (sum, avg) are taken in fixed point: each value is rounded to a multiple of 1/scale
   * (a power of ten) and summed as an integer in two halves (exact-sum.ts), so they are exact,
   * cannot overflow and do not depend on summation order; rollup sums are `<sum>_hi`/`<sum>_lo`.
   */
  scale?: number;
  /** Rollup columns: the sum, the count of non-null values, and the histogram bins when kept. */
  rollup?: { sum?: string; n: string; bins?: string };
}

/** A view's rollup table: one row per time bucket and combination of rollup dimensions. */
export interface RollupTable {
  table: string;
  /** The view's segment over the rollup table (alias `r`), when the view has one. */
  segment?: string;
}

export interface View {
  name: MetricView;
  /** FROM item of the base table, aliased. */
  from: string;
  alias: string;
  /** Epoch-ms column that the query range and time buckets apply to. */
  time: string;
  /** Filter column names that address `time`. */
  timeColumns: string[];
  /** A constant condition that defines the view (score data types). */
  segment?: string;
  joins: Record<string, string>;
  dims: Record<string, Dimension>;
  measures: Record<string, Measure>;
  rollup?: RollupTable;
}

/** Fixed-point scale of costs: pico-dollars. */
export const COST_SCALE = 1_000_000_000_000;
/**
 * Fixed-point scale of score values: sums and averages are exact to 10^-6. Values reach 10^15
 * (core's VALUE_RANGES), so one value is at most 10^21 units and a rollup row's high half
 * (value / 2^32) stays within 64 bits for 4·10^7 such values — a finer scale would lower that.
 */
export const SCORE_SCALE = 1_000_000;

export const parseTags = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : null);
const pad = (n: number) => String(n).padStart(2, '0');
/** Epoch ms → `YYYY-MM`. */
export const monthText = (v: unknown): unknown => {
  if (v === null || v === undefined) return null;
  const d = new Date(Number(v));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
};
/** Epoch ms → `YYYY-MM-DD`. */
export const dayText = (v: unknown): unknown => (v === null || v === undefined ? null : new Date(Number(v)).toISOString().slice(0, 10));
