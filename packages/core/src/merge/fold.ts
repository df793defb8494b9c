import type { JsonObject, ObservationRecord, ScoreRecord, TraceRecord } from '../domain/records.js';
import type { EntityEvent, ObservationChange, ScoreChange, TraceChange } from '../ingestion/entity-event.js';
import { deepMerge } from './deep-merge.js';

/** Context of one fold: the project, the wall clock, and the creation time to keep on replays. */
export interface FoldContext {
  projectId: string;
  now: number;
  createdAt?: number;
}

/** `next` when it says something (not undefined), else `prev`. */
const pick = <T>(next: T | undefined, prev: T): T => (next === undefined ? prev : next);

function mergeMetadata(prev: JsonObject, next: JsonObject | undefined): JsonObject {
  return next && Object.keys(next).length > 0 ? deepMerge(prev, next) : prev;
}

function unionTags(prev: string[], next: string[]): string[] {
  if (next.length === 0) return prev;
  return [...new Set([...prev, ...next])].sort();
}

export function foldTrace(prev: TraceRecord | undefined, id: string, ts: number, sortKey: string, c: TraceChange, ctx: FoldContext): TraceRecord {
  if (!prev) {
    prev = {
      id,
      projectId: ctx.projectId,
      timestamp: c.timestamp ?? ts,
      name: null,
      input: null,
      output: null,
      sessionId: null,
      userId: null,
      environment: c.environment,
      metadata: {},
      release: null,
      version: null,
      public: false,
      bookmarked: false,
      tags: [],
      createdAt: ctx.createdAt ?? ctx.now,
      updatedAt: ctx.now,
      lastEventKey: '',
    };
  }
  return {
    ...prev,
    name: pick(c.name, prev.name),
    input: pick(c.input, prev.input),
    output: pick(c.output, prev.output),
    sessionId: pick(c.sessionId, prev.sessionId),
    userId: pick(c.userId, prev.userId),
    metadata: mergeMetadata(prev.metadata, c.metadata),
    release: pick(c.release, prev.release),
    version: pick(c.version, prev.version),
    public: c.public,
    tags: unionTags(prev.tags, c.tags),
    updatedAt: ctx.now,
    lastEventKey: sortKey,
  };
}

export function foldObservation(
  prev: ObservationRecord | undefined,
  id: string,
  ts: number,
  sortKey: string,
  c: ObservationChange,
  ctx: FoldContext,
): ObservationRecord {
  if (!prev) {
    prev = {
      id,
      projectId: ctx.projectId,
      traceId: null,
      parentObservationId: null,
      type: c.type,
      name: null,
      environment: c.environment,
      startTime: c.startTime ?? ts,
      startTimeExplicit: c.startTime !== undefined,
      endTime: null,
      completionStartTime: null,
      version: null,
      input: null,
      output: null,
      metadata: {},
      level: 'DEFAULT',
      statusMessage: null,
      model: null,
      modelParameters: null,
      promptName: null,
      promptVersion: null,
      providedUsageDetails: {},
      providedCostDetails: {},
      usageDetails: {},
      costDetails: {},
      totalCost: null,
      modelId: null,
      pricingTierId: null,
      pricingTierName: null,
      inputPrice: null,
      outputPrice: null,
      totalPrice: null,
      createdAt: ctx.createdAt ?? ctx.now,
      updatedAt: ctx.now,
      lastEventKey: '',
    };
  }
  // The first explicit startTime wins; the envelope time of the first event only stands in until one arrives
  // (SDKs may send an update, stamped earlier, before its create).
  const takeStart = !prev.startTimeExplicit && c.startTime !== undefined;
  const startTime = takeStart ? c.startTime! : prev.startTime;
  const end = c.endTime === undefined ? prev.endTime : c.endTime;
  const endTime = end === null ? null : Math.max(end, startTime);
  const next: ObservationRecord = {
    ...prev,
    startTime,
    startTimeExplicit: prev.startTimeExplicit || takeStart,
    type: c.isCreate ? c.type : prev.type,
    traceId: prev.traceId ?? c.traceId ?? null,
    parentObservationId: pick(c.parentObservationId, prev.parentObservationId),
    name: pick(c.name, prev.name),
    endTime,
    completionStartTime: pick(c.completionStartTime, prev.completionStartTime),
    version: pick(c.version, prev.version),
    input: pick(c.input, prev.input),
    output: pick(c.output, prev.output),
    metadata: mergeMetadata(prev.metadata, c.metadata),
    level: pick(c.level, prev.level),
    statusMessage: pick(c.statusMessage, prev.statusMessage),
    model: pick(c.model, prev.model),
    modelParameters: pick(c.modelParameters, prev.modelParameters),
    promptName: c.prompt ? c.prompt.name : prev.promptName,
    promptVersion: c.prompt ? c.prompt.version : prev.promptVersion,
    providedUsageDetails: Object.keys(c.usageDetails).length > 0 ? c.usageDetails : prev.providedUsageDetails,
    providedCostDetails: Object.keys(c.costDetails).length > 0 ? c.costDetails : prev.providedCostDetails,
    updatedAt: ctx.now,
    lastEventKey: sortKey,
  };
  return next;
}

