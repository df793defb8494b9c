import { z } from 'zod';

/**
 * Limits of datasets, items and runs (documented in docs/compatibility.md). Names and ids end up
 * in database indexes, where PostgreSQL refuses entries above ~2.7 kB, so they are bounded in
 * UTF-8 bytes; a 5,000-character run name is a 400 naming the field, never a failed commit.
 */
export const DATASET_LIMITS = {
  nameBytes: 1000,
  idBytes: 1000,
  /** Langfuse's documented limit for a client-chosen dataset item id. */
  itemIdChars: 255,
  descriptionChars: 10_000,
  /** Body of POST /dataset-items: Langfuse accepts 4.5 MB there (the ingestion limit). */
  itemBodyBytes: 4.5 * 1024 * 1024,
} as const;

const noNul = (s: string) => !s.includes('\u0000');
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

const bounded = (max: number) =>
  z
    .string('must be a string')
    .min(1, 'must not be empty')
    .refine((s) => s.length * 3 <= max || bytes(s) <= max, `must be at most ${max} bytes (UTF-8)`)
    .refine(noNul, 'must not contain NUL characters');

export const datasetName = bounded(DATASET_LIMITS.nameBytes);
export const runName = bounded(DATASET_LIMITS.nameBytes);
const id = bounded(DATASET_LIMITS.idBytes);
const description = z
  .string('must be a string')
  .max(DATASET_LIMITS.descriptionChars, `must be at most ${DATASET_LIMITS.descriptionChars} characters`)
  .refine(noNul, 'must not contain NUL characters')
  .nullish();

export const createDatasetBody = z.object({
  name: datasetName,
  description,
  metadata: z.unknown().optional(),
  inputSchema: z.unknown().optional(),
  expectedOutputSchema: z.unknown().optional(),
});

export const DATASET_ITEM_STATUSES = ['ACTIVE', 'ARCHIVED'] as const;

export const createItemBody = z.object({
  datasetName,
  id: bounded(DATASET_LIMITS.itemIdChars * 4)
    .refine((s) => s.length <= DATASET_LIMITS.itemIdChars, `must be at most ${DATASET_LIMITS.itemIdChars} characters`)
    .nullish(),
  input: z.unknown().optional(),
  expectedOutput: z.unknown().optional(),
  metadata: z.unknown().optional(),
  sourceTraceId: id.nullish(),
  sourceObservationId: id.nullish(),
  status: z.enum(DATASET_ITEM_STATUSES, `must be one of ${DATASET_ITEM_STATUSES.join(', ')}`).nullish(),
});

const isoDatetime = z
  .string('must be an ISO-8601 datetime string')
  .refine((s) => Number.isFinite(Date.parse(s)), 'must be an ISO-8601 datetime, e.g. 2024-05-01T12:00:00Z')
  .transform((s) => Date.parse(s));

export const createRunItemBody = z.object({
  runName,
  runDescription: description,
  metadata: z.unknown().optional(),
  datasetItemId: id,
  traceId: id.nullish(),
  observationId: id.nullish(),
  datasetVersion: isoDatetime.nullish(),
  createdAt: isoDatetime.nullish(),
});
