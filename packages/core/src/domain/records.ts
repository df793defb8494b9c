/** Domain records: the merged state of each entity, as storage keeps it. Times are epoch ms. */

export const OBSERVATION_TYPES = [
  'SPAN', 'GENERATION', 'EVENT', 'AGENT', 'TOOL', 'CHAIN', 'RETRIEVER', 'EVALUATOR', 'EMBEDDING', 'GUARDRAIL',
] as const;
export type ObservationType = (typeof OBSERVATION_TYPES)[number];

export const LEVELS = ['DEBUG', 'DEFAULT', 'WARNING', 'ERROR'] as const;
export type Level = (typeof LEVELS)[number];

export const SCORE_DATA_TYPES = ['NUMERIC', 'CATEGORICAL', 'BOOLEAN', 'TEXT', 'CORRECTION'] as const;
export type ScoreDataType = (typeof SCORE_DATA_TYPES)[number];

export const SCORE_SOURCES = ['API', 'EVAL', 'ANNOTATION'] as const;
export type ScoreSource = (typeof SCORE_SOURCES)[number];

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
/** Usage counts or costs keyed by usage type (`input`, `output`, `total`, `input_cached_tokens`, ...). */
export type NumberMap = Record<string, number>;

/** Fields every merged entity carries for ordering: the sort key of the last event folded in. */
export interface Folded {
  /** Sort key (see `eventSortKey`) of the newest event folded into this state. */
  lastEventKey: string;
  /** Which event set each field (merge/merge-state.ts); absent on rows written before it existed. */
  merge?: MergeState | null;
}

/** Sort keys of the events that set a merged entity's fields, so a late event merges without a replay. */
export interface MergeState {
  /** Sort key of the earliest event folded in (it decides the first-value-wins fields). */
  first: string;
  /** Sort key of the event that set each last-value-wins field, by field name. */
  fields: Record<string, string>;
  /** Sort keys of the metadata deep merge, per path. */
  meta: MetaKeys;
  /** Observation end time as last sent, before it is clamped to the start time. */
  end?: number | null;
}

/** Sort keys of one metadata path: its last non-object value (`s`), its last object value (`o`), its keys (`c`). */
export interface MetaKeys {
  s?: string;
  o?: string;
  c?: Record<string, MetaKeys>;
}

export interface TraceRecord extends Folded {
  id: string;
  projectId: string;
  timestamp: number;
  name: string | null;
  /** JSON text of the input, or null. */
  input: string | null;
  output: string | null;
  sessionId: string | null;
  userId: string | null;
  environment: string;
  metadata: JsonObject;
  release: string | null;
  version: string | null;
  public: boolean;
  bookmarked: boolean;
  tags: string[];
  createdAt: number;
  updatedAt: number;
}

export interface ObservationRecord extends Folded {
  id: string;
  projectId: string;
  traceId: string | null;
  parentObservationId: string | null;
  type: ObservationType;
  name: string | null;
  environment: string;
  startTime: number;
  /** False while `startTime` is only the envelope time of the first event; an explicit `startTime` then replaces it. */
  startTimeExplicit: boolean;
  endTime: number | null;
  completionStartTime: number | null;
  version: string | null;
  input: string | null;
  output: string | null;
  metadata: JsonObject;
  level: Level;
  statusMessage: string | null;
  model: string | null;
  modelParameters: JsonObject | null;
  promptName: string | null;
  promptVersion: number | null;
  /** Usage as the client provided it, normalised (the latest non-empty map). */
  providedUsageDetails: NumberMap;
  /** Costs as the client provided them, normalised (the latest non-empty map). */
  providedCostDetails: NumberMap;
  /** Effective usage: provided (with `total`), or counted by the model's tokenizer. */
  usageDetails: NumberMap;
  /** Effective costs (provided or calculated); `total` is present when known. */
  costDetails: NumberMap;
  totalCost: number | null;
  /** The matched model, its pricing tier and its default-tier unit prices (USD). */
  modelId: string | null;
  pricingTierId: string | null;
  pricingTierName: string | null;
  inputPrice: number | null;
  outputPrice: number | null;
  totalPrice: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface ScoreRecord extends Folded {
  id: string;
  projectId: string;
  name: string;
  value: number;
  stringValue: string | null;
  dataType: ScoreDataType;
  source: ScoreSource;
  traceId: string | null;
  observationId: string | null;
  sessionId: string | null;
  datasetRunId: string | null;
  timestamp: number;
  comment: string | null;
  metadata: JsonObject;
  configId: string | null;
  queueId: string | null;
  executionTraceId: string | null;
  environment: string;
  authorUserId: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface SessionRecord {
  id: string;
  projectId: string;
  environment: string;
  createdAt: number;
}

export type EntityKind = 'trace' | 'observation' | 'score';
