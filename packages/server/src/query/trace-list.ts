import type { TraceListRow, TraceQuery } from '@sightline/storage';
import { z } from 'zod';
import { presentTrace } from './presenters.js';
import { datetimeParam, filterParam, listParam, pageParams, stringParam } from './parse-params.js';
import { traceFieldsParam, type TraceFields } from './trace-fields.js';

const ORDER_FIELDS = ['id', 'timestamp', 'name', 'userId', 'release', 'version', 'public', 'bookmarked', 'sessionId'] as const;
type OrderField = (typeof ORDER_FIELDS)[number];

const orderByParam = z
  .string()
  .optional()
  .transform((s, ctx): TraceQuery['orderBy'] => {
    if (s === undefined) return undefined;
    const [field, direction, ...rest] = s.trim().split('.');
    if (rest.length === 0 && ORDER_FIELDS.includes(field as OrderField) && (direction === 'asc' || direction === 'desc')) {
      return { field: field as OrderField, direction };
    }
    ctx.issues.push({ code: 'custom', input: s, message: `must be field.asc or field.desc with field one of ${ORDER_FIELDS.join(', ')}` });
    return z.NEVER;
  });

/** Query parameters of GET /traces; `tags` and `environment` are repeatable. */
export const traceListParams = z.object({
  ...pageParams,
  userId: stringParam,
  name: stringParam,
  sessionId: stringParam,
  fromTimestamp: datetimeParam,
  toTimestamp: datetimeParam,
  orderBy: orderByParam,
  tags: listParam,
  version: stringParam,
  release: stringParam,
  environment: listParam,
  fields: traceFieldsParam,
  filter: filterParam,
});
export const TRACE_LIST_REPEATABLE = ['tags', 'environment'] as const;

export type TraceListParams = z.output<typeof traceListParams>;

/** The storage query for the parsed parameters: only the requested aggregates are computed. */
export function traceQuery(p: TraceListParams): TraceQuery {
  const { fields, ...rest } = p;
  return { ...rest, withObservations: fields.observations, withScores: fields.scores, withMetrics: fields.metrics };
}

/** One row of GET /traces: excluded groups give empty id lists and -1 metrics, as in Langfuse; latency is 0 without observations. */
export function presentTraceListRow(row: TraceListRow, fields: TraceFields) {
  return {
    ...presentTrace(row, { io: fields.io }),
    observations: fields.observations ? row.observationIds : [],
    scores: fields.scores ? row.scoreIds : [],
    latency: fields.metrics ? (row.latency ?? 0) : -1,
    totalCost: fields.metrics ? (row.totalCost ?? 0) : -1,
  };
}
