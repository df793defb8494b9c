// The response bodies of /api/ui: the contract between the routes here and the web package.
// Types only — the web package imports this module with `import type` (scripts/check-deps.mjs
// allows exactly that), so both sides are checked against one definition.
import type { Level, ObservationRecord, ScoreRecord, SessionRecord, TraceRecord } from '@sightline/core';
import type { ObservationTotals, ProjectRole, ScoreBrief, SessionSummary, TraceGroupTotals, TraceListRow, UserSummary } from '@sightline/storage';

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
}

export type SessionRow = SessionSummary;

export interface Paginated<T> {
  data: T[];
  totalItems: number;
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

/** One prompt version's use by generations (those whose promptName/promptVersion name it), over all time. */
export interface PromptVersionMetrics {
  version: number;
  generations: number;
  /** Median and 95th percentile of generation latency (end − start), ms; null without ended generations. */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** USD. */
  totalCost: number;
  /** Average of each numeric score on those generations or on their traces. */
  scores: { name: string; average: number; count: number }[];
  firstUsedAt: number | null;
  lastUsedAt: number | null;
}

/** `GET /projects/:projectId/prompt-metrics?name=…`: per-version metrics of one prompt, newest version first. */
export interface PromptMetricsResponse {
  name: string;
  versions: PromptVersionMetrics[];
}

/** A generation that used a prompt version, for the links from a prompt version to its traces. */
export interface PromptGenerationRow {
  traceId: string;
  observationId: string;
  name: string | null;
  model: string | null;
  startTime: number;
  latencyMs: number | null;
  totalCost: number | null;
}

/** `GET /projects/:projectId/prompt-generations?name=…&version=N&page=&limit=`: newest first. */
export type PromptGenerationsResponse = Paginated<PromptGenerationRow>;

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
