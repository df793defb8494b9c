// The response bodies of /api/ui: the contract between the routes here and the web package.
// Types only — the web package imports this module with `import type` (scripts/check-deps.mjs
// allows exactly that), so both sides are checked against one definition.
import type { EvaluatorTemplate } from '../evaluation/templates.js';
import type { Level, ObservationRecord, ScoreConfigRecord, ScoreRecord, SessionRecord, TraceRecord } from '@sightline/core';
import type { EvaluationRuleRecord, EvaluationTarget, EvaluatorOutput, EvaluatorRecord, RuleFilter, VariableMapping } from '@sightline/storage';
import type { Dataset, DatasetCounts, DatasetItem, ObservationTableRow, ObservationTotals, ProjectRole, PromptGeneration, PromptVersionUsage, ScoreBrief, ScoreDistribution, SessionSummary, TraceGroupTotals, TraceListRow, UserActivity, UserSummary } from '@sightline/storage';

export type { Level };
export type Role = ProjectRole;

/** What the UI may know of a user: never the password hash. */
export interface User {
  id: string;
  email: string;
  name: string | null;
  createdAt: number;
}

export interface ProjectRef {
  id: string;
  name: string;
  role: Role;
}

/** `GET /session` and the sign-in, sign-up and password answers. */
export interface AccountSummary {
  user: User | null;
  csrfToken: string | null;
  signUpOpen: boolean;
  /** Sign-up from this browser needs the setup link printed at start (it is not on the server's machine). */
  signUpNeedsSetupLink?: boolean;
  /** Owners and admins of some project may create projects. */
  canCreateProjects?: boolean;
  projects: ProjectRef[];
}

export type Trace = TraceRecord;
export type Observation = ObservationRecord;
export type Score = ScoreRecord;
/** A score as a trace list shows it (no comment or metadata). */
export type ScoreChip = ScoreBrief;

/** One row of the trace list: the trace, its aggregates (as `ObservationTotals` defines them) and its first scores. */
export interface TraceRow {
  id: string;
  timestamp: number;
  name: string | null;
  userId: string | null;
  sessionId: string | null;
  environment: string;
  release: string | null;
  version: string | null;
  tags: string[];
  /** Null without observations. */
  latencyMs: number | null;
  totalTokens: number;
  totalCost: number;
  observationCount: number;
  errorCount: number;
  scores: ScoreChip[];
}

/** `GET /projects/:projectId/traces`: keyset pages; `nextCursor` is opaque. */
export interface TraceListResponse {
  data: TraceRow[];
  nextCursor: string | null;
}

/** `GET /projects/:projectId/traces/:traceId`. */
export interface TraceDetailResponse {
  trace: Trace;
  scores: Score[];
  totals: ObservationTotals | undefined;
}

/**
 * `GET /projects/:projectId/traces/:traceId/tree`: a trace's observations in a compact, columnar
 * form — parallel arrays instead of one object per observation, parents as indexes, names and
 * models deduplicated into tables, times as offsets from the trace's first start. 100,000
 * observations stay a few megabytes of JSON (much less gzipped) and parse in one pass.
 */
export interface CompactTree {
  count: number;
  /** Epoch ms that `start` and `end` are relative to. */
  t0: number;
  types: readonly string[];
  levels: readonly string[];
  names: string[];
  models: string[];
  id: string[];
  /** Index of the parent in these arrays, or -1 for a root (or a parent that is not in the trace). */
  parent: number[];
  /** Index into `names`, -1 without a name. */
  name: number[];
  type: number[];
  level: number[];
  model: number[];
  start: number[];
  /** -1 while the observation has not ended. */
  end: number[];
  cost: (number | null)[];
  tokens: (number | null)[];
}

/** `GET /projects/:projectId/observations/:observationId`: the observation and its own scores. */
export interface ObservationDetailResponse {
  observation: Observation;
  scores: Score[];
  /** The stored prompt version the observation's promptName/promptVersion name (resolved when read), or null. */
  promptId: string | null;
}

