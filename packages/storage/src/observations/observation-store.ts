import type { Level, ObservationRecord, ObservationType } from '@sightline/core';
import type { SqlDialect, WritableDb } from '../db.js';
import type { FilterCondition, Page, Paged } from '../types.js';
import { getObservation } from './get-observation.js';
import { listObservations } from './list-observations.js';
import { listObservationsAfter } from './list-observations-after.js';
import { listObservationsOfTraces } from './list-observations-of-traces.js';
import { listObservationTable } from './observation-table.js';
import { observationTree } from './observation-tree.js';

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

/** One observation of a trace tree: its place and timing, without inputs, outputs or metadata. */
export interface ObservationNode {
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

/** What the observations table sorts by; `score` is one score name's value (`sort.scoreName`). */
export const OBSERVATION_TABLE_SORT_FIELDS = ['startTime', 'latency', 'timeToFirstToken', 'tokens', 'cost', 'name', 'model', 'level', 'score'] as const;
export type ObservationTableSortField = (typeof OBSERVATION_TABLE_SORT_FIELDS)[number];

/** The observations table's filters (each list: any of), sort and page. */
export interface ObservationTableQuery extends Page {
  types?: ObservationType[];
  models?: string[];
  levels?: Level[];
  environment?: string[];
  /** Case-insensitive substring of the name. */
  name?: string;
  promptName?: string;
  traceId?: string;
  fromStartTime?: number;
  toStartTime?: number;
  minLatencyMs?: number;
  minTimeToFirstTokenMs?: number;
  minTokens?: number;
  minCost?: number;
  /** Observations with a score of this name (at least `min` when given). */
  score?: { name: string; min?: number };
  sort?: { field: ObservationTableSortField; direction: 'asc' | 'desc'; scoreName?: string };
}

/** A row of the observations table: no inputs, outputs or metadata. */
export interface ObservationTableRow {
  id: string;
  traceId: string | null;
  traceName: string | null;
  type: ObservationType;
  name: string | null;
  environment: string;
  startTime: number;
  endTime: number | null;
  latencyMs: number | null;
  timeToFirstTokenMs: number | null;
  level: Level;
  model: string | null;
  promptName: string | null;
  promptVersion: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  totalTokens: number | null;
  totalCost: number | null;
}

/** Observations (spans, generations, events and the other kinds). Every call is scoped by project. */
export interface ObservationStore {
  list(projectId: string, q: ObservationQuery & Page): Promise<Paged<ObservationRecord>>;
  /** A cursor page (v2 observations). */
  listAfter(projectId: string, q: ObservationQuery & { limit: number; cursor?: ObservationCursor }): Promise<ObservationRecord[]>;
  /** All observations of the given traces, ordered by startTime asc. */
  ofTraces(projectId: string, traceIds: string[]): Promise<ObservationRecord[]>;
  get(projectId: string, id: string): Promise<ObservationRecord | null>;
  /** Every observation of a trace in start order, compactly (no inputs, outputs or metadata). */
  tree(projectId: string, traceId: string): Promise<ObservationNode[]>;
  /** A page of the cross-trace observations table. */
  table(projectId: string, q: ObservationTableQuery): Promise<{ rows: ObservationTableRow[]; hasMore: boolean }>;
}

export function createObservationStore(db: WritableDb, d: SqlDialect): ObservationStore {
  return {
    list: (projectId, q) => listObservations(db, d, projectId, q),
    listAfter: (projectId, q) => listObservationsAfter(db, d, projectId, q),
    ofTraces: (projectId, traceIds) => listObservationsOfTraces(db, d, projectId, traceIds),
    get: (projectId, id) => getObservation(db, projectId, id),
    tree: (projectId, traceId) => observationTree(db, d, projectId, traceId),
    table: (projectId, q) => listObservationTable(db, d, projectId, q),
  };
}
