import { toEntityEvent, validateEvent, valueRangeError, type EntityEvent } from '@sightline/core';
import type { IngestItem } from '@sightline/storage';
import { fieldLimitError } from '../ingest/field-limits.js';
import { mayHoldLoneSurrogate, replaceLoneSurrogates } from '../ingest/lone-surrogates.js';

/** A trace as `GET /api/public/traces/{id}` answers it (Langfuse's TraceWithFullDetails), read loosely. */
export interface SourceTrace {
  id: string;
  timestamp: string;
  updatedAt?: string;
  observations?: SourceObservation[];
  scores?: SourceScore[];
  [field: string]: unknown;
}

interface SourceObservation {
  id: string;
  type?: string;
  startTime?: string;
  updatedAt?: string;
  [field: string]: unknown;
}

export interface SourceScore {
  id: string;
  name: string;
  value: number;
  stringValue?: string | null;
  dataType?: string;
  timestamp: string;
  updatedAt?: string;
  [field: string]: unknown;
}

/** One trace's entities as ingestion events, and those the ingestion rules refused (named with the reason). */
export interface ConvertedTrace {
  events: EntityEvent[];
  raw: string[];
  rejected: string[];
}

const pick = (from: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
};

const TRACE_FIELDS = ['id', 'timestamp', 'name', 'input', 'output', 'sessionId', 'userId', 'environment', 'metadata', 'release', 'version', 'public', 'tags'] as const;
const OBSERVATION_FIELDS = [
  'id', 'traceId', 'parentObservationId', 'name', 'environment', 'startTime', 'endTime', 'completionStartTime', 'version', 'input', 'output',
  'metadata', 'level', 'statusMessage', 'model', 'modelParameters', 'usageDetails', 'costDetails',
] as const;
const SCORE_FIELDS = ['id', 'name', 'traceId', 'observationId', 'sessionId', 'datasetRunId', 'environment', 'comment', 'metadata', 'source', 'configId', 'queueId', 'executionTraceId'] as const;
/** Types whose create event carries every generation field, prompt link included. */
const TYPED_CREATES = new Set(['GENERATION', 'AGENT', 'TOOL', 'CHAIN', 'RETRIEVER', 'EVALUATOR', 'EMBEDDING', 'GUARDRAIL']);

/** A null in a read means "none"; absent says the same to ingestion and cannot clear anything by accident. */
const withoutNulls = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));

/**
 * The envelope time of an imported entity: its last update at the source, so a later import of
 * a changed entity sorts after (and wins over) an earlier one, while the same state imported twice
 * gets the same sort key and merges to the same record.
 */
const envelopeTime = (updatedAt: unknown, fallback: string): string => (typeof updatedAt === 'string' && updatedAt ? updatedAt : fallback);

function observationEvent(o: SourceObservation, traceId: string): Record<string, unknown> {
  const type = (o.type ?? 'SPAN').toUpperCase();
  const body = withoutNulls({ ...pick(o, OBSERVATION_FIELDS), traceId: o.traceId ?? traceId });
  let eventType: string;
  if (TYPED_CREATES.has(type)) {
    eventType = `${type.toLowerCase()}-create`;
    if (o.promptName != null && o.promptVersion != null) Object.assign(body, { promptName: o.promptName, promptVersion: o.promptVersion });
  } else {
    // Spans and events through the typed legacy create: it carries model, usage and cost as well.
    eventType = 'observation-create';
    body.type = type === 'EVENT' ? 'EVENT' : 'SPAN';
  }
  return { id: `import:observation:${o.id}`, type: eventType, timestamp: envelopeTime(o.updatedAt, o.startTime ?? new Date(0).toISOString()), body };
}

/** The value a score-create needs to reproduce the stored score (its typed value; categories by label). */
function scoreValue(s: SourceScore): number | string {
  switch (s.dataType) {
    case 'CATEGORICAL':
    case 'TEXT':
    case 'CORRECTION':
      return s.stringValue ?? String(s.value);
    default:
      return s.value;
  }
}

function scoreEvent(s: SourceScore): Record<string, unknown> {
  // A score is dated by its envelope time; the sort key's event id carries its last update.
  const updated = String(Date.parse(envelopeTime(s.updatedAt, s.timestamp)) || 0).padStart(15, '0');
  const body = withoutNulls({ ...pick(s, SCORE_FIELDS), value: scoreValue(s), dataType: s.dataType });
  return { id: `import:score:${updated}:${s.id}`, type: 'score-create', timestamp: s.timestamp, body };
}

/**
 * Turns one trace of the source, with its observations and scores, into the ingestion events
 * that recreate it: the same ids and timestamps, each entity in one create event. Scores keep
 * their stored value and name as they are (a categorical score's value came from its config at
 * the source, which need not exist here), so they are not bound to configs again.
 */
export function traceToEvents(trace: SourceTrace): ConvertedTrace {
  const traceEvent = {
    id: `import:trace:${trace.id}`,
    type: 'trace-create',
    timestamp: envelopeTime(trace.updatedAt, trace.timestamp),
    body: withoutNulls(pick(trace, TRACE_FIELDS)),
  };
  return toEvents([traceEvent, ...(trace.observations ?? []).map((o) => observationEvent(o, trace.id))], trace.scores ?? []);
}

/** Scores of sessions and dataset runs, which no trace holds, as ingestion events. */
export const scoresToEvents = (scores: SourceScore[]): ConvertedTrace => toEvents([], scores);

function toEvents(entities: Record<string, unknown>[], sourceScores: SourceScore[]): ConvertedTrace {
  const out: ConvertedTrace = { events: [], raw: [], rejected: [] };
  const scores = new Map(sourceScores.map((s) => [s.id, s]));
  for (const sent of [...entities, ...sourceScores.map(scoreEvent)]) {
    // The same checks as POST /api/public/ingestion: this server's limits may be narrower than the source's.
    let text = JSON.stringify(sent);
    const raw = mayHoldLoneSurrogate(text) ? (replaceLoneSurrogates(sent) as typeof sent) : sent;
    if (raw !== sent) text = JSON.stringify(raw);
    const v = validateEvent(raw);
    const problem = v.ok ? (fieldLimitError(v.event.id, v.event.body) ?? valueRangeError(v.event)) : v.error;
    const entity = v.ok && !problem ? toEntityEvent(v.event) : null;
    if (!entity) {
      out.rejected.push(`${String(raw.id)}: ${problem ?? 'carries no entity'}`);
      continue;
    }
    const source = entity.kind === 'score' ? scores.get(entity.entityId) : undefined;
    out.events.push(source && entity.kind === 'score' ? { ...entity, change: { ...entity.change, name: source.name, value: source.value, stringValue: source.stringValue ?? null } } : entity);
    out.raw.push(text);
  }
  return out;
}

/** The ingestion item of some converted traces: their usage and cost are kept as the source had them. */
export function importItem(projectId: string, traces: ConvertedTrace[]): IngestItem {
  return { projectId, events: traces.flatMap((t) => t.events), raw: traces.flatMap((t) => t.raw), keepUsageAndCost: true };
}
