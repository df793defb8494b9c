import type { EntityKind, JsonObject, Level, NumberMap, ObservationType, ScoreDataType, ScoreSource } from '../domain/records.js';
import { normalizeEnvironment } from '../normalize/environment.js';
import { toEpochMs } from '../normalize/timestamp.js';
import { buildProvidedUsage } from '../normalize/usage.js';
import { OBSERVATION_EVENT_TYPES, type ValidEvent } from './event-schemas.js';

/** What a trace event says about its trace. `undefined` means "not mentioned"; `null` clears where allowed. */
export interface TraceChange {
  timestamp?: number;
  name?: string | null;
  input?: string;
  output?: string;
  sessionId?: string | null;
  userId?: string | null;
  environment: string;
  metadata?: JsonObject;
  release?: string | null;
  version?: string | null;
  public: boolean;
  tags: string[];
}

export interface ObservationChange {
  type: ObservationType;
  isCreate: boolean;
  traceId?: string;
  parentObservationId?: string;
  name?: string | null;
  environment: string;
  startTime?: number;
  endTime?: number;
  completionStartTime?: number;
  version?: string;
  input?: string;
  output?: string;
  metadata?: JsonObject;
  level?: Level;
  statusMessage?: string;
  model?: string | null;
  modelParameters?: JsonObject;
  prompt?: { name: string; version: number };
  usageDetails: NumberMap;
  costDetails: NumberMap;
}

export interface ScoreChange {
  name: string;
  value: number;
  stringValue: string | null;
  dataType: ScoreDataType;
  source: ScoreSource;
  traceId?: string;
  observationId?: string | null;
  sessionId?: string;
  datasetRunId?: string;
  environment: string;
  comment?: string | null;
  metadata?: JsonObject;
  configId?: string | null;
  queueId?: string | null;
  executionTraceId?: string | null;
}

interface EventBase {
  /** Envelope event id. */
  eventId: string;
  entityId: string;
  /** Envelope timestamp, epoch ms. */
  ts: number;
  /** Total order of events of one entity (see `eventSortKey`). */
  sortKey: string;
}

export type EntityEvent =
  | (EventBase & { kind: 'trace'; change: TraceChange })
  | (EventBase & { kind: 'observation'; change: ObservationChange })
  | (EventBase & { kind: 'score'; change: ScoreChange });

const UPDATE_TYPES = new Set(['span-update', 'generation-update', 'observation-update']);

/**
 * Builds the sort key of an event, the total order in which an entity's events are merged
 * (docs/compatibility.md §3). Lexical order of keys is: envelope time (ms, then any sub-millisecond
 * digits the client sent), creates before updates, then the envelope event id. Nothing in it
 * depends on when or where the event arrived, so every instance folds to the same state.
 */
export function eventSortKey(ts: number, subMs: string, isUpdate: boolean, eventId: string): string {
  return `${String(Math.max(0, Math.trunc(ts))).padStart(15, '0')}${subMs}|${isUpdate ? 1 : 0}|${eventId}`;
}

/** Digits of an ISO timestamp's fraction beyond milliseconds, as 6 digits (micro- and nanoseconds). */
function subMillisecond(iso: string): string {
  const fraction = /\.(\d+)/.exec(iso)?.[1] ?? '';
  return fraction.slice(3, 9).padEnd(6, '0');
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Serialises a truthy input/output value as JSON text; falsy values (null, "", 0, false) say nothing. */
function ioText(v: unknown): string | undefined {
  return v ? JSON.stringify(v) : undefined;
}

/** Whether a string or key anywhere in `v` holds a NUL character. */
function holdsNul(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (Array.isArray(v)) return v.some(holdsNul);
  if (isPlainObject(v)) {
    for (const k in v) if (Object.hasOwn(v, k) && (k.includes('\u0000') || holdsNul(v[k]))) return true;
  }
  return false;
}

/**
 * Replaces NUL characters in strings and keys: metadata is queried as JSON, and PostgreSQL's jsonb
 * cannot hold NUL. A value without any is returned as it is (the common case copies nothing).
 */
function withoutNul(v: unknown): unknown {
  return holdsNul(v) ? replaceNul(v) : v;
}

function replaceNul(v: unknown): unknown {
  if (typeof v === 'string') return v.includes('\u0000') ? v.replaceAll('\u0000', '\uFFFD') : v;
  if (Array.isArray(v)) return v.map(replaceNul);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [replaceNul(k) as string, replaceNul(x)]));
  return v;
}

