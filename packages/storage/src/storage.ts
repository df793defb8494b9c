import type { AccountStore } from './accounts/account-store.js';
import type { DatasetStore } from './datasets/dataset-store.js';
import type { ExportScheduleStore } from './exports/export-schedule-store.js';
import type { MediaStore } from './media/media-store.js';
import type { AnnotationQueueStore } from './annotation-queues/annotation-queue-store.js';
import type { CommentStore } from './comments/comment-store.js';
import type { DashboardStore } from './dashboards/dashboard-store.js';
import type { MetricsStore } from './metrics/metrics-store.js';
import type { ModelStore } from './models/model-store.js';
import type { ObservationStore } from './observations/observation-store.js';
import type { ProjectStore } from './projects/project-store.js';
import type { RetentionStore } from './retention/retention-store.js';
import type { PromptStore } from './prompts/prompt-store.js';
import type { JobStore } from './jobs/job-store.js';
import type { EvaluationRunStore } from './evaluation-runs/evaluation-run-store.js';
import type { EvaluatorStore } from './evaluators/types.js';
import type { LlmConnectionStore } from './llm-connections/llm-connection-store.js';
import type { ScoreConfigStore } from './score-configs/score-config-store.js';
import type { ScoreStore } from './scores/score-store.js';
import type { SessionStore } from './sessions/session-store.js';
import type { TraceStore } from './traces/trace-store.js';
import type { IngestItem, StorageCapabilities } from './types.js';
import type { UserStore } from './users/user-store.js';

/**
 * The storage facade: one store per domain, plus ingestion and the database's life cycle.
 * SQLite and PostgreSQL share every store's SQL (they differ only through `SqlDialect`); each
 * store's tests (`<domain>/*-store.test.ts`) run against both. A new domain adds a store
 * here, a migration, and its tests beside it.
 */
export interface Storage {
  readonly dialect: 'sqlite' | 'postgres';
  readonly capabilities: StorageCapabilities;

  readonly projects: ProjectStore;
  readonly traces: TraceStore;
  readonly observations: ObservationStore;
  readonly scores: ScoreStore;
  readonly sessions: SessionStore;
  /** The users applications report on their traces. */
  readonly users: UserStore;
  readonly models: ModelStore;
  /** Versioned prompts, their labels and tags. */
  readonly prompts: PromptStore;
  /** Datasets, their versioned items, runs and run items (experiments). */
  readonly datasets: DatasetStore;
  /** Files (images, audio, documents) referenced from traces; their bytes are in the server's blob store. */
  readonly media: MediaStore;
  /** Score definitions that scores naming a `configId` are checked against at ingestion. */
  readonly scoreConfigs: ScoreConfigStore;
  /** Comments on traces, observations, sessions and prompts. */
  readonly comments: CommentStore;
  /** Review queues of traces, observations and sessions. */
  readonly annotationQueues: AnnotationQueueStore;
  readonly metrics: MetricsStore;
  /** Per-project retention periods and the deletions of data older than them. */
  readonly retention: RetentionStore;
  /** Scheduled trace exports: per-project schedules, their watermarks and run leases. */
  readonly exports: ExportScheduleStore;
  /** Custom dashboards: saved charts over the metrics query language. */
  readonly dashboards: DashboardStore;
  /** The web UI's people, project memberships and sign-in sessions. */
  readonly accounts: AccountStore;
  /** Project connections to LLM providers (secrets arrive encrypted by the server). */
  readonly llmConnections: LlmConnectionStore;
  /** The durable background job queue (leases, retries, idempotency keys). */
  readonly jobs: JobStore;
  /** The execution side of evaluation rules: per-rule watermarks and scan leases, run items, job counts. */
  readonly evaluationRuns: EvaluationRunStore;
  /** Versioned LLM-as-a-judge evaluators and the rules that run them on traces, observations and experiments. */
  readonly evaluators: EvaluatorStore;

  /**
   * Commits the events of many requests in one transaction: appends them to the event log and
   * folds them into traces, observations, scores and sessions so that the result depends only
   * on the events' order keys, never on arrival order. Resolves only once durably committed.
   */
  ingest(items: IngestItem[]): Promise<void>;

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
}

export type * from './types.js';
export { PROJECT_ROLES, type AccountStore, type Membership, type ProjectMember, type ProjectRole, type UiSession, type UserRecord } from './accounts/account-store.js';
export type { DatasetStore } from './datasets/dataset-store.js';
export type * from './datasets/types.js';
export type { MediaStore } from './media/media-store.js';
export type * from './media/types.js';
export type * from './metrics/metrics-store.js';
export type * from './dashboards/dashboard-store.js';
export type * from './models/model-store.js';
export type * from './observations/observation-store.js';
export type * from './projects/project-store.js';
export type * from './retention/retention-store.js';
export { LATEST_LABEL } from './prompts/types.js';
export { promptRefKey } from './prompts/prompt-usage.js';
export type { PromptStore } from './prompts/prompt-store.js';
export type * from './prompts/types.js';
export type * from './scores/score-store.js';
export { SCORE_SORT_FIELDS } from './scores/search-scores.js';
export type * from './score-configs/score-config-store.js';
export { COMMENT_OBJECT_TYPES, type CommentObjectType, type CommentQuery, type CommentRecord, type CommentStore } from './comments/comment-store.js';
export type { AnnotationQueueStore } from './annotation-queues/annotation-queue-store.js';
export { QUEUE_ITEM_STATUSES, QUEUE_OBJECT_TYPES } from './annotation-queues/types.js';
export type * from './annotation-queues/types.js';
export type * from './sessions/session-store.js';
export { TRACE_SEARCH_SORT_FIELDS } from './traces/trace-store.js';
export { SESSION_SORT_FIELDS } from './sessions/session-store.js';
export { USER_SORT_FIELDS } from './users/user-store.js';
export { OBSERVATION_TABLE_SORT_FIELDS } from './observations/observation-store.js';
export type * from './traces/trace-store.js';
export type { ExportScheduleStore } from './exports/export-schedule-store.js';
export { EXPORT_FORMATS, EXPORT_FREQUENCIES } from './exports/types.js';
export type * from './exports/types.js';
export type * from './users/user-store.js';
export type { ObservationTotals, TraceGroupTotals } from './queries/trace-aggregates.js';
export * from './metrics/types.js';
export type { LlmConnectionRecord, LlmConnectionStore } from './llm-connections/llm-connection-store.js';
export type { JobStore } from './jobs/job-store.js';
export { JOB_STATES } from './jobs/types.js';
export type * from './jobs/types.js';
export type { EvaluationRunStore } from './evaluation-runs/evaluation-run-store.js';
export type * from './evaluation-runs/types.js';
export type * from './evaluators/types.js';
export { EVALUATION_TARGETS, EVALUATOR_DATA_TYPES, MAPPING_SOURCES } from './evaluators/types.js';
