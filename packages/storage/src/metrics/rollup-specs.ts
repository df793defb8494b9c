import type { NumberMap, ObservationRecord, ScoreRecord } from '@sightline/core';
import type { TraceContribution } from './trace-latency.js';
import { COST_SCALE, SCORE_SCALE } from './view-types.js';

/**
 * What one record contributes to its rollup rows. The numbers must equal what the view's
 * measure SQL computes for the same record (view-observations.ts), so that rollups and full
 * scans agree: usage and cost key sums, fixed-point costs, integer ms durations.
 */
export interface RollupSpec<R> {
  table: string;
  /** Dimension columns, in the order of `group`. */
  dims: readonly string[];
  /** Counter columns; the first counts records. */
  counters: readonly string[];
  /** The counters kept exactly as two columns `<name>_hi`, `<name>_lo` (exact-sum.ts): sums of fixed-point measures. */
  wide: readonly string[];
  /** Columns of histogram bins (bins-codec.ts), one per value of `histValues`. */
  bins: readonly string[];
  group(r: R): (string | null)[];
  time(r: R): number;
  values(r: R): number[];
  histValues(r: R): (number | null)[];
}

/** Rounds half away from zero, like SQL ROUND. */
const round = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));
export const fixed = (x: number): number => round(x * COST_SCALE);

/** Sum of the entries whose key contains `part`, case-insensitively. */
export function keySum(map: NumberMap, part: string): number {
  let sum = 0;
  for (const [k, v] of Object.entries(map)) if (k.toLowerCase().includes(part)) sum += v;
  return sum;
}

const diff = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a - b);
const pair = (v: number | null): [number, number] => (v === null ? [0, 0] : [1, v]);

export const observationSpec: RollupSpec<ObservationRecord> = {
  table: 'observation_rollups',
  dims: ['environment', 'type', 'name', 'model', 'level'],
  counters: [
    'cnt', 'input_tokens', 'output_tokens', 'total_tokens', 'input_cost', 'output_cost', 'total_cost',
    'latency_n', 'latency_sum', 'ttft_n', 'ttft_sum', 'streaming_n', 'streaming_sum',
  ],
  wide: ['input_cost', 'output_cost', 'total_cost', 'latency_sum', 'ttft_sum', 'streaming_sum'],
  bins: ['latency_bins', 'ttft_bins'],
  group: (o) => [o.environment, o.type, o.name, o.model, o.level],
  time: (o) => o.startTime,
  values: (o) => [
    1,
    keySum(o.usageDetails, 'input'),
    keySum(o.usageDetails, 'output'),
    o.usageDetails.total ?? 0,
    fixed(keySum(o.costDetails, 'input')),
    fixed(keySum(o.costDetails, 'output')),
    fixed(o.totalCost ?? 0),
    ...pair(diff(o.endTime, o.startTime)),
    ...pair(diff(o.completionStartTime, o.startTime)),
    ...pair(diff(o.endTime, o.completionStartTime)),
  ],
  histValues: (o) => [diff(o.endTime, o.startTime), diff(o.completionStartTime, o.startTime)],
};

/** Traces with their latency (trace-latency.ts): counts, and latency sums and bins. */
export const traceSpec: RollupSpec<TraceContribution> = {
  table: 'trace_rollups',
  dims: ['environment', 'name'],
  counters: ['cnt', 'latency_n', 'latency_sum'],
  wide: ['latency_sum'],
  bins: ['latency_bins'],
  group: (t) => [t.environment, t.name],
  time: (t) => t.timestamp,
  values: (t) => [1, ...pair(t.latency)],
  histValues: (t) => [t.latency],
};

/** Scores by data type and category (`string_value`: the category, `True`/`False`, or null for numeric scores); values summed in fixed point. */
export const scoreSpec: RollupSpec<ScoreRecord> = {
  table: 'score_rollups',
  dims: ['environment', 'name', 'source', 'data_type', 'string_value'],
  counters: ['cnt', 'value_sum'],
  wide: ['value_sum'],
  bins: [],
  group: (s) => [s.environment, s.name, s.source, s.dataType, s.stringValue],
  time: (s) => s.timestamp,
  values: (s) => [1, round(s.value * SCORE_SCALE)],
  histValues: () => [],
};
