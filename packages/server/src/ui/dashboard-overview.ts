import type { FilterCondition, MetricsPath, MetricsQuery, Storage } from '@sightline/storage';
import type { DashboardOverviewResponse, MetricRow } from './api-types.js';

const anyOf = (column: string, value: string[]): FilterCondition => ({ type: 'stringOptions', column, operator: 'any of', value });
const count = { measure: 'count', aggregation: 'count' } as const;
/** The overview charts at most this many numeric score names, the most used first. */
const MAX_SCORE_NAMES = 20;

export interface OverviewParams {
  from: number;
  to: number;
  environment: string | null;
  granularity: Exclude<MetricsQuery['granularity'], null | 'auto'>;
}

/**
 * The built-in overview for a time range and environment, answered by the metrics engine,
 * bucketed as the UI asks (it picks a bucket that fits the range): traces, observations and
 * errors, generation cost, tokens and latency percentiles over time, cost and tokens by model,
 * trace latency percentiles, and scores per name (numeric averages over time, categorical and
 * boolean counts per category). Rollups cover every one of these queries (dashboard-overview.test.ts
 * forces `path: 'rollup'`, which fails on a query they do not cover), so its cost follows the
 * range and buckets, not the data; latency percentiles come from histogram bins (within 0.8 %).
 * `path` forces rollups or scans (tests).
 */
export async function dashboardOverview(storage: Storage, projectId: string, p: OverviewParams, path: MetricsPath = 'auto'): Promise<DashboardOverviewResponse> {
  const { from, to, granularity } = p;
  const env = p.environment ? [anyOf('environment', [p.environment])] : [];
  const generations = [...env, anyOf('type', ['GENERATION'])];
  const q = (view: string, part: Partial<MetricsQuery>): Promise<MetricRow[]> =>
    storage
      .metrics.query(projectId, { view, dimensions: [], metrics: [], filters: env, granularity: null, fromTimestamp: from, toTimestamp: to, orderBy: [], ...part }, path)
      .then((r) => r.data as MetricRow[]);
  const percentiles = (['p50', 'p95', 'p99'] as const).map((aggregation) => ({ measure: 'latency', aggregation }));
  const sums = ['totalCost', 'totalTokens'].map((measure) => ({ measure, aggregation: 'sum' as const }));
  // Boolean scores are numeric in this view (as in Langfuse); they are counted per category instead.
  const numeric = [...env, anyOf('dataType', ['NUMERIC'])];
  /** One series per score name (the most used ones), each its own query so the engine's row limit never cuts a series short. */
  async function numericScores(): Promise<MetricRow[]> {
    const names = await q('scores-numeric', { dimensions: ['name'], metrics: [count], filters: numeric, rowLimit: MAX_SCORE_NAMES });
    const series = await Promise.all(
      names.map((n) => q('scores-numeric', { dimensions: ['name'], metrics: [{ measure: 'value', aggregation: 'avg' }, count], filters: [...numeric, anyOf('name', [String(n.name)])], granularity })),
    );
    return series.flat();
  }
  const categories = { dimensions: ['name', 'dataType', 'stringValue'], metrics: [count] };
  // Series without a dimension: one row per bucket, so even all time by month stays within the row limit.
  const [traces, observations, errors, usage, byModel, latencyOverTime, traceLatency, scoresNumeric, categorical, boolean] = await Promise.all([
    q('traces', { metrics: [count], granularity }),
    q('observations', { metrics: [count], granularity }),
    q('observations', { metrics: [count], filters: [...env, anyOf('level', ['ERROR'])], granularity }),
    q('observations', { metrics: sums, filters: generations, granularity }),
    q('observations', {
      dimensions: ['providedModelName'], metrics: [...sums, count], filters: generations, orderBy: [{ field: 'sum_totalCost', direction: 'desc' }], rowLimit: 20,
    }),
    q('observations', { metrics: [count, ...percentiles], filters: generations, granularity }),
    q('traces', { metrics: percentiles }),
    numericScores(),
    q('scores-categorical', categories),
    q('scores-boolean', categories),
  ]);
  const scoreCategories = [...categorical, ...boolean];
  return {
    from, to, environment: p.environment, granularity, traces, observations, errors, usage, byModel, latencyOverTime, traceLatency, scoresNumeric, scoreCategories,
  };
}
