import type { JsonObject, Level, NumberMap, ObservationRecord, ObservationType, ScoreDataType, ScoreRecord, ScoreSource, SessionRecord, TraceRecord } from '@sightline/core';
import type { Row } from './db.js';

export const json = <T>(v: unknown, fallback: T): T => (typeof v === 'string' ? (JSON.parse(v) as T) : fallback);
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

export function rowToObservation(r: Row): ObservationRecord {
  return {
    projectId: String(r.project_id),
    id: String(r.id),
    traceId: str(r.trace_id),
    parentObservationId: str(r.parent_observation_id),
    type: String(r.type) as ObservationType,
    name: str(r.name),
    environment: String(r.environment),
    startTime: Number(r.start_time),
    startTimeExplicit: r.start_time_explicit === undefined ? true : bool(r.start_time_explicit),
    endTime: num(r.end_time),
    completionStartTime: num(r.completion_start_time),
    version: str(r.version),
    input: str(r.input),
    output: str(r.output),
    metadata: json<JsonObject>(r.metadata, {}),
    level: String(r.level) as Level,
    statusMessage: str(r.status_message),
    model: str(r.model),
    modelParameters: json<JsonObject | null>(r.model_parameters, null),
    promptName: str(r.prompt_name),
    promptVersion: num(r.prompt_version),
    providedUsageDetails: json<NumberMap>(r.provided_usage_details, {}),
    providedCostDetails: json<NumberMap>(r.provided_cost_details, {}),
    usageDetails: json<NumberMap>(r.usage_details, {}),
    costDetails: json<NumberMap>(r.cost_details, {}),
    totalCost: num(r.total_cost),
    modelId: str(r.model_id),
    pricingTierId: str(r.pricing_tier_id),
    pricingTierName: str(r.pricing_tier_name),
    inputPrice: num(r.input_price),
    outputPrice: num(r.output_price),
    totalPrice: num(r.total_price),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    lastEventKey: String(r.last_event_key),
  };
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