export type SessionRow = SessionSummary;

export interface Paginated<T> {
  data: T[];
  totalItems: number;
  /** `totalItems` is an estimate (a list counted exactly only up to a bound); absent when exact. */
  totalEstimated?: boolean;
  page: number;
  limit: number;
}

/** `GET /projects/:projectId/sessions`. */
export type SessionListResponse = Paginated<SessionRow>;

/** A trace of a session page, with the public API's latency (seconds) and total cost. */
export type SessionTrace = TraceListRow;

/** `GET /projects/:projectId/sessions/:sessionId`: one page of its traces, oldest first, and their scores. */
export interface SessionDetailResponse {
  session: SessionRecord;
  totals: TraceGroupTotals;
  traces: SessionTrace[];
  totalItems: number;
  scores: Score[];
  page: number;
  limit: number;
}

export type UserRow = UserSummary;

/** `GET /projects/:projectId/users`. */
export type UserListResponse = Paginated<UserRow>;

/** `GET /projects/:projectId/environments`. */
export interface EnvironmentListResponse {
  data: string[];
}

export interface ApiKeyRow {
  id: string;
  publicKey: string;
  displaySecret: string;
  note: string | null;
  createdAt: number;
  revokedAt: number | null;
}

/** `GET /projects/:projectId/api-keys`. */
export interface ApiKeyListResponse {
  data: ApiKeyRow[];
}

export interface Member {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  createdAt: number;
}

/** `GET /projects/:projectId/members`. */
export interface MemberListResponse {
  data: Member[];
}

/**
 * One prompt version's use by generations (those whose promptName/promptVersion name it), over all
 * time: count, nearest-rank p50/p95 latency (ms; null without ended generations), tokens, cost
 * (USD), first/last use and the average of each numeric score on those generations or their traces.
 */
export type PromptVersionMetrics = PromptVersionUsage;

/** `GET /projects/:projectId/prompt-metrics?name=…`: per-version metrics of one prompt, newest version first. */
export interface PromptMetricsResponse {
  name: string;
  versions: PromptVersionMetrics[];
}

/** A generation that used a prompt version, for the links from a prompt version to its traces (`traceId` null only for a trace-less observation). */
export type PromptGenerationRow = PromptGeneration;

/** `GET /projects/:projectId/prompt-generations?name=…&version=N&page=&limit=`: newest first. */
export type PromptGenerationsResponse = Paginated<PromptGenerationRow>;

/** A message of a chat prompt, or a placeholder that a list of messages replaces when compiled. */
export type PromptChatItem = { role: string; content: string } | { type: 'placeholder'; name: string };

/** A prompt in the prompts table (every version counted, whatever the filters). */
export interface PromptListRow {
  name: string;
  type: 'text' | 'chat';
  versionCount: number;
  labels: string[];
  tags: string[];
  lastUpdatedAt: number;
}

/** A folder: the common prefix of names up to a `/`. */
export interface PromptFolderRow {
  /** The full path, e.g. `support/email`. */
  path: string;
  /** The last segment, e.g. `email`. */
  name: string;
  /** Prompts under it (at any depth) that match the filters. */
  promptCount: number;
}

/**
 * `GET /projects/:projectId/prompts?folder=&q=&label=&tag=`: the folder's direct sub-folders and
 * prompts; with `q` (a name substring), every matching prompt under the folder, flat.
 */
export interface PromptListResponse {
  folder: string;
  folders: PromptFolderRow[];
  prompts: PromptListRow[];
  /** Every label and tag in the project, for the filters. */
  allLabels: string[];
  allTags: string[];
}

