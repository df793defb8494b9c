import type { FilterCondition } from '../types.js';

export const METRIC_VIEWS = ['traces', 'observations', 'scores-numeric', 'scores-categorical', 'scores-boolean'] as const;
export type MetricView = (typeof METRIC_VIEWS)[number];

export const AGGREGATIONS = ['sum', 'avg', 'count', 'max', 'min', 'p50', 'p75', 'p90', 'p95', 'p99', 'histogram', 'uniq'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];
/** The percentile (0..100) of each percentile aggregation. */
export const PERCENTILE: Partial<Record<Aggregation, number>> = { p50: 50, p75: 75, p90: 90, p95: 95, p99: 99 };

export const GRANULARITIES = ['auto', 'minute', 'hour', 'day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];
/** A granularity after `auto` has been resolved from the query's range. */
export type Bucketing = Exclude<Granularity, 'auto'>;

/**
 * A metrics query (docs/compatibility.md §8) with times as epoch ms. Names are validated by
 * storage against the view's catalog; unknown ones throw a 400 naming them.
 */
export interface MetricsQuery {
  view: string;
  dimensions: string[];
  metrics: { measure: string; aggregation: Aggregation }[];
  filters: FilterCondition[];
  granularity: Granularity | null;
  /** Inclusive start, epoch ms. */
  fromTimestamp: number;
  /** Exclusive end, epoch ms; greater than `fromTimestamp`. */
  toTimestamp: number;
  orderBy: { field: string; direction: 'asc' | 'desc' }[];
  /** Bins of the `histogram` aggregation, 1..100 (default 10). */
  bins?: number;
  /** At most this many rows, 1..1000 (default 1000). */
  rowLimit?: number;
}

/** One result row: dimension fields by name, `time_dimension` (ISO) when bucketed, `<aggregation>_<measure>` metrics. */
export type MetricsRow = Record<string, unknown>;

/**
 * Where a query is answered: `rollup` (time-bucketed aggregates kept at ingestion), `scan` (the
 * base tables) or `auto` (rollups whenever they cover every dimension, filter and metric).
 */
export type MetricsPath = 'auto' | 'rollup' | 'scan';

export interface MetricsResult {
  data: MetricsRow[];
  /** The path that answered. */
  path: 'rollup' | 'scan';
}

/** `GET /metrics/daily` parameters. */
export interface DailyMetricsQuery {
  page: number;
  limit: number;
  traceName?: string;
  userId?: string;
  /** A trace must carry all of them. */
  tags?: string[];
  environment?: string[];
  fromTimestamp?: number;
  toTimestamp?: number;
}

export interface DailyUsage {
  model: string | null;
  inputUsage: number;
  outputUsage: number;
  totalUsage: number;
  countObservations: number;
  countTraces: number;
  totalCost: number;
}

export interface DailyMetricsRow {
  /** `YYYY-MM-DD` (UTC). */
  date: string;
  countTraces: number;
  countObservations: number;
  totalCost: number;
  usage: DailyUsage[];
}