/** Metadata: objects are kept, other JSON values become `{metadata: value}`, absent/null say nothing. */
export function metadataObject(v: unknown): JsonObject | undefined {
  if (v === undefined || v === null) return undefined;
  const clean = withoutNul(v);
  if (isPlainObject(clean)) return clean as JsonObject;
  return { metadata: clean as JsonObject[string] };
}

const msOrUndefined = (v: string | null | undefined) => (v ? toEpochMs(v) : undefined);
const orUndefined = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

/**
 * Turns one validated batch event into an entity event, or `null` for events that carry no
 * entity (`sdk-log`). Events without an entity id get the envelope id, so they are stored and
 * a retried request does not duplicate them.
 */
export function toEntityEvent(e: ValidEvent): EntityEvent | null {
  const ts = toEpochMs(e.timestamp);
  const sortKey = eventSortKey(ts, subMillisecond(e.timestamp), UPDATE_TYPES.has(e.type), e.id);
  const base = { eventId: e.id, ts, sortKey };
  switch (e.type) {
    case 'sdk-log':
      return null;
    case 'trace-create': {
      const b = e.body;
      return {
        ...base,
        kind: 'trace',
        entityId: b.id ?? e.id,
        change: {
          timestamp: msOrUndefined(b.timestamp),
          name: b.name,
          input: ioText(b.input),
          output: ioText(b.output),
          sessionId: b.sessionId,
          userId: b.userId,
          environment: normalizeEnvironment(b.environment),
          metadata: metadataObject(b.metadata),
          release: b.release,
          version: b.version,
          public: b.public ?? false,
          tags: b.tags ?? [],
        },
      };
    }
    case 'score-create':
      return { ...base, kind: 'score', entityId: e.body.id ?? e.id, change: scoreChange(e.body) };
    default: {
      const b = e.body;
      const type: ObservationType =
        e.type === 'observation-create' || e.type === 'observation-update' ? (b.type ?? 'SPAN') : OBSERVATION_EVENT_TYPES[e.type];
      const usage = buildProvidedUsage(b.usage, b.usageDetails, b.costDetails);
      return {
        ...base,
        kind: 'observation',
        entityId: b.id,
        change: {
          type,
          isCreate: !UPDATE_TYPES.has(e.type),
          traceId: orUndefined(b.traceId),
          parentObservationId: orUndefined(b.parentObservationId),
          name: b.name,
          environment: normalizeEnvironment(b.environment),
          startTime: msOrUndefined(b.startTime),
          endTime: msOrUndefined(b.endTime),
          completionStartTime: msOrUndefined(b.completionStartTime),
          version: orUndefined(b.version),
          input: ioText(b.input),
          output: ioText(b.output),
          metadata: metadataObject(b.metadata),
          level: orUndefined(b.level),
          statusMessage: orUndefined(b.statusMessage),
          model: b.model,
          modelParameters: b.modelParameters ? (b.modelParameters as JsonObject) : undefined,
          prompt: b.promptName && b.promptVersion != null ? { name: b.promptName, version: b.promptVersion } : undefined,
          usageDetails: usage.usageDetails,
          costDetails: usage.costDetails,
        },
      };
    }
  }
}

function scoreChange(b: import('./event-schemas.js').ScoreBody): ScoreChange {
  const dataType: ScoreDataType = b.dataType ?? (typeof b.value === 'number' ? 'NUMERIC' : 'CATEGORICAL');
  let value = typeof b.value === 'number' ? b.value : 0;
  let stringValue: string | null = typeof b.value === 'string' ? b.value : null;
  if (dataType === 'NUMERIC') stringValue = null;
  if (dataType === 'BOOLEAN') stringValue = value === 1 ? 'True' : 'False';
  if (dataType === 'CATEGORICAL' || dataType === 'TEXT' || dataType === 'CORRECTION') value = 0;
  return {
    name: dataType === 'CORRECTION' ? 'output' : b.name,
    value,
    stringValue,
    dataType,
    source: b.source ?? 'API',
    traceId: orUndefined(b.traceId),
    observationId: b.observationId,
    sessionId: orUndefined(b.sessionId),
    datasetRunId: orUndefined(b.datasetRunId),
    environment: normalizeEnvironment(b.environment),
    comment: b.comment,
    metadata: metadataObject(b.metadata),
    configId: b.configId,
    queueId: b.queueId,
    executionTraceId: b.executionTraceId,
  };
}

export type { EntityKind };

export { VALUE_RANGES, valueRangeError } from './value-ranges.js';
