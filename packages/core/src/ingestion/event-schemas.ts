import { z } from 'zod';
import { LEVELS, SCORE_DATA_TYPES, SCORE_SOURCES } from '../domain/records.js';

/** ISO-8601 datetime that must carry `Z` or an offset (`2024-01-01T00:00:00.000Z`). */
export const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 datetime with a timezone offset or Z' });
const optDateTime = isoDateTime.nullish();
/** A string without NUL characters (PostgreSQL text cannot hold them; input/output/metadata may, as JSON). */
const text = () => z.string().refine((v) => !v.includes('\u0000'), 'must not contain NUL (\\u0000) characters');
const optString = text().nullish();
const anyJson = z.unknown().optional();

const usageCount = z.number().int('usage counts must be integers').nullish();
/** Legacy `usage`: the Langfuse shape or the OpenAI `{promptTokens, completionTokens, totalTokens}` shape. */
export const legacyUsageSchema = z
  .object({
    input: usageCount,
    output: usageCount,
    total: usageCount,
    unit: z.enum(['CHARACTERS', 'TOKENS', 'MILLISECONDS', 'SECONDS', 'IMAGES', 'REQUESTS']).nullish(),
    inputCost: z.number().nullish(),
    outputCost: z.number().nullish(),
    totalCost: z.number().nullish(),
    promptTokens: usageCount,
    completionTokens: usageCount,
    totalTokens: usageCount,
  })
  .nullish();

export const traceBodySchema = z.object({
  id: optString,
  timestamp: optDateTime,
  name: text().max(1000, 'name must be at most 1000 characters').nullish(),
  externalId: optString,
  input: anyJson,
  output: anyJson,
  sessionId: optString,
  userId: optString,
  environment: optString,
  metadata: anyJson,
  release: optString,
  version: optString,
  public: z.boolean().nullish(),
  tags: z.array(text()).nullish(),
});

const observationBase = {
  id: text().min(1, 'id is required'),
  traceId: optString,
  environment: optString,
  name: optString,
  startTime: optDateTime,
  metadata: anyJson,
  input: anyJson,
  output: anyJson,
  level: z.enum(LEVELS).nullish(),
  statusMessage: optString,
  parentObservationId: optString,
  version: optString,
};

export const eventBodySchema = z.object(observationBase);
export const spanBodySchema = z.object({ ...observationBase, endTime: optDateTime });

const generationFields = {
  ...observationBase,
  endTime: optDateTime,
  completionStartTime: optDateTime,
  model: optString,
  // Any JSON object, kept as sent (a zod record would silently drop a `__proto__` key).
  modelParameters: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'must be a JSON object').nullish(),
  usage: legacyUsageSchema,
  usageDetails: anyJson,
  costDetails: anyJson,
};

export const generationBodySchema = z
  .object({ ...generationFields, promptName: optString, promptVersion: z.number().int().nullish() })
  .refine((b) => (b.promptName == null) === (b.promptVersion == null), {
    message: 'promptName and promptVersion must be given together, or both left out',
    path: ['promptName'],
  });

export const legacyObservationBodySchema = z.object({
  ...generationFields,
  type: z.enum(['GENERATION', 'SPAN', 'EVENT']),
});

export const scoreBodySchema = z
  .object({
    id: optString,
    name: text().min(1, 'name must not be empty'),
    value: z.union([z.number(), text()]),
    dataType: z.enum(SCORE_DATA_TYPES).nullish(),
    traceId: optString,
    observationId: optString,
    sessionId: optString,
    datasetRunId: optString,
    environment: optString,
    comment: optString,
    metadata: anyJson,
    source: z.enum(SCORE_SOURCES).nullish(),
    configId: optString,
    queueId: optString,
    executionTraceId: optString,
  })
  .superRefine((s, ctx) => {
    const targets = [s.traceId, s.sessionId, s.datasetRunId].filter((v) => v != null).length;
    if (targets !== 1) {
      ctx.addIssue({ code: 'custom', path: ['traceId'], message: 'exactly one of traceId, sessionId or datasetRunId must be set' });
    }
    if (s.observationId != null && s.traceId == null) {
      ctx.addIssue({ code: 'custom', path: ['observationId'], message: 'observationId requires traceId' });
    }
    const type = s.dataType ?? (typeof s.value === 'number' ? 'NUMERIC' : 'CATEGORICAL');
    const v = s.value;
    const fail = (message: string) => ctx.addIssue({ code: 'custom', path: ['value'], message });
    if (type === 'NUMERIC' && typeof v !== 'number') fail('a NUMERIC score needs a number value');
    if ((type === 'CATEGORICAL' || type === 'CORRECTION') && typeof v !== 'string') fail(`a ${type} score needs a string value`);
    if (type === 'BOOLEAN' && v !== 0 && v !== 1) fail('a BOOLEAN score needs the value 0 or 1');
    if (type === 'TEXT' && (typeof v !== 'string' || v.length < 1 || v.length > 500)) fail('a TEXT score needs a string of 1 to 500 characters');
    if (type === 'CORRECTION' && s.configId != null) ctx.addIssue({ code: 'custom', path: ['configId'], message: 'a CORRECTION score cannot carry a configId' });
  });

