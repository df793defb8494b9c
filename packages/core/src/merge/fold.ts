import type { Folded, MergeState, MetaKeys, ObservationRecord, ScoreRecord, TraceRecord } from '../domain/records.js';
import type { EntityEvent, ObservationChange, ScoreChange, TraceChange } from '../ingestion/entity-event.js';
import { mergeKeyedMetadata } from './keyed-metadata.js';

export { decodeMergeState, encodeMergeState } from './merge-state.js';

/** Context of one fold: the project, the wall clock, and the creation time to keep on replays. */
export interface FoldContext {
  projectId: string;
  now: number;
  createdAt?: number;
}

interface Keyed {
  /** This event sorts before every event folded so far: it decides the first-value-wins fields. */
  isFirst: boolean;
  /** This event sorts after every event folded so far: it decides the fields every event sets. */
  isLast: boolean;
  /** Last defined value wins: `next` unless a later event already set `field`. */
  last<T>(field: string, next: T | undefined, prev: T): T;
  /** First defined value wins: `next` unless an earlier event already set `field`. */
  first<T>(field: string, next: T | undefined, prev: T): T;
  /**
   * Earliest explicit value wins (a trace starts at the earliest time any event gives it, whatever
   * order the events sort in); until one is given, `fallback` (e.g. the first event's envelope time).
   */
  earliest(field: string, next: number | undefined, prev: number, fallback: number): number;
  /** The merge state after this event. */
  state(meta: MetaKeys, end?: number | null): MergeState;
  lastKey: string;
}

/**
 * Merges one event, with sort key `k`, field by field: each field remembers the sort key of the
 * event that set it, so an event is merged in one step whether it arrives before or after events
 * that sort after it, and the result is the in-order fold whatever the arrival order (no replay).
 */
function keyed(prev: Folded | undefined, k: string): Keyed {
  const st = prev?.merge;
  const fields = { ...st?.fields };
  const isFirst = !prev || !st || k < st.first;
  const isLast = !prev || k > prev.lastEventKey;
  return {
    isFirst,
    isLast,
    lastKey: isLast ? k : prev.lastEventKey,
    last(field, next, prevValue) {
      if (next === undefined) return prevValue;
      const at = fields[field];
      if (at !== undefined && at >= k) return prevValue;
      fields[field] = k;
      return next;
    },
    first(field, next, prevValue) {
      if (next === undefined) return prevValue;
      const at = fields[field];
      if (at !== undefined && at <= k) return prevValue;
      fields[field] = k;
      return next;
    },
    earliest(field, next, prevValue, fallback) {
      const explicit = fields[field] !== undefined;
      if (next === undefined) return explicit ? prevValue : fallback;
      if (explicit && (prevValue < next || (prevValue === next && fields[field] <= k))) return prevValue;
      fields[field] = k;
      return next;
    },
    state: (meta, end) => ({ first: isFirst ? k : st.first, fields, meta, ...(end === undefined ? {} : { end }) }),
  };
}

function unionTags(prev: string[], next: string[]): string[] {
  if (next.length === 0) return prev;
  return [...new Set([...prev, ...next])].sort();
}

const nonEmpty = <T extends object>(v: T): T | undefined => (Object.keys(v).length > 0 ? v : undefined);

function blankTrace(id: string, ts: number, c: TraceChange, ctx: FoldContext): TraceRecord {
  return {
    id, projectId: ctx.projectId, timestamp: c.timestamp ?? ts, name: null, input: null, output: null, sessionId: null, userId: null,
    environment: c.environment, metadata: {}, release: null, version: null, public: false, bookmarked: false, tags: [],
    createdAt: ctx.createdAt ?? ctx.now, updatedAt: ctx.now, lastEventKey: '',
  };
}

export function foldTrace(prev: TraceRecord | undefined, id: string, ts: number, sortKey: string, c: TraceChange, ctx: FoldContext): TraceRecord {
  const base = prev ?? blankTrace(id, ts, c, ctx);
  const m = keyed(prev, sortKey);
  const meta = mergeKeyedMetadata(base.merge?.meta ?? {}, base.metadata, c.metadata, sortKey);
  return {
    ...base,
    timestamp: m.earliest('timestamp', c.timestamp, base.timestamp, m.isFirst ? ts : base.timestamp),
    environment: m.isFirst ? c.environment : base.environment,
    name: m.last('name', c.name, base.name),
    input: m.last('input', c.input, base.input),
    output: m.last('output', c.output, base.output),
    sessionId: m.last('sessionId', c.sessionId, base.sessionId),
    userId: m.last('userId', c.userId, base.userId),
    metadata: meta.metadata,
    release: m.last('release', c.release, base.release),
    version: m.last('version', c.version, base.version),
    public: m.isLast ? c.public : base.public,
    tags: unionTags(base.tags, c.tags),
    updatedAt: ctx.now,
    lastEventKey: m.lastKey,
    merge: m.state(meta.keys),
  };
}