/** One version of a prompt, as its page shows it. */
export interface PromptVersionView {
  id: string;
  version: number;
  type: 'text' | 'chat';
  /** The text, or the chat messages and placeholders; references are shown unresolved. */
  prompt: string | PromptChatItem[];
  config: unknown;
  /** `latest` included on the newest version. */
  labels: string[];
  commitMessage: string | null;
  /** Who created it: a user's email, or `API` for the public API. */
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

/** `GET /projects/:projectId/prompts/history?name=…`: every version, newest first. */
export interface PromptHistoryResponse {
  name: string;
  type: 'text' | 'chat';
  tags: string[];
  versions: PromptVersionView[];
}

/**
 * `POST /projects/:projectId/prompts` (a new version: the body of the public create),
 * `POST /projects/:projectId/prompts/labels` (`{name, version, newLabels}`: labels moved onto a version).
 */
export interface PromptVersionResponse {
  version: PromptVersionView;
}

/**
 * `GET /projects/:projectId/media/:mediaId`: where the UI loads a `@@@langfuseMedia:…@@@`
 * reference from — a same-origin URL signed for a short time — and what the file is.
 */
export interface MediaUrlResponse {
  mediaId: string;
  contentType: string;
  contentLength: number;
  /** Same-origin path; images, audio and video may be shown inline, everything else downloads. */
  url: string;
  /** ISO time after which `url` stops working. */
  urlExpiry: string;
  /** Whether the server serves the file inline (false: as an attachment download). */
  inline: boolean;
}

/** A dataset in the datasets table (its JSON Schemas, null when none) with its active items and its runs counted. */
export type DatasetRow = Omit<Dataset, 'projectId'> & DatasetCounts;

/** `GET /projects/:projectId/datasets`: newest first. `POST` (`{name, description?, metadata?, inputSchema?, expectedOutputSchema?}`, members) answers `{dataset}`. */
export type DatasetListResponse = Paginated<DatasetRow>;

/** `GET /projects/:projectId/datasets/:datasetId`. */
export interface DatasetDetailResponse {
  dataset: DatasetRow;
}

/** A dataset item as the dataset page shows and edits it (values are the JSON the client sent). */
export type DatasetItemView = Omit<DatasetItem, 'projectId' | 'datasetId' | 'datasetName'>;

/** `GET /projects/:projectId/datasets/:datasetId/items?status=active|all&page=&limit=`: newest first (archived items with `all`). */
export type DatasetItemListResponse = Paginated<DatasetItemView>;

/**
 * `POST /projects/:projectId/datasets/:datasetId/items` (members): `{id?, input?, expectedOutput?,
 * metadata?, status?, sourceTraceId?, sourceObservationId?}` creates an item, or edits the item
 * of that id (absent fields keep their value). Items are checked against the dataset's schemas.
 */
export interface DatasetItemResponse {
  item: DatasetItemView;
}

/**
 * `POST /projects/:projectId/datasets/:datasetId/items/import` (members): `{items: [{id?, input?,
 * expectedOutput?, metadata?}]}`, at most 500 a request, written all or none. The page sends a
 * file in such chunks and shows the progress.
 */
export interface DatasetImportResponse {
  imported: number;
}

/** Average of a score's numeric (and boolean, 0/1) values over a run's items, or on the run itself. */
export interface ScoreAggregate {
  name: string;
  average: number;
  count: number;
}

/** A run with its aggregates over its items (latency and cost of the trace or observation each links). */
export interface DatasetRunRow {
  id: string;
  name: string;
  description: string | null;
  metadata: unknown;
  createdAt: number;
  itemCount: number;
  /** Mean over items with observations; null when none has any. */
  avgLatencyMs: number | null;
  totalCost: number;
  avgCost: number | null;
  /** Item-level scores (those on the items' traces), averaged per name. */
  scores: ScoreAggregate[];
  /** Scores that target the run itself (run-level evaluators). */
  runScores: ScoreAggregate[];
}

/** `GET /projects/:projectId/datasets/:datasetId/runs?page=&limit=`: newest first. */
export type DatasetRunListResponse = Paginated<DatasetRunRow>;

/** JSON text cut for display; `length` is the whole text's (longer than `text`: cut). */
export interface TextPreviewView {
  text: string | null;
  length: number;
}

/** A score of one run item: `value` numeric (booleans 0/1), `label` for categorical and boolean scores. */
export interface CellScore {
  name: string;
  value: number;
  label: string | null;
}

/** What one run did with one item. */
export interface ComparisonCell {
  traceId: string;
  observationId: string | null;
  output: TextPreviewView;
  latencyMs: number | null;
  totalCost: number;
  scores: CellScore[];
}

/** One dataset item across the compared runs: `cells[i]` is run `runs[i]`'s (null when that run has no item for it). */
export interface ComparisonRow {
  itemId: string;
  status: 'ACTIVE' | 'ARCHIVED';
  input: TextPreviewView;
  expectedOutput: TextPreviewView;
  cells: (ComparisonCell | null)[];
}

/**
 * `GET /projects/:projectId/datasets/:datasetId/compare?runs=<id>&runs=<id>…` (2 to 10 runs): every
 * item any of the runs has, with each run's output, scores, latency and cost. Texts are cut at
 * `previewChars`; the full values are on the linked traces.
 */
export interface RunComparisonResponse {
  runs: DatasetRunRow[];
  scoreNames: string[];
  rows: ComparisonRow[];
  previewChars: number;
}

// --- Human evaluation: score configs, comments, annotation queues, the scores page ---

export type ScoreConfig = ScoreConfigRecord;

/** `GET /projects/:projectId/score-configs`: every config of the project, newest first. */
export interface ScoreConfigListResponse {
  data: ScoreConfig[];
}

export type CommentTarget = 'TRACE' | 'OBSERVATION' | 'SESSION' | 'PROMPT';

export interface CommentView {
  id: string;
  objectType: CommentTarget;
  objectId: string;
  /** Markdown as written: render it with the safe renderer only. */
  content: string;
  createdAt: number;
  /** Null when written through the public API without an author. */
  author: { id: string; email: string; name: string | null } | null;
}

/** `GET /projects/:projectId/comments?objectType=&objectId=`: oldest first (a thread reads top down). */
export interface CommentListResponse {
  data: CommentView[];
}

/** `GET /projects/:projectId/comments/counts?objectType=&ids=…`: objects without comments are absent. */
export interface CommentCountsResponse {
  counts: Record<string, number>;
}

export interface QueueSummary {
  id: string;
  name: string;
  description: string | null;
  scoreConfigIds: string[];
  createdAt: number;
  pending: number;
  completed: number;
}

/** `GET /projects/:projectId/queues`. */
export interface QueueListResponse {
  data: QueueSummary[];
}

export interface QueueItemView {
  id: string;
  objectType: 'TRACE' | 'OBSERVATION' | 'SESSION';
  objectId: string;
  status: 'PENDING' | 'COMPLETED';
  completedAt: number | null;
}

/** `GET /projects/:projectId/queues/:queueId`: the queue, its configs in the queue's order and its items in review order. */
export interface QueueDetailResponse {
  queue: QueueSummary;
  configs: ScoreConfig[];
  items: QueueItemView[];
  /** All items of the queue; `items` holds at most the first 1,000. */
  totalItems: number;
  /** Ids of the pending items the signed-in reviewer skipped, first skipped first: they come after the others. */
  skipped: string[];
}

/** What an item points at, read-only. */
export type QueueObjectView =
  | { kind: 'TRACE'; trace: Trace }
  | { kind: 'OBSERVATION'; observation: Observation }
  | { kind: 'SESSION'; sessionId: string; traces: SessionTrace[] }
  | { kind: 'MISSING' };

/** `GET /projects/:projectId/queues/:queueId/items/:itemId`: the item, its object, and the scores this queue already gave it. */
export interface QueueItemResponse {
  item: QueueItemView;
  object: QueueObjectView;
  scores: Score[];
}

/** `POST /projects/:projectId/queues/:queueId/items` (and `/items/from-traces`). */
export interface QueueAddResponse {
  added: number;
  /** Objects named (or matching the filters, up to `limit`). */
  matched: number;
  /** True when more traces matched the filters than `limit`: only the first `limit` (in list order) were considered. */
  capped: boolean;
  limit: number;
}

/** A score as the scores page lists it; `author` is the email of the person who annotated it, when known. */
export type ScoreRow = Score & { author: string | null };

/** `GET /projects/:projectId/scores`: keyset pages; `nextCursor` is opaque. */
export interface ScorePageResponse {
  data: ScoreRow[];
  nextCursor: string | null;
}

/** `GET /projects/:projectId/scores/distributions`. */
export interface ScoreDistributionsResponse {
  data: ScoreDistribution[];
}

/** `GET` and `POST /projects/:projectId/retention`: days the project's data is kept; null: forever. */
export interface RetentionResponse {
  retentionDays: number | null;
}

/** `GET /projects/:projectId/trace-count` (the trace list's filters): exact up to 10,000 matches, else an estimate (`estimated`). */
export interface TraceCountResponse {
  count: number;
  estimated: boolean;
}

/** A row of the observations table, with its prompt link (resolved when read) and its scores. */
export interface ObservationTableRowView extends ObservationTableRow {
  promptId: string | null;
  scores: ScoreChip[];
}

/** `GET /projects/:projectId/observations`: offset pages of the observations table; `hasMore` when another follows. */
export interface ObservationTableResponse {
  data: ObservationTableRowView[];
  page: number;
  limit: number;
  hasMore: boolean;
}

/** `GET /projects/:projectId/users/:userId`: the user's totals and their activity per day over the range. */
export interface UserDetailResponse {
  user: UserSummary;
  activity: UserActivity;
  from: number;
  to: number;
}

/**
 * `GET /projects/:projectId/export-schedule` and `POST` (admins; body `{frequency, csv, enabled}`):
 * the project's scheduled export to the blob store; `schedule` is null when there is none.
 * `GET /projects/:projectId/export/traces?format=jsonl|csv&…` (the trace list's query) streams
 * the download itself; its response is a file, not JSON.
 */
export interface ExportScheduleResponse {
  schedule: {
    frequency: 'hourly' | 'daily';
    formats: ('jsonl' | 'csv')[];
    enabled: boolean;
    /** Epoch ms. */
    nextRunAt: number;
    /** End (epoch ms) of the last exported window; null before the first run. */
    watermarkAt: number | null;
    lastRunAt: number | null;
    lastStatus: 'ok' | 'error' | null;
    lastError: string | null;
    lastObjectKeys: string[];
    lastTraceCount: number | null;
  } | null;
}

/** A metrics query (§8, `GET /api/public/metrics`) saved without its time range: the viewer picks the range. */
export interface ChartQuery {
  view: string;
  dimensions?: { field: string }[] | null;
  metrics?: { measure: string; aggregation: string }[] | null;
  filters?: { column: string; operator: string; type: string; value?: unknown; key?: string }[] | null;
  /** `auto` means: the bucket that fits the viewer's range (the UI picks it). */
  timeDimension?: { granularity: string } | null;
  orderBy?: { field: string; direction: 'asc' | 'desc' }[] | null;
  config?: { bins?: number; row_limit?: number } | null;
}

export type DashboardChartType = 'line' | 'bar' | 'number' | 'table';

export interface DashboardChart {
  /** Unique within its dashboard. */
  id: string;
  title: string;
  chartType: DashboardChartType;
  query: ChartQuery;
}

export interface DashboardView {
  id: string;
  name: string;
  description: string | null;
  /** In display order. */
  charts: DashboardChart[];
  createdAt: number;
  updatedAt: number;
}

/** `GET /projects/:projectId/dashboards`: the project's custom dashboards, most recently updated first. */
export interface DashboardListResponse {
  data: { id: string; name: string; description: string | null; chartCount: number; updatedAt: number }[];
}

/**
 * `GET /projects/:projectId/dashboards/:id`, `POST /projects/:projectId/dashboards` and
 * `PUT /projects/:projectId/dashboards/:id` (body `{name, description?, charts}`, the whole dashboard).
 */
export interface DashboardResponse {
  dashboard: DashboardView;
}

/** `GET /projects/:projectId/metrics?query=…`: exactly what `GET /api/public/metrics` answers. */
export interface MetricsResponse {
  data: Record<string, unknown>[];
}

/** `GET /projects/:projectId/metrics/catalog`: what a chart's query may name in each view. */
export interface MetricsCatalogResponse {
  views: { view: string; dimensions: string[]; measures: { name: string; aggregations: string[] }[] }[];
}

/** One row of the metrics engine: dimensions by name, `time_dimension` (ISO), `<aggregation>_<measure>`. */
export type MetricRow = Record<string, string | number | null>;

/**
 * `GET /projects/:projectId/dashboard?from&to&environment&granularity`: the built-in overview.
 * Time series are bucketed by `granularity` in UTC; buckets without rows are absent.
 */
export interface DashboardOverviewResponse {
  from: number;
  to: number;
  environment: string | null;
  granularity: 'minute' | 'hour' | 'day' | 'week' | 'month';
  /** `time_dimension`, `count_count`. */
  traces: MetricRow[];
  /** `time_dimension`, `count_count`. */
  observations: MetricRow[];
  /** Observations at level ERROR: `time_dimension`, `count_count`. */
  errors: MetricRow[];
  /** Generations: `time_dimension`, `sum_totalCost`, `sum_totalTokens`. */
  usage: MetricRow[];
  /** Generations: `providedModelName`, `sum_totalCost`, `sum_totalTokens`, `count_count`; costliest first. */
  byModel: MetricRow[];
  /** Generations: `time_dimension`, `count_count`, `p50_latency`, `p95_latency`, `p99_latency` (ms). */
  latencyOverTime: MetricRow[];
  /** One row: `p50_latency`, `p95_latency`, `p99_latency` of traces (ms). */
  traceLatency: MetricRow[];
  /** NUMERIC scores of the 20 most used names: `name`, `time_dimension`, `avg_value`, `count_count`. */
  scoresNumeric: MetricRow[];
  /** CATEGORICAL and BOOLEAN scores: `name`, `dataType`, `stringValue`, `count_count`. */
  scoreCategories: MetricRow[];
}

/** One evaluator on the Evaluators page: its latest version, how many versions and rules it has. */
export interface EvaluatorSummary {
  latest: EvaluatorRecord;
  versionCount: number;
  ruleCount: number;
}

/** A rule with the name and version of the evaluator it runs. */
export interface EvaluationRuleView extends EvaluationRuleRecord {
  evaluatorName: string | null;
  evaluatorVersion: number | null;
}

/** A project LLM connection as the evaluator form needs it: no secret, not even masked. */
export interface LlmConnectionOption {
  provider: string;
  adapter: string;
  customModels: string[];
  withDefaultModels: boolean;
}

/** `GET /projects/:id/evaluators`: everything the Evaluators page lists and its forms offer. */
export interface EvaluatorsPageResponse {
  evaluators: EvaluatorSummary[];
  rules: EvaluationRuleView[];
  templates: EvaluatorTemplate[];
  connections: LlmConnectionOption[];
  /** The filter columns of each target (what the rule form offers). */
  filterColumns: Record<EvaluationTarget, string[]>;
}

/** `GET /projects/:id/evaluators/:name/versions`, newest first. */
export interface EvaluatorVersionsResponse {
  versions: EvaluatorRecord[];
}

/** The body of `POST /projects/:id/evaluators` (a new evaluator, or a new version of one by name). */
export interface EvaluatorBody {
  name: string;
  description: string | null;
  prompt: string;
  provider: string | null;
  model: string | null;
  modelParams: Record<string, unknown>;
  output: EvaluatorOutput;
  scoreName: string;
  scoreConfigId: string | null;
  templateId: string | null;
}

/** The body of `POST /projects/:id/evaluation-rules` and `PUT …/:ruleId` (a whole rule). */
export interface EvaluationRuleBody {
  name: string;
  evaluatorName: string;
  target: EvaluationTarget;
  filter: RuleFilter[];
  mapping: VariableMapping[];
  sampling: number;
  delayMs: number;
  enabled: boolean;
}

export type { EvaluationRuleRecord, EvaluationTarget, EvaluatorOutput, EvaluatorRecord, MappingSource, RuleFilter, VariableMapping } from '@sightline/storage';
export type { EvaluatorTemplate } from '../evaluation/templates.js';
/** GET /api/ui/projects/:projectId/evaluation-rules/:ruleId/bulk-estimate: what evaluating the range would cost. */
export interface BulkEstimateResponse {
  targets: number;
  /** Counting stopped at the most one run may queue. */
  capped: boolean;
  model: string | null;
  inputTokensPerEvaluation: number;
  outputTokensPerEvaluation: number;
  totalTokens: number;
  /** USD from the model price table; null when the model has no price. */
  costUsd: number | null;
}

/** POST /api/ui/projects/:projectId/evaluation-rules/:ruleId/bulk-run */
export interface BulkRunResponse {
  /** Jobs created now. */
  queued: number;
  /** Targets the rule had already queued or evaluated (not evaluated twice). */
  existing: number;
  capped: boolean;
}

/** GET /api/ui/projects/:projectId/evaluation-rules/:ruleId/progress: the rule's evaluation jobs by state. */
export interface EvaluationProgressResponse {
  queued: number;
  running: number;
  succeeded: number;
  failed: number;
  /** The latest failures, newest first, with their reasons. */
  recentFailures: { jobId: string; targetId: string; error: string | null; finishedAt: number | null }[];
}

/** An LLM connection as the UI shows it: never a secret, only the masked key and the extra headers' names. */
export interface LlmConnectionView {
  id: string;
  provider: string;
  adapter: string;
  displaySecretKey: string;
  baseURL: string | null;
  customModels: string[];
  withDefaultModels: boolean;
  extraHeaderKeys: string[];
  /** Custom models first, then the adapter's defaults when kept. */
  models: string[];
  createdAt: number;
  updatedAt: number;
}

/** `GET /projects/:projectId/llm-connections` (viewers too); `canManage` says whether the caller may change them. */
export interface LlmConnectionListResponse {
  data: LlmConnectionView[];
  canManage: boolean;
  /** False when the server runs without LLM support (no connection can be stored). */
  enabled: boolean;
}

/** `POST /projects/:projectId/playground/run`: the body (chat messages already filled with the variables). */
export interface PlaygroundRunRequest {
  connectionId: string;
  model: string;
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
  temperature?: number | null;
  maxTokens?: number | null;
  topP?: number | null;
  /** The prompt version the run started from, linked on the recorded generation. */
  prompt?: { name: string; version: number } | null;
}

/**
 * The answer of a run is a text/event-stream: `delta` events ({text}) as tokens arrive, then one
 * `done` (this shape) or one `error` ({message, traceId}).
 */
export interface PlaygroundRunDone {
  traceId: string;
  model: string;
  text: string;
  usage: { input: number; output: number; total: number } | null;
  /** USD from the project's and the built-in price table; null when the model has no price. */
  cost: number | null;
  latency: { firstTokenMs: number | null; totalMs: number };
}
