import { SCORE_DATA_TYPES, SCORE_SOURCES } from '@sightline/core';
import type { FilterCondition, ScoreQuery, ScoreWithTrace } from '@sightline/storage';
import { z } from 'zod';
import { presentScore } from './presenters.js';
import { csvParam, datetimeParam, enumParam, filterParam, listParam, numberParam, pageParams, stringParam } from './parse-params.js';

const OPERATORS = ['<', '>', '<=', '>=', '!=', '='] as const;
const SCORE_FIELD_GROUPS = ['score', 'trace'] as const;

/** CSV of `score`/`trace`; unknown groups are ignored and naming none means both. */
const scoreFieldsParam = z
  .string()
  .optional()
  .transform((s) => {
    const asked = new Set((s ?? '').split(',').map((x) => x.trim()));
    const known = SCORE_FIELD_GROUPS.filter((g) => asked.has(g));
    return { trace: known.length === 0 || known.includes('trace') };
  });

/** Query parameters of GET /scores and GET /v2/scores; `environment` and `traceTags` are repeatable. */
export const scoreListParams = z
  .object({
    ...pageParams,
    userId: stringParam,
    name: stringParam,
    fromTimestamp: datetimeParam,
    toTimestamp: datetimeParam,
    environment: listParam,
    source: enumParam(SCORE_SOURCES),
    operator: z
      .string()
      .optional()
      .refine((s) => s === undefined || (OPERATORS as readonly string[]).includes(s.trim()), { error: `must be one of ${OPERATORS.join(' ')}` })
      .transform((s) => s?.trim() as ScoreQuery['operator']),
    value: numberParam,
    scoreIds: csvParam,
    configId: stringParam,
    sessionId: stringParam,
    datasetRunId: stringParam,
    traceId: stringParam,
    observationId: csvParam,
    queueId: stringParam,
    dataType: enumParam(SCORE_DATA_TYPES),
    traceTags: listParam,
    fields: scoreFieldsParam,
    filter: filterParam,
  })
  .superRefine((p, ctx) => {
    if (p.operator !== undefined && p.value === undefined) ctx.issues.push({ code: 'custom', path: ['value'], input: p, message: 'required when operator is given' });
    if (p.value !== undefined && p.operator === undefined) ctx.issues.push({ code: 'custom', path: ['operator'], input: p, message: 'required when value is given' });
    if (!p.fields.trace && (p.userId !== undefined || p.traceTags !== undefined)) {
      ctx.issues.push({ code: 'custom', path: ['fields'], input: p, message: 'must include "trace" when filtering by userId or traceTags' });
    }
  });
export const SCORE_LIST_REPEATABLE = ['environment', 'traceTags'] as const;

export type ScoreListParams = z.output<typeof scoreListParams>;

/** The v1 list (GET /scores) shows only scores attached to a trace. */
const ON_A_TRACE: FilterCondition = { type: 'null', column: 'traceId', operator: 'is not null' };

/**
 * The storage query. Storage ANDs score filter conditions with the simple filters, so the
 * observation id list (a CSV upstream) and the v1 trace-only rule become conditions.
 */
export function scoreQuery(p: ScoreListParams, options: { traceScoresOnly: boolean }): ScoreQuery {
  const { fields: _, observationId, filter = [], ...rest } = p;
  const conditions: FilterCondition[] = [...filter];
  if (observationId) conditions.push({ type: 'stringOptions', column: 'observationId', operator: 'any of', value: observationId });
  if (options.traceScoresOnly) conditions.push(ON_A_TRACE);
  return { ...rest, filter: conditions.length > 0 ? conditions : undefined };
}

/** A row of the score list: the score, plus its trace's fields when the `trace` group is on. */
export const presentScoreListRow = (row: ScoreWithTrace, withTrace: boolean) =>
  withTrace ? { ...presentScore(row), trace: row.trace } : presentScore(row);