function blankObservation(id: string, ts: number, c: ObservationChange, ctx: FoldContext): ObservationRecord {
  return {
    id, projectId: ctx.projectId, traceId: null, parentObservationId: null, type: c.type, name: null, environment: c.environment,
    startTime: ts, startTimeExplicit: false, endTime: null, completionStartTime: null, version: null, input: null, output: null,
    metadata: {}, level: 'DEFAULT', statusMessage: null, model: null, modelParameters: null, promptName: null, promptVersion: null,
    providedUsageDetails: {}, providedCostDetails: {}, usageDetails: {}, costDetails: {}, totalCost: null, modelId: null,
    pricingTierId: null, pricingTierName: null, inputPrice: null, outputPrice: null, totalPrice: null,
    createdAt: ctx.createdAt ?? ctx.now, updatedAt: ctx.now, lastEventKey: '',
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
  const base = prev ?? blankObservation(id, ts, c, ctx);
  const m = keyed(prev, sortKey);
  const meta = mergeKeyedMetadata(base.merge?.meta ?? {}, base.metadata, c.metadata, sortKey);
  // The first explicit startTime wins; the envelope time of the first event only stands in until one arrives
  // (SDKs may send an update, stamped earlier, before its create).
  const explicitStart = m.first('startTime', c.startTime, base.startTimeExplicit ? base.startTime : undefined);
  const startTime = explicitStart ?? (m.isFirst ? ts : base.startTime);
  // The end time is kept as sent and clamped to the start time only on output, as the start time may still move.
  const end = m.last('endTime', c.endTime, base.merge ? (base.merge.end ?? null) : base.endTime);
  const storedPrompt = base.promptName !== null && base.promptVersion !== null ? { name: base.promptName, version: base.promptVersion } : null;
  const prompt = m.last('prompt', c.prompt, storedPrompt);
  // The type is the last create's; an entity seen only through updates takes the first update's.
  const type = c.isCreate ? m.last('type', c.type, base.type) : m.isFirst && base.merge?.fields.type === undefined ? c.type : base.type;
  return {
    ...base,
    startTime,
    startTimeExplicit: explicitStart !== undefined,
    environment: m.isFirst ? c.environment : base.environment,
    type,
    traceId: m.first('traceId', c.traceId, base.traceId ?? undefined) ?? null,
    parentObservationId: m.last('parentObservationId', c.parentObservationId, base.parentObservationId),
    name: m.last('name', c.name, base.name),
    endTime: end === null ? null : Math.max(end, startTime),
    completionStartTime: m.last('completionStartTime', c.completionStartTime, base.completionStartTime),
    version: m.last('version', c.version, base.version),
    input: m.last('input', c.input, base.input),
    output: m.last('output', c.output, base.output),
    metadata: meta.metadata,
    level: m.last('level', c.level, base.level),
    statusMessage: m.last('statusMessage', c.statusMessage, base.statusMessage),
    model: m.last('model', c.model, base.model),
    modelParameters: m.last('modelParameters', c.modelParameters, base.modelParameters),
    promptName: prompt?.name ?? null,
    promptVersion: prompt?.version ?? null,
    providedUsageDetails: m.last('usageDetails', nonEmpty(c.usageDetails), base.providedUsageDetails),
    providedCostDetails: m.last('costDetails', nonEmpty(c.costDetails), base.providedCostDetails),
    updatedAt: ctx.now,
    lastEventKey: m.lastKey,
    merge: m.state(meta.keys, end),
  };
}

export function foldScore(prev: ScoreRecord | undefined, id: string, ts: number, sortKey: string, c: ScoreChange, ctx: FoldContext): ScoreRecord {
  const base: ScoreRecord = prev ?? {
    id, projectId: ctx.projectId, name: c.name, value: c.value, stringValue: c.stringValue, dataType: c.dataType, source: c.source,
    traceId: c.traceId ?? null, observationId: null, sessionId: null, datasetRunId: null, timestamp: ts, comment: null, metadata: {},
    configId: null, queueId: null, executionTraceId: null, environment: c.environment, authorUserId: null,
    createdAt: ctx.createdAt ?? ctx.now, updatedAt: ctx.now, lastEventKey: '',
  };
  const m = keyed(prev, sortKey);
  const meta = mergeKeyedMetadata(base.merge?.meta ?? {}, base.metadata, c.metadata, sortKey);
  const latest = m.isLast ? { name: c.name, value: c.value, stringValue: c.stringValue, dataType: c.dataType, source: c.source } : {};
  const earliest = m.isFirst ? { timestamp: ts, traceId: c.traceId ?? null, environment: c.environment } : {};
  return {
    ...base,
    ...latest,
    ...earliest,
    observationId: m.last('observationId', c.observationId, base.observationId),
    sessionId: m.last('sessionId', c.sessionId, base.sessionId),
    datasetRunId: m.last('datasetRunId', c.datasetRunId, base.datasetRunId),
    comment: m.last('comment', c.comment, base.comment),
    metadata: meta.metadata,
    configId: m.last('configId', c.configId, base.configId),
    queueId: m.last('queueId', c.queueId, base.queueId),
    executionTraceId: m.last('executionTraceId', c.executionTraceId, base.executionTraceId),
    updatedAt: ctx.now,
    lastEventKey: m.lastKey,
    merge: m.state(meta.keys),
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
 * Folds the events of one entity onto `prev`. The merge is field by field (see `keyed`), so the
 * result does not depend on the order of `events` nor on whether they sort before `prev`'s.
 */
export function foldEvents(prev: AnyRecord | undefined, events: EntityEvent[], ctx: FoldContext): AnyRecord | undefined {
  let state = prev;
  for (const e of events) state = foldEvent(state, e, ctx);
  return state;
}

/**
 * True when `prev` was stored before merge states existed: its fields do not say which event set
 * them, so its log must be replayed once (`foldEvents(undefined, log)`) before events merge into it.
 */
export function needsReplay(prev: AnyRecord | undefined, events: EntityEvent[]): boolean {
  return prev !== undefined && !prev.merge && events.length > 0;
}
