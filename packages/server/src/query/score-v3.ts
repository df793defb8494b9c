import { SCORE_DATA_TYPES, SCORE_SOURCES, toIso, type ScoreRecord } from '@sightline/core';
import type { FilterCondition, ScoreQuery } from '@sightline/storage';
import { z } from 'zod';
import { csvParam, datetimeParam, intParam, numberParam, stringParam } from './parse-params.js';

/** The field groups of GET /v3/scores beyond the core fields. */
const GROUPS = ['details', 'subject', 'annotation'] as const;
type Group = (typeof GROUPS)[number];

/** A CSV whose items must be among `values` (compared case-insensitively, returned canonical). */
const csvOf = <const T extends readonly string[]>(values: T) =>
  csvParam.transform((items, ctx): T[number][] | undefined => {
    if (!items) return undefined;
    const out = items.map((i) => values.find((v) => v.toLowerCase() === i.toLowerCase()));
    if (out.some((v) => v === undefined)) ctx.issues.push({ code: 'custom', input: items, message: `must be a comma-separated list of ${values.join(', ')}` });
    return out as T[number][];
  });

/** The keyset cursor: base64url of `[timestamp, id]` of the last score of the previous page. */
const cursorParam = stringParam.transform((s, ctx) => {
  if (s === undefined) return undefined;
  try {
    const [timestamp, id] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown[];
    if (typeof timestamp === 'number' && Number.isFinite(timestamp) && typeof id === 'string') return { timestamp, id };
  } catch {
    // reported below
  }
  ctx.issues.push({ code: 'custom', input: s, message: 'must be a cursor returned by a previous page' });
  return undefined;
});

export const encodeCursor = (s: ScoreRecord): string => Buffer.from(JSON.stringify([s.timestamp, s.id])).toString('base64url');

export const scoreV3Params = z
  .object({
    limit: intParam({ min: 1, max: 100, fallback: 50 }),
    cursor: cursorParam,
    fields: csvOf(GROUPS),
    id: csvParam,
    name: csvParam,
    source: csvOf(SCORE_SOURCES),
    dataType: csvOf(SCORE_DATA_TYPES),
    environment: csvParam,
    configId: csvParam,
    queueId: csvParam,
    authorUserId: csvParam,
    value: csvParam,
    valueMin: numberParam,
    valueMax: numberParam,
    traceId: csvParam,
    sessionId: csvParam,
    observationId: csvParam,
    experimentId: csvParam,
    fromTimestamp: datetimeParam,
    toTimestamp: datetimeParam,
  })
  .superRefine((p, ctx) => {
    const issue = (path: string, message: string) => ctx.issues.push({ code: 'custom', path: [path], input: p, message });
    const single = p.dataType?.length === 1 ? p.dataType[0] : undefined;
    if (p.value && !(single === 'NUMERIC' || single === 'BOOLEAN' || single === 'CATEGORICAL')) issue('value', 'requires dataType to be exactly one of NUMERIC, BOOLEAN, CATEGORICAL');
    if (p.value && single === 'BOOLEAN' && p.value.some((v) => !/^(true|false)$/i.test(v))) issue('value', 'each value must be true or false for BOOLEAN scores');
    if (p.value && single === 'NUMERIC' && p.value.some((v) => !Number.isFinite(Number(v)))) issue('value', 'each value must be a finite number for NUMERIC scores');
    if ((p.valueMin !== undefined || p.valueMax !== undefined) && single !== 'NUMERIC') issue('valueMin', 'valueMin and valueMax require dataType=NUMERIC');
    if (p.observationId && !p.traceId) issue('observationId', 'requires traceId (observation ids are scoped to a trace)');
    const subjects = [p.traceId, p.sessionId, p.experimentId].filter((s) => s !== undefined).length;
    if (subjects > 1 || (p.observationId && (p.sessionId || p.experimentId))) issue('traceId', 'traceId/observationId, sessionId and experimentId are mutually exclusive');
  });
export type ScoreV3Params = z.output<typeof scoreV3Params>;

const anyOf = (column: string, value: string[] | undefined): FilterCondition[] => (value ? [{ type: 'stringOptions', column, operator: 'any of', value }] : []);
const bound = (operator: '>=' | '<=', value: number | undefined): FilterCondition[] => (value === undefined ? [] : [{ type: 'number', column: 'value', operator, value }]);

/** The storage query of one page (one row more than the limit tells whether another page follows). */
export function scoreV3Query(p: ScoreV3Params): ScoreQuery {
  const type = p.dataType?.length === 1 ? p.dataType[0] : undefined;
  const filter: FilterCondition[] = [
    ...anyOf('name', p.name), ...anyOf('source', p.source), ...anyOf('dataType', p.dataType), ...anyOf('configId', p.configId),
    ...anyOf('queueId', p.queueId), ...anyOf('authorUserId', p.authorUserId), ...anyOf('traceId', p.traceId), ...anyOf('observationId', p.observationId),
    ...anyOf('sessionId', p.sessionId), ...anyOf('datasetRunId', p.experimentId), ...bound('>=', p.valueMin), ...bound('<=', p.valueMax),
  ];
  return {
    page: 1,
    limit: p.limit + 1,
    skipCount: true,
    after: p.cursor,
    scoreIds: p.id,
    environment: p.environment,
    fromTimestamp: p.fromTimestamp,
    toTimestamp: p.toTimestamp,
    filter: filter.length > 0 ? filter : undefined,
    values: p.value && type === 'NUMERIC' ? p.value.map(Number) : p.value && type === 'BOOLEAN' ? p.value.map((v) => (/^true$/i.test(v) ? 1 : 0)) : undefined,
    stringValues: p.value && type === 'CATEGORICAL' ? p.value : undefined,
  };
}

/** The entity a score is about, as v3's `subject`. */
function subject(s: ScoreRecord) {
  if (s.observationId) return { kind: 'observation', id: s.observationId, traceId: s.traceId };
  if (s.traceId) return { kind: 'trace', id: s.traceId };
  if (s.sessionId) return { kind: 'session', id: s.sessionId };
  if (s.datasetRunId) return { kind: 'experiment', id: s.datasetRunId };
  return null;
}

/** `value` typed by data type: a number, a boolean, or the string of categorical, text and correction scores. */
const typedValue = (s: ScoreRecord): number | boolean | string =>
  s.dataType === 'NUMERIC' ? s.value : s.dataType === 'BOOLEAN' ? s.value === 1 : (s.stringValue ?? '');

/** A score in the v3 shape: the core fields plus the groups asked for. */
export function presentScoreV3(s: ScoreRecord, groups: readonly Group[] = []) {
  return {
    id: s.id,
    projectId: s.projectId,
    name: s.name,
    value: typedValue(s),
    dataType: s.dataType,
    source: s.source,
    timestamp: toIso(s.timestamp),
    environment: s.environment,
    createdAt: toIso(s.createdAt),
    updatedAt: toIso(s.updatedAt),
    ...(groups.includes('details') ? { comment: s.comment, configId: s.configId, metadata: s.metadata } : {}),
    ...(groups.includes('subject') ? { subject: subject(s) } : {}),
    ...(groups.includes('annotation') ? { authorUserId: s.authorUserId, queueId: s.queueId } : {}),
  };
}
