import type { Level, ObservationType, ScoreDataType, ScoreSource } from '@sightline/core';
import type { TraceGroupTotals } from '../queries/trace-aggregates.js';

/** Columns the web UI's trace list sorts by (keyset-paginated, with the id as tiebreak). */
export const UI_TRACE_SORT_FIELDS = ['timestamp', 'name', 'userId', 'sessionId'] as const;
export type UiTraceSortField = (typeof UI_TRACE_SORT_FIELDS)[number];

/** Position after the last row of a page: that row's sort value and id. */
export interface UiTraceCursor {
  value: string | number;
  id: string;
}

export interface UiTraceQuery {
  fromTimestamp?: number;
  toTimestamp?: number;
  name?: string;
  userId?: string;
  sessionId?: string;
  /** A trace must carry all of them. */
  tags?: string[];
  environment?: string[];
  /** Traces with at least one observation at this level. */
  level?: Level;
  /** Top-level metadata keys whose text value must equal the given value. */
  metadata?: { key: string; value: string }[];
  /** Case-insensitive substring of the trace's or an observation's name, input or output, or the exact trace id. */
  search?: string;
  sort: { field: UiTraceSortField; direction: 'asc' | 'desc' };
  limit: number;
  cursor?: UiTraceCursor;
}

export interface UiScoreChip {
  id: string;
  name: string;
  value: number;
  stringValue: string | null;
  dataType: ScoreDataType;
  source: ScoreSource;
  observationId: string | null;
}

export interface UiTraceRow {
  id: string;
  timestamp: number;
  name: string | null;
  userId: string | null;
  sessionId: string | null;
  environment: string;
  release: string | null;
  version: string | null;
  tags: string[];
  /** The trace's aggregates, as `ObservationTotals` defines them (latency null without observations). */
  latencyMs: number | null;
  totalTokens: number;
  totalCost: number;
  observationCount: number;
  errorCount: number;
  scores: UiScoreChip[];
}

export interface UiTracePage {
  rows: UiTraceRow[];
  nextCursor: UiTraceCursor | null;
}

/** One observation of a trace tree: only what the tree and the waterfall draw. */
export interface TreeNodeRow {
  id: string;
  parentObservationId: string | null;
  type: ObservationType;
  name: string | null;
  startTime: number;
  endTime: number | null;
  totalCost: number | null;
  totalTokens: number | null;
  level: Level;
  model: string | null;
}

export interface UiUserRow {
  userId: string;
  traceCount: number;
  firstSeen: number;
  lastSeen: number;
  totalTokens: number;
  totalCost: number;
}

export interface UiSessionRow {
  id: string;
  createdAt: number;
  environment: string;
  traceCount: number;
  firstTrace: number | null;
  lastTrace: number | null;
  userIds: string[];
  totalTokens: number;
  totalCost: number;
}

/** The web UI's read queries (lists with aggregates, the compact trace tree, change detection). */
export interface UiQueries {
  listTraces(projectId: string, q: UiTraceQuery): Promise<UiTracePage>;
  /** Every observation of a trace in start order, compactly (no inputs, outputs or metadata). */
  traceTree(projectId: string, traceId: string): Promise<TreeNodeRow[]>;
  listUsers(projectId: string, q: { search?: string; page: number; limit: number }): Promise<{ rows: UiUserRow[]; totalItems: number }>;
  listSessions(projectId: string, q: { fromTimestamp?: number; toTimestamp?: number; page: number; limit: number }): Promise<{ rows: UiSessionRow[]; totalItems: number }>;
  /** A session's aggregates over all its traces (empty totals for an unknown session). */
  sessionTotals(projectId: string, sessionId: string): Promise<TraceGroupTotals>;
  listEnvironments(projectId: string): Promise<string[]>;
  /** The newest `updatedAt` of the project's traces (0 when none): a cheap change marker for polling. */
  tracesUpdatedAt(projectId: string): Promise<number>;
}