export const sdkLogBodySchema = z.object({ log: anyJson, id: optString });

/** Event types that create or update an observation, mapped to the observation type they carry. */
export const OBSERVATION_EVENT_TYPES = {
  'span-create': 'SPAN',
  'span-update': 'SPAN',
  'generation-create': 'GENERATION',
  'generation-update': 'GENERATION',
  'event-create': 'EVENT',
  'agent-create': 'AGENT',
  'tool-create': 'TOOL',
  'chain-create': 'CHAIN',
  'retriever-create': 'RETRIEVER',
  'evaluator-create': 'EVALUATOR',
  'embedding-create': 'EMBEDDING',
  'guardrail-create': 'GUARDRAIL',
} as const;

export const INGESTION_EVENT_TYPES = [
  'trace-create',
  ...(Object.keys(OBSERVATION_EVENT_TYPES) as (keyof typeof OBSERVATION_EVENT_TYPES)[]),
  'observation-create',
  'observation-update',
  'score-create',
  'sdk-log',
] as const;
export type IngestionEventType = (typeof INGESTION_EVENT_TYPES)[number];

const eventEnvelope = z.object({
  id: z
    .string({ error: 'event id must be a string' })
    .min(1, 'event id must not be empty')
    .max(800, 'event id must be at most 800 characters')
    .refine((v) => !v.includes('\r'), 'ID cannot contain carriage return characters')
    .refine((v) => !v.includes('\u0000'), 'ID cannot contain NUL characters'),
  type: z.string(),
  timestamp: isoDateTime,
  body: z.unknown().optional(),
  metadata: z.unknown().optional(),
});

/** Picks the body schema of an event type; `undefined` for unknown types. */
export function bodySchemaFor(type: string): z.ZodType | undefined {
  if (type === 'trace-create') return traceBodySchema;
  if (type === 'score-create') return scoreBodySchema;
  if (type === 'sdk-log') return sdkLogBodySchema;
  if (type === 'event-create') return eventBodySchema;
  if (type === 'span-create' || type === 'span-update') return spanBodySchema;
  if (type === 'observation-create' || type === 'observation-update') return legacyObservationBodySchema;
  if (type in OBSERVATION_EVENT_TYPES) return generationBodySchema;
  return undefined;
}

export type TraceBody = z.infer<typeof traceBodySchema>;
export type GenerationBody = z.infer<typeof generationBodySchema> & { type?: 'GENERATION' | 'SPAN' | 'EVENT' };
export type ScoreBody = z.infer<typeof scoreBodySchema>;

/** One validated event of a batch, before normalisation. */
export type ValidEvent =
  | { id: string; type: 'trace-create'; timestamp: string; body: TraceBody }
  | { id: string; type: 'score-create'; timestamp: string; body: ScoreBody }
  | { id: string; type: 'sdk-log'; timestamp: string; body: { log?: unknown } }
  | { id: string; type: Exclude<IngestionEventType, 'trace-create' | 'score-create' | 'sdk-log'>; timestamp: string; body: GenerationBody };

export type EventValidation = { ok: true; event: ValidEvent } | { ok: false; id: string; message: string; error: string };

/** Formats zod issues as `path: message; ...`, naming each field and rule. */
export function formatIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((i) => {
      const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}

/** Validates one batch event. A failure names the event id (or "unknown") and every failing field. */
export function validateEvent(raw: unknown): EventValidation {
  const envelope = eventEnvelope.safeParse(raw);
  const rawId = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string'
    ? (raw as { id: string }).id
    : 'unknown';
  if (!envelope.success) return { ok: false, id: rawId, message: 'Invalid request data', error: formatIssues(envelope.error) };
  const { id, type, timestamp, body } = envelope.data;
  const schema = bodySchemaFor(type);
  if (!schema) {
    return { ok: false, id, message: 'Invalid request data', error: `type: unknown event type "${type}"; expected one of ${INGESTION_EVENT_TYPES.join(', ')}` };
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { ok: false, id, message: 'Invalid request data', error: formatIssues(parsed.error, 'body') };
  return { ok: true, event: { id, type, timestamp, body: parsed.data } as ValidEvent };
}
