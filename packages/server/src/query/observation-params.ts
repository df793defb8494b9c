import { LEVELS, OBSERVATION_TYPES } from '@sightline/core';
import { z } from 'zod';
import { cursorParam } from './observation-cursor.js';
import { OBSERVATION_FIELD_GROUPS, type ObservationFieldGroup } from './observation-v2.js';
import { boolParam, csvParam, datetimeParam, enumParam, filterParam, intParam, listParam, pageParams, stringParam } from './parse-params.js';

/** Filters shared by GET /observations and GET /v2/observations. */
const filters = {
  name: stringParam,
  userId: stringParam,
  type: enumParam(OBSERVATION_TYPES),
  traceId: stringParam,
  level: enumParam(LEVELS),
  parentObservationId: stringParam,
  environment: listParam,
  fromStartTime: datetimeParam,
  toStartTime: datetimeParam,
  version: stringParam,
  filter: filterParam,
};
export const OBSERVATION_REPEATABLE = ['environment'] as const;

export const observationListParams = z.object({ ...pageParams, ...filters });

const DEFAULT_GROUPS: ObservationFieldGroup[] = ['core', 'basic'];

/** CSV of field groups; unknown groups are ignored and naming none means the default (core, basic). */
const observationFieldsParam = z
  .string()
  .optional()
  .transform((s): Set<ObservationFieldGroup> => {
    const asked = new Set((s ?? '').split(',').map((x) => x.trim()));
    const known = OBSERVATION_FIELD_GROUPS.filter((g) => asked.has(g));
    return new Set<ObservationFieldGroup>(['core', ...(known.length > 0 ? known : DEFAULT_GROUPS)]);
  });

export const observationV2Params = z.object({
  ...filters,
  sessionId: stringParam,
  isRootObservation: boolParam,
  fields: observationFieldsParam,
  expandMetadata: csvParam,
  limit: intParam({ min: 1, max: 1000, fallback: 50 }),
  cursor: cursorParam,
  parseIoAsJson: boolParam.refine((v) => v !== true, {
    error: 'is no longer supported; input and output are always raw strings (remove it or set it to false)',
  }),
});

export type ObservationV2Params = z.output<typeof observationV2Params>;
