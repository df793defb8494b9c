import { GRANULARITIES, type FilterCondition, type MetricsQuery, type Storage } from '@sightline/storage';
import type { Hono } from 'hono';
import { z } from 'zod';
import { parseQuery } from '../query/parse-params.js';
import type { DashboardOverviewResponse, MetricRow } from './api-types.js';
import type { UiEnv } from './ui-env.js';

const DAY = 24 * 3600 * 1000;
const BUCKETS = GRANULARITIES.filter((g) => g !== 'auto');
const schema = z.object({
  from: z.string().regex(/^\d+$/, 'must be epoch milliseconds').transform(Number).optional(),
  to: z.string().regex(/^\d+$/, 'must be epoch milliseconds').transform(Number).optional(),
  environment: z.string().optional(),
  granularity: z.enum(BUCKETS, { error: `must be one of ${BUCKETS.join(', ')}` }).default('hour'),
});

const anyOf = (column: string, value: string[]): FilterCondition => ({ type: 'stringOptions', column, operator: 'any of', value });
const count = { measure: 'count', aggregation: 'count' } as const;
/** The overview charts at most this many numeric score names, the most used first. */
const MAX_SCORE_NAMES = 20;

/**
 * The built-in overview for a time range and environment, answered by the metrics engine
 * (rollups where they cover the query), bucketed as the UI asks (it picks a bucket that fits
 * the range): traces, observations and errors, generation cost, tokens and latency percentiles
 * over time, cost and tokens by model, and scores per name (numeric averages over time,
 * categorical and boolean counts per category).
 */
export function registerDashboardRoute(ui: Hono<UiEnv>, storage: Storage): void {
  ui.get('/projects/:projectId/dashboard', async (c) => {
    const { projectId } = c.get('member');
    const p = parseQuery(c, schema);
    const to = p.to ?? Date.now();
    const from = Math.min(p.from ?? to - 7 * DAY, to - 1);
    const env = p.environment ? [anyOf('environment', [p.environment])] : [];
    const generations = [...env, anyOf('type', ['GENERATION'])];
    const q = (view: string, part: Partial<MetricsQuery>): Promise<MetricRow[]> =>
      storage
        .metrics.query(projectId, { view, dimensions: [], metrics: [], filters: env, granularity: null, fromTimestamp: from, toTimestamp: to, orderBy: [], ...part })
        .then((r) => r.data as MetricRow[]);
    const granularity = p.granularity;
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
    const body: DashboardOverviewResponse = {
      from, to, environment: p.environment ?? null, granularity, traces, observations, errors, usage, byModel, latencyOverTime, traceLatency, scoresNumeric, scoreCategories,
    };
    return c.json(body);
  });
}
