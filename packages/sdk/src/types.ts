// Wire types of the ingestion API (docs/compatibility.md §3), declared here rather than imported
// from @sightline/core so the SDK ships with no runtime dependency and no zod.

/** Any JSON-serialisable value. @example `{ question: 'hi', k: 3 }` */
export type Json = unknown;

/** Observation severity, as the Langfuse API spells it. @example `span.end({ level: 'ERROR', statusMessage: 'timeout' })` */
export type ObservationLevel = 'DEBUG' | 'DEFAULT' | 'WARNING' | 'ERROR';

/** A timestamp: a `Date` or an ISO-8601 string with an offset. @example `new Date()` or `'2024-01-01T00:00:00.000Z'` */
export type Timestamp = Date | string;

/**
 * Token usage. Both the Langfuse shape (`input`/`output`/`total`) and the seed's OpenAI-style
 * shape (`promptTokens`/`completionTokens`/`totalTokens`) are accepted by the server.
 * @example `{ input: 10, output: 5 }` or `{ promptTokens: 512, completionTokens: 49 }`
 */
export interface Usage {
  input?: number;
  output?: number;
  total?: number;
  unit?: 'TOKENS' | 'CHARACTERS' | 'MILLISECONDS' | 'SECONDS' | 'IMAGES' | 'REQUESTS';
  inputCost?: number;
  outputCost?: number;
  totalCost?: number;
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
}

/** Fields of a trace (trace-create body). @example `sightline.trace({ name: 'chat', userId: 'u1', tags: ['beta'] })` */
export interface TraceBody {
  id?: string;
  timestamp?: Timestamp;
  name?: string | null;
  userId?: string | null;
  sessionId?: string | null;
  input?: Json;
  output?: Json;
  metadata?: Json;
  tags?: string[];
  release?: string | null;
  version?: string | null;
  public?: boolean;
  environment?: string;
}

/** Fields shared by every observation kind. @example `trace.event({ name: 'cache-miss', metadata: { key } })` */
export interface ObservationBody {
  id?: string;
  traceId?: string;
  parentObservationId?: string | null;
  name?: string | null;
  startTime?: Timestamp;
  metadata?: Json;
  input?: Json;
  output?: Json;
  level?: ObservationLevel;
  statusMessage?: string | null;
  version?: string | null;
  environment?: string;
}

/** Fields of a span: an observation with a duration. @example `trace.span({ name: 'retrieve', input: { query } })` */
export interface SpanBody extends ObservationBody {
  endTime?: Timestamp;
}

/** Fields of a generation: a span that called a model. @example `trace.generation({ name: 'llm', model: 'gpt-4o', modelParameters: { temperature: 0 } })` */
export interface GenerationBody extends SpanBody {
  completionStartTime?: Timestamp;
  model?: string | null;
  modelParameters?: Record<string, string | number | boolean | string[] | Record<string, string> | null>;
  usage?: Usage;
  usageDetails?: Record<string, number>;
  costDetails?: Record<string, number>;
  promptName?: string;
  promptVersion?: number;
  /** The prompt object from `getPrompt`: sets `promptName`/`promptVersion` unless it is a fallback. */
  prompt?: PromptLink;
}

/**
 * What a generation needs of a prompt to link to it; every object `getPrompt` returns fits.
 * @example `trace.generation({ name: 'llm', prompt: await sightline.getPrompt('greet') })`
 */
export interface PromptLink {
  name: string;
  version: number;
  isFallback?: boolean;
}

/** Fields of a score. `name` and `value` are required; attach it to a trace, observation or session. @example `sightline.score({ traceId, name: 'feedback', value: 1 })` */
export interface ScoreBody {
  id?: string;
  name: string;
  value: number | string;
  dataType?: 'NUMERIC' | 'CATEGORICAL' | 'BOOLEAN' | 'TEXT' | 'CORRECTION';
  traceId?: string;
  observationId?: string | null;
  sessionId?: string;
  /** A dataset run the score rates as a whole (an experiment's run-level evaluation). */
  datasetRunId?: string;
  comment?: string | null;
  metadata?: Json;
  configId?: string;
  environment?: string;
}

/** The event types this SDK sends to POST /api/public/ingestion. @example `'span-update'` */
export type IngestionEventType =
  | 'trace-create'
  | 'span-create'
  | 'span-update'
  | 'generation-create'
  | 'generation-update'
  | 'event-create'
  | 'score-create';

/** One entry of an ingestion batch. @example `{ id, type: 'trace-create', timestamp: '2024-01-01T00:00:00.000Z', body: { id: traceId, name: 'chat' } }` */
export interface IngestionEvent {
  id: string;
  type: IngestionEventType;
  timestamp: string;
  body: Record<string, unknown>;
}

/** The 207 answer of POST /api/public/ingestion. @example `{ successes: [{ id: 'e1', status: 201 }], errors: [] }` */
export interface IngestionResponse {
  successes: { id: string; status: number }[];
  errors: { id: string; status: number; message?: string; error?: string }[];
}
