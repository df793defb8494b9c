// Request and response shapes of the public REST API (langfuse-compat.md §5, §7), named after
// the seed's Fern-generated classes so the seed's example reads the same in TypeScript.
import type { GenerationBody, Json, ObservationBody, ObservationLevel, ScoreBody, SpanBody, TraceBody, Usage } from './types.js';

/** Body of `client.trace.create()`. */
export type CreateTraceRequest = TraceBody;
/** Body of `client.event.create()`. */
export type CreateEventRequest = ObservationBody;
/** Body of `client.span.create()`. */
export type CreateSpanRequest = SpanBody;
/** Body of `client.span.update()`: `spanId` names the span; the other fields are merged in. */
export type UpdateSpanRequest = Omit<SpanBody, 'id'> & { spanId: string };
/** The seed's `LlmUsage`: `{ promptTokens, completionTokens }` (or `input`/`output`). */
export type LlmUsage = Usage;
/** Body of `client.generations.log()` (the seed's `CreateLog`): `prompt`/`completion` are aliases of `input`/`output`. */
export type CreateLog = GenerationBody & { prompt?: Json; completion?: Json };
/** Body of `client.generations.update()`: `generationId` names the generation. */
export type UpdateGenerationRequest = Omit<CreateLog, 'id'> & { generationId: string };
/** Body of `client.score.create()`. */
export type CreateScoreRequest = ScoreBody;

/** A trace as the API returns it. */
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

/** A row of `traces.list()`: ids of its observations and scores, latency (s) and total cost. */
export interface TraceWithDetails extends Trace {
  observations: string[];
  scores: string[];
  latency: number;
  totalCost: number;
}

/** `traces.get()`: the trace with its observations and scores embedded. */
export interface TraceWithFullDetails extends Trace {
  observations: Observation[];
  scores: Score[];
  latency: number;
  totalCost: number;
}

/** An observation (span, generation, event or another kind). */
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
  createdAt: string;
  updatedAt: string;
}

/** A score. */
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

/** A session: created implicitly by the first trace that names it. */
export interface Session {
  id: string;
  createdAt: string;
  projectId: string;
  environment: string;
}

/** `sessions.get()`: the session with its traces. */
export interface SessionWithTraces extends Session {
  traces: Trace[];
}

/** Every page-based list answers `{ data, meta }`. */
export interface Paginated<T> {
  data: T[];
  meta: { page: number; limit: number; totalItems: number; totalPages: number };
}

/** Query values: arrays repeat the parameter, dates become ISO strings. */
export type QueryValue = string | number | boolean | Date | string[] | undefined;

/** Filters of `traces.list()`. */
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

/** Filters of `observations.list()`. */
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

/** Filters of `scores.list()` (GET /v2/scores). */
export interface ScoreListQuery {
  page?: number;
  limit?: number;
  name?: string;
  traceId?: string;
  observationId?: string;
  sessionId?: string;
  userId?: string;
  source?: string;
  dataType?: string;
  [key: string]: QueryValue;
}

/** Filters of `sessions.list()`. */
export interface SessionListQuery {
  page?: number;
  limit?: number;
  fromTimestamp?: Date | string;
  toTimestamp?: Date | string;
  environment?: string[];
  [key: string]: QueryValue;
}
