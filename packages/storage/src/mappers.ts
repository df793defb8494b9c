import type { JsonObject, Level, NumberMap, ObservationRecord, ObservationType, ScoreDataType, ScoreRecord, ScoreSource, SessionRecord, TraceRecord } from '@sightline/core';
import type { Row } from './db.js';

// '{}' is most stored maps (no usage, no cost, no metadata): a new empty object, without the parser.
export const json = <T>(v: unknown, fallback: T): T => (typeof v === 'string' ? (v === '{}' ? ({} as T) : (JSON.parse(v) as T)) : fallback);
export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const bool = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 't';

export const TRACE_COLUMNS = [
  'project_id', 'id', 'timestamp', 'name', 'input', 'output', 'session_id', 'user_id', 'environment', 'metadata',
  'release', 'version', 'public', 'bookmarked', 'tags', 'created_at', 'updated_at', 'last_event_key',
] as const;

export function traceValues(t: TraceRecord): unknown[] {
  return [
    t.projectId, t.id, t.timestamp, t.name, t.input, t.output, t.sessionId, t.userId, t.environment, JSON.stringify(t.metadata),
    t.release, t.version, t.public, t.bookmarked, JSON.stringify(t.tags), t.createdAt, t.updatedAt, t.lastEventKey,
  ];
}

export function rowToTrace(r: Row): TraceRecord {
  return {
    projectId: String(r.project_id),
    id: String(r.id),
    timestamp: Number(r.timestamp),
    name: str(r.name),
    input: str(r.input),
    output: str(r.output),
    sessionId: str(r.session_id),
    userId: str(r.user_id),
    environment: String(r.environment),
    metadata: json<JsonObject>(r.metadata, {}),
    release: str(r.release),
    version: str(r.version),
    public: bool(r.public),
    bookmarked: bool(r.bookmarked),
    tags: json<string[]>(r.tags, []),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    lastEventKey: String(r.last_event_key),
  };
}

export const OBSERVATION_COLUMNS = [
  'project_id', 'id', 'trace_id', 'parent_observation_id', 'type', 'name', 'environment', 'start_time', 'end_time',
  'completion_start_time', 'version', 'input', 'output', 'metadata', 'level', 'status_message', 'model', 'model_parameters',
  'prompt_name', 'prompt_version', 'usage_details', 'provided_cost_details', 'cost_details', 'total_cost', 'created_at',
  'updated_at', 'last_event_key', 'provided_usage_details', 'model_id', 'pricing_tier_id', 'pricing_tier_name', 'input_price',
  'output_price', 'total_price', 'start_time_explicit',
] as const;

export function observationValues(o: ObservationRecord): unknown[] {
  return [
    o.projectId, o.id, o.traceId, o.parentObservationId, o.type, o.name, o.environment, o.startTime, o.endTime,
    o.completionStartTime, o.version, o.input, o.output, JSON.stringify(o.metadata), o.level, o.statusMessage, o.model,
    o.modelParameters === null ? null : JSON.stringify(o.modelParameters), o.promptName, o.promptVersion,
    JSON.stringify(o.usageDetails), JSON.stringify(o.providedCostDetails), JSON.stringify(o.costDetails), o.totalCost,
    o.createdAt, o.updatedAt, o.lastEventKey, JSON.stringify(o.providedUsageDetails), o.modelId, o.pricingTierId,
    o.pricingTierName, o.inputPrice, o.outputPrice, o.totalPrice, o.startTimeExplicit,
  ];
}

/** A stored observation from its values in `OBSERVATION_COLUMNS` order (the inverse of `observationValues`). */
export function observationFromValues(v: readonly unknown[]): ObservationRecord {
  return {
    projectId: String(v[0]),
    id: String(v[1]),
    traceId: str(v[2]),
    parentObservationId: str(v[3]),
    type: String(v[4]) as ObservationType,
    name: str(v[5]),
    environment: String(v[6]),
    startTime: Number(v[7]),
    startTimeExplicit: v[34] === undefined ? true : bool(v[34]),
    endTime: num(v[8]),
    completionStartTime: num(v[9]),
    version: str(v[10]),
    input: str(v[11]),
    output: str(v[12]),
    metadata: json<JsonObject>(v[13], {}),
    level: String(v[14]) as Level,
    statusMessage: str(v[15]),
    model: str(v[16]),
    modelParameters: json<JsonObject | null>(v[17], null),
    promptName: str(v[18]),
    promptVersion: num(v[19]),
    providedUsageDetails: json<NumberMap>(v[27], {}),
    providedCostDetails: json<NumberMap>(v[21], {}),
    usageDetails: json<NumberMap>(v[20], {}),
    costDetails: json<NumberMap>(v[22], {}),
    totalCost: num(v[23]),
    modelId: str(v[28]),
    pricingTierId: str(v[29]),
    pricingTierName: str(v[30]),
    inputPrice: num(v[31]),
    outputPrice: num(v[32]),
    totalPrice: num(v[33]),
    createdAt: Number(v[24]),
    updatedAt: Number(v[25]),
    lastEventKey: String(v[26]),
  };
}

export function rowToObservation(r: Row): ObservationRecord {
  return observationFromValues(OBSERVATION_COLUMNS.map((c) => r[c]));
}

export const SCORE_COLUMNS = [
  'project_id', 'id', 'name', 'value', 'string_value', 'data_type', 'source', 'trace_id', 'observation_id', 'session_id',
  'dataset_run_id', 'timestamp', 'comment', 'metadata', 'config_id', 'queue_id', 'execution_trace_id', 'environment',
  'author_user_id', 'created_at', 'updated_at', 'last_event_key',
] as const;

export function scoreValues(s: ScoreRecord): unknown[] {
  return [
    s.projectId, s.id, s.name, s.value, s.stringValue, s.dataType, s.source, s.traceId, s.observationId, s.sessionId,
    s.datasetRunId, s.timestamp, s.comment, JSON.stringify(s.metadata), s.configId, s.queueId, s.executionTraceId,
    s.environment, s.authorUserId, s.createdAt, s.updatedAt, s.lastEventKey,
  ];
}

export function rowToScore(r: Row): ScoreRecord {
  return {
    projectId: String(r.project_id),
    id: String(r.id),
    name: String(r.name),
    value: Number(r.value),
    stringValue: str(r.string_value),
    dataType: String(r.data_type) as ScoreDataType,
    source: String(r.source) as ScoreSource,
    traceId: str(r.trace_id),
    observationId: str(r.observation_id),
    sessionId: str(r.session_id),
    datasetRunId: str(r.dataset_run_id),
    timestamp: Number(r.timestamp),
    comment: str(r.comment),
    metadata: json<JsonObject>(r.metadata, {}),
    configId: str(r.config_id),
    queueId: str(r.queue_id),
    executionTraceId: str(r.execution_trace_id),
    environment: String(r.environment),
    authorUserId: str(r.author_user_id),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    lastEventKey: String(r.last_event_key),
  };
}

export function rowToSession(r: Row): SessionRecord {
  return { projectId: String(r.project_id), id: String(r.id), environment: String(r.environment), createdAt: Number(r.created_at) };
}
