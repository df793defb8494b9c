import type { AccountStore } from './accounts.js';
import type { StoredModel } from './models.js';
import type { ObservationTotals } from './queries/trace-aggregates.js';
import type { UiQueries } from './ui/types.js';
import type { DailyMetricsQuery, DailyMetricsRow, MetricsPath, MetricsQuery, MetricsResult } from './metrics/types.js';
import type { EntityEvent, ObservationRecord, ObservationType, ScoreRecord, SessionRecord, TraceRecord, Level } from '@sightline/core';

/** One accepted request's events, ready to be committed. `raw[i]` is the JSON text of `events[i]` as received. */
export interface IngestItem {
  projectId: string;
  events: EntityEvent[];
  raw: string[];
}

export interface Project {
  id: string;
  name: string;
  createdAt: number;
}

export interface ApiKey {
  id: string;
  projectId: string;
  publicKey: string;
  /** SHA-256 (hex) of the secret key; the secret itself is never stored. */
  secretHash: string;
  /** The secret's first and last characters, for recognising it in listings (`sk-lf-…a1b2`). */
  displaySecret: string;
  note: string | null;
  createdAt: number;
  revokedAt: number | null;
}

/** A filter condition of the `filter` query parameter (Langfuse's filter objects). */
export interface FilterCondition {
  type: 'datetime' | 'string' | 'number' | 'stringOptions' | 'arrayOptions' | 'stringObject' | 'numberObject' | 'boolean' | 'null';
  column: string;
  operator: string;
  value?: unknown;
  key?: string;
}

export interface Page {
  /** 1-based page number. */
  page: number;
  limit: number;
}

export interface TraceQuery extends Page {
  userId?: string;
  name?: string;
  sessionId?: string;
  fromTimestamp?: number;
  toTimestamp?: number;
  orderBy?: { field: 'id' | 'timestamp' | 'name' | 'userId' | 'release' | 'version' | 'public' | 'bookmarked' | 'sessionId'; direction: 'asc' | 'desc' };
  tags?: string[];
  version?: string;
  release?: string;
  environment?: string[];
  /** When given, replaces the simple filters above. */
  filter?: FilterCondition[];
  /** Whether to compute observation/score ids and latency/totalCost (the `observations`, `scores`, `metrics` field groups). */
  withObservations: boolean;
  withScores: boolean;
  withMetrics: boolean;
}

export interface TraceListRow extends TraceRecord {
  observationIds: string[];
  scoreIds: string[];
  /** Seconds; null when not computed or while no observation has ended. */
  latency: number | null;
  totalCost: number | null;
}

export interface ObservationQuery {
  name?: string;
  userId?: string;
  type?: ObservationType;
  traceId?: string;
  level?: Level;
  parentObservationId?: string;
  environment?: string[];
  fromStartTime?: number;
  toStartTime?: number;
  version?: string;
  sessionId?: string;
  isRootObservation?: boolean;
  filter?: FilterCondition[];
}

/** Position after the last row of a cursor page (v2 observations), ordered by startTime desc, traceId desc, id desc. */
export interface ObservationCursor {
  lastStartTime: number;
  lastTraceId: string;
  lastId: string;
}

export interface ScoreQuery extends Page {
  userId?: string;
  name?: string;
  fromTimestamp?: number;
  toTimestamp?: number;
  environment?: string[];
  source?: string;
  operator?: '<' | '>' | '<=' | '>=' | '!=' | '=';
  value?: number;
  scoreIds?: string[];
  configId?: string;
  sessionId?: string;
  datasetRunId?: string;
  traceId?: string;
  observationId?: string;
  queueId?: string;
  dataType?: string;
  traceTags?: string[];
  filter?: FilterCondition[];
}

export interface ScoreWithTrace extends ScoreRecord {
  trace: { userId: string | null; tags: string[]; environment: string; sessionId: string | null } | null;
}

export interface SessionQuery extends Page {
  fromTimestamp?: number;
  toTimestamp?: number;
  environment?: string[];
}

export interface Paged<T> {
  rows: T[];
  totalItems: number;
}

export interface StorageCapabilities {
  /** Only one writer at a time (SQLite): writes are serialised in-process. */
  singleWriter: boolean;
  /** Several processes may share the database (PostgreSQL). */
  sharedByInstances: boolean;
}

/**
 * The domain-level storage contract. SQLite and PostgreSQL implement it; one conformance
 * suite runs against both. Every read is scoped by `projectId`.
 */
