// Request and response shapes of the public REST API (docs/compatibility.md §5, §7), named after
// the seed's Fern-generated classes so the seed's example reads the same in TypeScript.
import type { GenerationBody, Json, ObservationBody, ObservationLevel, ScoreBody, SpanBody, TraceBody, Usage } from './types.js';

/** Body of `client.trace.create()`. @example `client.trace.create({ name: 'chat-completion' })` */
export type CreateTraceRequest = TraceBody;
/** Body of `client.event.create()`. @example `client.event.create({ traceId, name: 'retrieval' })` */
export type CreateEventRequest = ObservationBody;
/** Body of `client.span.create()`. @example `client.span.create({ traceId, name: 'step', startTime })` */
export type CreateSpanRequest = SpanBody;
/** Body of `client.span.update()`: `spanId` names the span; the other fields are merged in. @example `client.span.update({ spanId, endTime: new Date() })` */
export type UpdateSpanRequest = Omit<SpanBody, 'id'> & { spanId: string };
/** The seed's `LlmUsage`: `{ promptTokens, completionTokens }` (or `input`/`output`). @example `{ promptTokens: 512, completionTokens: 49 }` */
export type LlmUsage = Usage;
/** Body of `client.generations.log()` (the seed's `CreateLog`): `prompt`/`completion` are aliases of `input`/`output`. @example `client.generations.log({ traceId, model: 'gpt-4o', prompt, completion })` */
export type CreateLog = Omit<GenerationBody, 'prompt'> & { prompt?: Json; completion?: Json };
/** Body of `client.generations.update()`: `generationId` names the generation. @example `client.generations.update({ generationId, completion: 'done' })` */
export type UpdateGenerationRequest = Omit<CreateLog, 'id'> & { generationId: string };
/** Body of `client.score.create()`. @example `client.score.create({ traceId, name: 'feedback', value: 1 })` */
export type CreateScoreRequest = ScoreBody;

/** A trace as the API returns it. @example `(await client.trace.create({ name: 'x' })).id` */
export interface Trace {
  id: string;
  projectId: string;
  timestamp: string;
  name: string | null;
  input?: Json;
  output?: Json;
  metadata?: Json;
  sessionId: string | null;
  release: string | null;
  version: string | null;
  userId: string | null;
  tags: string[];
  public: boolean;
  environment: string;
  htmlPath: string;
  createdAt: string;
  updatedAt: string;
}

/** A row of `traces.list()`: ids of its observations and scores, latency (s) and total cost. @example `(await client.traces.list()).data[0].latency` */
export interface TraceWithDetails extends Trace {
  observations: string[];
  scores: string[];
  /** Seconds from the earliest to the latest observation start or end; 0 without observations. */
  latency: number;
  totalCost: number;
}

/** `traces.get()`: the trace with its observations and scores embedded. @example `(await client.traces.get(id)).observations` */
export interface TraceWithFullDetails extends Trace {
  observations: Observation[];
  scores: Score[];
  /** Seconds, as in `TraceWithDetails`. */
  latency: number;
  totalCost: number;
}

/** An observation (span, generation, event or another kind). @example `(await client.observations.get(id)).usage.total` */
export interface Observation {
  id: string;
  projectId: string;
  traceId: string | null;
  parentObservationId: string | null;
  type: string;
  name: string | null;
  environment: string;
  startTime: string;
  endTime: string | null;
  completionStartTime: string | null;
  version: string | null;
  input: Json;
  output: Json;
  metadata: Json;
  level: ObservationLevel;
  statusMessage: string | null;
  model: string | null;
  modelParameters: Record<string, unknown> | null;
  usageDetails: Record<string, number>;
  costDetails: Record<string, number>;
  usage: { unit: string; input: number; output: number; total: number };
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  latency: number | null;
  timeToFirstToken: number | null;
  calculatedTotalCost: number | null;
  /** The prompt version a generation was made from (see `trace.generation({ prompt })`). */
  promptName?: string | null;
  promptVersion?: number | null;
  promptId?: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A score. @example `(await client.scores.list({ traceId })).data[0].value` */
export interface Score {
  id: string;
  projectId: string;
  name: string;
  value: number;
  stringValue: string | null;
  dataType: string;
  source: string;
  traceId: string | null;
  observationId: string | null;
  sessionId: string | null;
  timestamp: string;
  comment: string | null;
  metadata: Json;
  environment: string;
  createdAt: string;
  updatedAt: string;
}

/** A session: created implicitly by the first trace that names it. @example `(await client.sessions.list()).data[0].id` */
export interface Session {
  id: string;
  createdAt: string;
  projectId: string;
  environment: string;
}

/** `sessions.get()`: the session with its traces. @example `(await client.sessions.get(id)).traces` */
export interface SessionWithTraces extends Session {
  traces: Trace[];
}

/** Every page-based list answers `{ data, meta }`. @example `const { data, meta } = await client.traces.list({ page: 2 })` */
export interface Paginated<T> {
  data: T[];
  meta: { page: number; limit: number; totalItems: number; totalPages: number };
}

/** Query values: arrays repeat the parameter, dates become ISO strings. @example `client.traces.list({ tags: ['a', 'b'], fromTimestamp: new Date(0) })` */
export type QueryValue = string | number | boolean | Date | string[] | undefined;

/** Filters of `traces.list()`. @example `client.traces.list({ userId: 'u1', limit: 10 })` */
export interface TraceListQuery {
  page?: number;
  limit?: number;
  userId?: string;
  name?: string;
  sessionId?: string;
  fromTimestamp?: Date | string;
  toTimestamp?: Date | string;
  orderBy?: string;
  tags?: string[];
  version?: string;
  release?: string;
  environment?: string[];
  fields?: string;
  [key: string]: QueryValue;
}

/** Filters of `observations.list()`. @example `client.observations.list({ traceId, type: 'GENERATION' })` */
export interface ObservationListQuery {
  page?: number;
  limit?: number;
  name?: string;
  userId?: string;
  type?: string;
  traceId?: string;
  level?: ObservationLevel;
  parentObservationId?: string;
  environment?: string[];
  fromStartTime?: Date | string;
  toStartTime?: Date | string;
  [key: string]: QueryValue;
}

/** Filters of `scores.list()` (GET /v2/scores). @example `client.scores.list({ name: 'feedback' })` */
export interface ScoreListQuery {
  page?: number;
  limit?: number;
  name?: string;
  traceId?: string;
  observationId?: string;
  sessionId?: string;
  datasetRunId?: string;
  userId?: string;
  source?: string;
  dataType?: string;
  [key: string]: QueryValue;
}

/** Filters of `sessions.list()`. @example `client.sessions.list({ limit: 20 })` */
export interface SessionListQuery {
  page?: number;
  limit?: number;
  fromTimestamp?: Date | string;
  toTimestamp?: Date | string;
  environment?: string[];
  [key: string]: QueryValue;
}