export function foldScore(prev: ScoreRecord | undefined, id: string, ts: number, sortKey: string, c: ScoreChange, ctx: FoldContext): ScoreRecord {
  if (!prev) {
    prev = {
      id,
      projectId: ctx.projectId,
      name: c.name,
      value: c.value,
      stringValue: c.stringValue,
      dataType: c.dataType,
      source: c.source,
      traceId: c.traceId ?? null,
      observationId: null,
      sessionId: null,
      datasetRunId: null,
      timestamp: ts,
      comment: null,
      metadata: {},
      configId: null,
      queueId: null,
      executionTraceId: null,
      environment: c.environment,
      authorUserId: null,
      createdAt: ctx.createdAt ?? ctx.now,
      updatedAt: ctx.now,
      lastEventKey: '',
    };
  }
  return {
    ...prev,
    name: c.name,
    value: c.value,
    stringValue: c.stringValue,
    dataType: c.dataType,
    source: c.source,
    observationId: pick(c.observationId, prev.observationId),
    sessionId: pick(c.sessionId, prev.sessionId),
    datasetRunId: pick(c.datasetRunId, prev.datasetRunId),
    comment: pick(c.comment, prev.comment),
    metadata: mergeMetadata(prev.metadata, c.metadata),
    configId: pick(c.configId, prev.configId),
    queueId: pick(c.queueId, prev.queueId),
    executionTraceId: pick(c.executionTraceId, prev.executionTraceId),
    updatedAt: ctx.now,
    lastEventKey: sortKey,
  };
}

export type AnyRecord = TraceRecord | ObservationRecord | ScoreRecord;

/** Folds one entity event into the previous state of its entity. */
export function foldEvent(prev: AnyRecord | undefined, e: EntityEvent, ctx: FoldContext): AnyRecord {
  switch (e.kind) {
    case 'trace':
      return foldTrace(prev as TraceRecord | undefined, e.entityId, e.ts, e.sortKey, e.change, ctx);
    case 'observation':
      return foldObservation(prev as ObservationRecord | undefined, e.entityId, e.ts, e.sortKey, e.change, ctx);
    case 'score':
      return foldScore(prev as ScoreRecord | undefined, e.entityId, e.ts, e.sortKey, e.change, ctx);
  }
}

/**
 * Folds the events of one entity onto `prev`. When every event sorts after `prev.lastEventKey`
 * this is an incremental fold; otherwise the caller must replay the entity's whole log from
 * scratch (see `needsReplay`). Events are sorted here.
 */
export function foldEvents(prev: AnyRecord | undefined, events: EntityEvent[], ctx: FoldContext): AnyRecord | undefined {
  const sorted = [...events].sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  let state = prev;
  for (const e of sorted) state = foldEvent(state, e, ctx);
  return state;
}

/** True when some incoming event sorts at or before the newest event already folded into `prev`. */
export function needsReplay(prev: AnyRecord | undefined, events: EntityEvent[]): boolean {
  if (!prev) return false;
  return events.some((e) => e.sortKey <= prev.lastEventKey);
}
