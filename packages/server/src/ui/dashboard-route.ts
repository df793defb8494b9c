import type { FilterCondition, MetricsQuery, Storage } from '@sightline/storage';
import type { Hono } from 'hono';
import { z } from 'zod';
import { parseQuery } from '../query/parse-params.js';
import type { UiEnv } from './ui-env.js';

const DAY = 24 * 3600 * 1000;
const schema = z.object({
  from: z.string().regex(/^\d+$/, 'must be epoch milliseconds').transform(Number).optional(),
  to: z.string().regex(/^\d+$/, 'must be epoch milliseconds').transform(Number).optional(),
  environment: z.string().optional(),
});

/**
 * The dashboard's figures for a time range and environment, answered by the metrics engine
 * (rollups where they cover the query): traces and observations over time, errors, cost and
 * tokens by model, latency percentiles and score averages.
 */
export function registerDashboardRoute(ui: Hono<UiEnv>, storage: Storage): void {
  ui.get('/projects/:projectId/dashboard', async (c) => {
    const { projectId } = c.get('member');
    const p = parseQuery(c, schema);
    const to = p.to ?? Date.now();
    const from = Math.min(p.from ?? to - 7 * DAY, to - 1);
    const env: FilterCondition[] = p.environment ? [{ type: 'stringOptions', column: 'environment', operator: 'any of', value: [p.environment] }] : [];
    const generations: FilterCondition = { type: 'stringOptions', column: 'type', operator: 'any of', value: ['GENERATION'] };
    const q = (view: string, part: Partial<MetricsQuery>): Promise<Record<string, unknown>[]> =>
      storage
        .metrics.query(projectId, { view, dimensions: [], metrics: [], filters: env, granularity: null, fromTimestamp: from, toTimestamp: to, orderBy: [], ...part })
        .then((r) => r.data);
    const percentiles = (['p50', 'p95', 'p99'] as const).map((aggregation) => ({ measure: 'latency', aggregation }));
    const [traces, observations, byModel, generationLatency, latencyOverTime, traceLatency, scores] = await Promise.all([
      q('traces', { metrics: [{ measure: 'count', aggregation: 'count' }], granularity: 'auto' }),
      q('observations', { dimensions: ['level'], metrics: [{ measure: 'count', aggregation: 'count' }], granularity: 'auto' }),
      q('observations', {
        dimensions: ['providedModelName'],
        metrics: [
          { measure: 'totalCost', aggregation: 'sum' },
          { measure: 'totalTokens', aggregation: 'sum' },
          { measure: 'count', aggregation: 'count' },
        ],
        filters: [...env, generations],
        orderBy: [{ field: 'sum_totalCost', direction: 'desc' }],
        rowLimit: 20,
      }),
      q('observations', { metrics: percentiles, filters: [...env, generations] }),
      q('observations', { metrics: percentiles, filters: [...env, generations], granularity: 'auto' }),
      q('traces', { metrics: percentiles }),
      q('scores-numeric', {
        dimensions: ['name'],
        metrics: [
          { measure: 'value', aggregation: 'avg' },
          { measure: 'count', aggregation: 'count' },
        ],
        rowLimit: 50,
      }),
    ]);
    return c.json({ from, to, environment: p.environment ?? null, traces, observations, byModel, generationLatency, latencyOverTime, traceLatency, scores });
  });
}
