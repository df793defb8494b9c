import { badRequest } from '@sightline/core';
import { AGGREGATIONS, GRANULARITIES, type DailyMetricsQuery, type MetricsQuery } from '@sightline/storage';
import { z } from 'zod';
import { datetimeParam, hasNul, listParam, NO_NUL, pageParams, parseWith, stringParam } from './parse-params.js';

const name = (what: string) => z.string({ error: `must be a string naming the ${what}` });
const limits = z.object({
  bins: z.number().int().min(1, { error: 'must be an integer between 1 and 100' }).max(100, { error: 'must be an integer between 1 and 100' }).optional(),
  row_limit: z.number().int().min(1, { error: 'must be an integer between 1 and 1000' }).max(1000, { error: 'must be an integer between 1 and 1000' }).optional(),
});
const iso = datetimeParam.refine((v) => v !== undefined, { error: 'required: an ISO-8601 datetime, e.g. 2024-05-01T12:00:00Z' });

/** The JSON of a metrics query (§8) without its time range. Names are checked by storage against the view. */
const queryShape = {
  view: name('view'),
  dimensions: z.array(z.object({ field: name('dimension') }), { error: 'must be an array of {field}' }).nullish(),
  metrics: z.array(z.object({
    measure: name('measure'),
    aggregation: z.enum(AGGREGATIONS, { error: `must be one of ${AGGREGATIONS.join(', ')}` }),
  }), { error: 'must be an array of {measure, aggregation}' }).nullish(),
  filters: z.array(z.object({
    column: z.string({ error: 'must be a string naming the column' }),
    operator: z.string({ error: 'must be a string' }),
    type: z.string({ error: 'must be a string' }),
    value: z.unknown(),
    key: z.string({ error: 'must be a string' }).optional(),
  }), { error: 'must be an array of filter conditions ({type, column, operator, value, key?})' }).nullish(),
  timeDimension: z.object({ granularity: z.enum(GRANULARITIES, { error: `must be one of ${GRANULARITIES.join(', ')}` }) }).nullish(),
  orderBy: z.array(z.object({
    field: name('field'),
    direction: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }),
  })).nullish(),
  config: limits.nullish(),
  chartConfig: limits.nullish(),
};
const mustBeObject = { error: 'must be a JSON object' };
/** The `query` parameter of `GET /metrics`: a metrics query with its time range. */
const metricsQuerySchema = z.object({ ...queryShape, fromTimestamp: iso, toTimestamp: iso }, mustBeObject);
/** A metrics query saved without a range (a dashboard chart): the range is the viewer's. */
export const savedMetricsQuerySchema = z.object(queryShape, mustBeObject);
export type SavedMetricsQuery = z.output<typeof savedMetricsQuerySchema>;

/** A saved query over `[from, to)` as storage takes it. */
export function toMetricsQuery(q: SavedMetricsQuery, from: number, to: number): MetricsQuery {
  const config = { ...q.chartConfig, ...q.config };
  return {
    view: q.view,
    dimensions: (q.dimensions ?? []).map((d) => d.field),
    metrics: q.metrics ?? [],
    filters: (q.filters ?? []) as MetricsQuery['filters'],
    granularity: q.timeDimension?.granularity ?? null,
    fromTimestamp: from,
    toTimestamp: to,
    orderBy: q.orderBy ?? [],
    bins: config.bins,
    rowLimit: config.row_limit,
  };
}

/**
 * Parses the `query` parameter of `GET /metrics` into a storage query. Bad JSON is Langfuse's
 * 400 "Invalid JSON in query parameter"; every other failure names the field and the rule.
 */
export function parseMetricsQuery(text: string | undefined, version: 'v1' | 'v2'): MetricsQuery {
  if (text === undefined || text === '') throw badRequest('query: required (a URL-encoded JSON metrics query)');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badRequest('Invalid JSON in query parameter');
  }
  if (hasNul(json)) throw badRequest(`query: ${NO_NUL}`);
  const q = parseWith(z.object({ query: metricsQuerySchema }), { query: json }).query;
  if (version === 'v2' && q.view === 'traces') {
    throw badRequest('query.view: "traces" is not available in /v2/metrics; expected one of observations, scores-numeric, scores-categorical, scores-boolean');
  }
  const from = q.fromTimestamp;
  const to = q.toTimestamp;
  if (!(from < to)) throw badRequest('query.fromTimestamp: must be before query.toTimestamp');
  return toMetricsQuery(q, from, to);
}

/** `GET /metrics/daily` parameters. */
export const dailyMetricsParams = z.object({
  ...pageParams,
  traceName: stringParam,
  userId: stringParam,
  tags: listParam,
  environment: listParam,
  fromTimestamp: datetimeParam,
  toTimestamp: datetimeParam,
});
export const DAILY_REPEATABLE = ['tags', 'environment'] as const;

export const dailyMetricsQuery = (p: z.output<typeof dailyMetricsParams>): DailyMetricsQuery => ({
  page: p.page,
  limit: p.limit,
  traceName: p.traceName,
  userId: p.userId,
  tags: p.tags,
  environment: p.environment,
  fromTimestamp: p.fromTimestamp,
  toTimestamp: p.toTimestamp,
});
