import type { Level, TraceRecord } from '@sightline/core';
import type { SqlDialect, WritableDb } from '../db.js';
import { traceTotals, type ObservationTotals } from '../queries/trace-aggregates.js';
import type { FilterCondition, Page, Paged } from '../types.js';
import { deleteTraces } from './delete-traces.js';
import { countFilteredTraces, exportTracePage, getTraces } from './export-traces.js';
import { getTrace } from './get-trace.js';
import { listTraces } from './list-traces.js';
import { countTraces, searchTraces } from './search-traces.js';

/** The public trace list's filters (without paging and sorting): what an export selects too. */
export interface TraceFilters {
  userId?: string;
  name?: string;
  sessionId?: string;
  fromTimestamp?: number;
  toTimestamp?: number;
  tags?: string[];
  version?: string;
  release?: string;
  environment?: string[];
  /** When given, replaces the simple filters above. */
  filter?: FilterCondition[];
}

export interface TraceQuery extends Page, TraceFilters {
  orderBy?: { field: 'id' | 'timestamp' | 'name' | 'userId' | 'release' | 'version' | 'public' | 'bookmarked' | 'sessionId'; direction: 'asc' | 'desc' };
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

/** A page of the public list. `totalItems` is exact up to a bound (list-traces.ts), past it an estimate (`totalEstimated`) never below the rows known to exist. */
export interface TraceListPage extends Paged<TraceListRow> {
  totalEstimated: boolean;
}

/** The public list's bounds (list-traces.ts; tests lower them): matches counted exactly, and traces of a tag read through trace_tags. */
export interface TraceListBounds {
  exactCountUpTo?: number;
  rareTagUpTo?: number;
}

/**
 * What a trace search sorts by (keyset-paginated, with the id as tiebreak): the trace's columns,
 * its totals (latency in ms, cost, tokens) or the value of one score name (`sort.scoreName`).
 */
export const TRACE_SEARCH_SORT_FIELDS = ['timestamp', 'name', 'userId', 'sessionId', 'latency', 'cost', 'tokens', 'score'] as const;
export type TraceSearchSortField = (typeof TRACE_SEARCH_SORT_FIELDS)[number];

/** Position after the last row of a page: that row's sort value and id. */
export interface TraceSearchCursor {
  /** Null: past every trace that has a value (traces without one come last, by id). */
  value: string | number | null;
  id: string;
}

/** The web UI's trace search: more filters than the public list, free-text search, keyset pages. */
export interface TraceSearchQuery {
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
  sort: { field: TraceSearchSortField; direction: 'asc' | 'desc'; scoreName?: string };
  limit: number;
  cursor?: TraceSearchCursor;
}

/** Position after the last trace of an export page. */
export interface TraceExportCursor {
  timestamp: number;
  id: string;
}

export interface TraceSearchPage {
  rows: TraceRecord[];
  nextCursor: TraceSearchCursor | null;
}

/** How many traces match a search: exact up to a bound, beyond it an estimate (`estimated`). */
export interface TraceCount {
  count: number;
  estimated: boolean;
}

/** Traces: the public API's list and reads, the UI's search, per-trace aggregates, deletion. Every call is scoped by project. */
export interface TraceStore {
  list(projectId: string, q: TraceQuery, opts?: TraceListBounds): Promise<TraceListPage>;
  /** Keyset pages of a filtered, searched, sorted trace list. */
  search(projectId: string, q: TraceSearchQuery): Promise<TraceSearchPage>;
  /** The number of traces a search matches (its sort, cursor and limit ignored): exact when cheap, else an estimate. */
  count(projectId: string, q: TraceSearchQuery, opts?: { exactUpTo?: number }): Promise<TraceCount>;
  get(projectId: string, id: string): Promise<TraceRecord | null>;
  /** The given traces that exist (any order). */
  getMany(projectId: string, ids: string[]): Promise<TraceRecord[]>;
  /** Keyset pages of the filtered traces, oldest first by (timestamp, id): what an export streams. */
  exportPage(projectId: string, filters: TraceFilters, after: TraceExportCursor | null, limit: number): Promise<TraceRecord[]>;
  /** How many traces the filters select. */
  countFiltered(projectId: string, filters: TraceFilters): Promise<number>;
  /** Latency, exact total cost, tokens and counts of each given trace: the one definition every read shows. */
  totals(projectId: string, traceIds: string[]): Promise<Map<string, ObservationTotals>>;
  /** Deletes traces with their observations, scores and logged events. Returns how many traces existed. */
  delete(projectId: string, ids: string[]): Promise<number>;
  /** The project's environments (at most 200, sorted). */
  environments(projectId: string): Promise<string[]>;
  /** The newest `updatedAt` of the project's traces (0 when none): a cheap change marker for polling. */
  updatedAt(projectId: string): Promise<number>;
}

export function createTraceStore(db: WritableDb, d: SqlDialect): TraceStore {
  return {
    list: (projectId, q, opts) => listTraces(db, d, projectId, q, opts),
    search: (projectId, q) => searchTraces(db, d, projectId, q),
    count: (projectId, q, opts) => countTraces(db, d, projectId, q, opts?.exactUpTo),
    get: (projectId, id) => getTrace(db, projectId, id),
    getMany: (projectId, ids) => getTraces(db, d, projectId, ids),
    exportPage: (projectId, filters, after, limit) => exportTracePage(db, d, projectId, filters, after, limit),
    countFiltered: (projectId, filters) => countFilteredTraces(db, d, projectId, filters),
    totals: (projectId, traceIds) => traceTotals(db, d, projectId, traceIds),
    delete: (projectId, ids) => deleteTraces(db, d, projectId, ids),
    async environments(projectId) {
      const rows = await db.all<{ environment: string }>('SELECT DISTINCT environment FROM traces WHERE project_id = ? ORDER BY environment LIMIT 200', [projectId]);
      return rows.map((r) => String(r.environment));
    },
    async updatedAt(projectId) {
      const r = await db.get<{ m: number | null }>('SELECT MAX(updated_at) AS m FROM traces WHERE project_id = ?', [projectId]);
      return Number(r?.m ?? 0);
    },
  };
}