export interface Storage {
  readonly dialect: 'sqlite' | 'postgres';
  readonly capabilities: StorageCapabilities;

  /** Applies numbered migrations that have not run yet. */
  migrate(): Promise<void>;
  /** Cheap round trip to the database (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * Online backup: writes a consistent copy of the live database to `destination` (a file that
   * must not exist yet) while the server keeps ingesting. SQLite only; PostgreSQL throws (use pg_dump).
   */
  backup(destination: string): Promise<void>;

  // projects and keys
  createProject(project: Project): Promise<void>;
  listProjects(): Promise<Project[]>;
  getProject(id: string): Promise<Project | null>;
  createApiKey(key: ApiKey): Promise<void>;
  listApiKeys(projectId?: string): Promise<ApiKey[]>;
  findApiKeyByPublicKey(publicKey: string): Promise<ApiKey | null>;
  /** Revokes by id or public key; true when a key was revoked. */
  revokeApiKey(idOrPublicKey: string, at: number): Promise<boolean>;

  /**
   * Commits the events of many requests in one transaction: appends them to the event log and
   * folds them into traces, observations, scores and sessions so that the result depends only
   * on the events' order keys, never on arrival order. Resolves only once durably committed.
   */
  ingest(items: IngestItem[]): Promise<void>;

  // reads
  listTraces(projectId: string, q: TraceQuery): Promise<Paged<TraceListRow>>;
  getTrace(projectId: string, id: string): Promise<TraceRecord | null>;
  /** Latency, exact total cost, tokens and counts of each given trace: the one definition every read shows. */
  traceTotals(projectId: string, traceIds: string[]): Promise<Map<string, ObservationTotals>>;
  /** Deletes traces with their observations, scores and logged events. Returns how many traces existed. */
  deleteTraces(projectId: string, ids: string[]): Promise<number>;

  listObservations(projectId: string, q: ObservationQuery & Page): Promise<Paged<ObservationRecord>>;
  listObservationsAfter(projectId: string, q: ObservationQuery & { limit: number; cursor?: ObservationCursor }): Promise<ObservationRecord[]>;
  /** All observations of the given traces, ordered by startTime asc. */
  listObservationsOfTraces(projectId: string, traceIds: string[]): Promise<ObservationRecord[]>;
  getObservation(projectId: string, id: string): Promise<ObservationRecord | null>;

  listScores(projectId: string, q: ScoreQuery): Promise<Paged<ScoreWithTrace>>;
  /** All scores of the given traces, ordered by timestamp asc. */
  listScoresOfTraces(projectId: string, traceIds: string[]): Promise<ScoreRecord[]>;
  getScore(projectId: string, id: string): Promise<ScoreRecord | null>;
  deleteScore(projectId: string, id: string): Promise<boolean>;

  listSessions(projectId: string, q: SessionQuery): Promise<Paged<SessionRecord>>;
  getSession(projectId: string, id: string): Promise<SessionRecord | null>;

  // custom models (built-in models live in core and are never stored)
  listModels(projectId: string): Promise<StoredModel[]>;
  getModel(projectId: string, id: string): Promise<StoredModel | null>;
  createModel(model: StoredModel): Promise<void>;
  deleteModel(projectId: string, id: string): Promise<boolean>;

  // metrics (§8)
  /** Runs a metrics query; `path` forces rollups or a base-table scan (default: rollups when they cover the query). */
  queryMetrics(projectId: string, q: MetricsQuery, path?: MetricsPath): Promise<MetricsResult>;
  /** Daily usage and cost per model (`GET /metrics/daily`), newest day first. */
  dailyMetrics(projectId: string, q: DailyMetricsQuery): Promise<Paged<DailyMetricsRow>>;
  /** Recomputes every rollup from the base tables. */
  rebuildRollups(): Promise<void>;

  /** The web UI's users, project memberships and sign-in sessions. */
  readonly accounts: AccountStore;
  /** The web UI's read queries (keyset trace list with search, compact trace tree, users, sessions). */
  readonly ui: UiQueries;
}

export type { StoredModel };
export { PROJECT_ROLES, type AccountStore, type Membership, type ProjectMember, type ProjectRole, type UiSession, type UserRecord } from './accounts.js';
export { UI_TRACE_SORT_FIELDS } from './ui/types.js';
export type * from './ui/types.js';
export type { ObservationTotals, TraceGroupTotals } from './queries/trace-aggregates.js';
export * from './metrics/types.js';
