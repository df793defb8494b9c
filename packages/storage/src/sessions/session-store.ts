import { GROUP_SORT_FIELDS, type Sort } from '../totals/group-sort.js';
import type { SessionRecord } from '@sightline/core';
import type { SqlDialect, WritableDb } from '../db.js';
import { sessionTotals, type TraceGroupTotals } from '../queries/trace-aggregates.js';
import type { Page, Paged } from '../types.js';
import { getSession } from './get-session.js';
import { listSessionSummaries } from './list-session-summaries.js';
import { listSessions } from './list-sessions.js';

export interface SessionQuery extends Page {
  fromTimestamp?: number;
  toTimestamp?: number;
  environment?: string[];
}

/**
 * What the sessions list sorts by: its own columns, its traces' totals (`duration`: first to last
 * trace) or a score name's values (`score`, with `Sort.scoreName`).
 */
export const SESSION_SORT_FIELDS = ['createdAt', 'id', ...GROUP_SORT_FIELDS, 'score'] as const;
export type SessionSortField = (typeof SESSION_SORT_FIELDS)[number];

export interface SessionSummaryQuery {
  fromTimestamp?: number;
  toTimestamp?: number;
  page: number;
  limit: number;
  /** Default: newest first. */
  sort?: Sort<SessionSortField>;
  /** Only sessions with a trace of this user. */
  userId?: string;
}

/** A session with the aggregates of its traces (as `TraceGroupTotals` defines them) and their users. */
export interface SessionSummary {
  id: string;
  createdAt: number;
  environment: string;
  traceCount: number;
  firstTrace: number | null;
  lastTrace: number | null;
  userIds: string[];
  totalTokens: number;
  totalCost: number;
  /** Sorted by a score name: the mean of that name's scores on the session and its traces (null: none). */
  score?: number | null;
}

/** How far the sessions lists count exactly (tests lower it; default EXACT_TOTAL_LIMIT). */
export interface SessionListBounds {
  exactCountUpTo?: number;
}

/** Sessions (groups of traces sharing a `sessionId`). Every call is scoped by project. */
export interface SessionStore {
  /** `totalItems` is exact up to a bound, past it an estimate (`totalEstimated`). */
  list(projectId: string, q: SessionQuery, opts?: SessionListBounds): Promise<Paged<SessionRecord>>;
  /**
   * Newest first unless sorted otherwise, with each session's trace aggregates and users;
   * `totalItems` as `list`'s (always exact for one user's sessions).
   */
  summaries(projectId: string, q: SessionSummaryQuery, opts?: SessionListBounds): Promise<Paged<SessionSummary>>;
  get(projectId: string, id: string): Promise<SessionRecord | null>;
  /** A session's aggregates over all its traces (empty totals for an unknown session). */
  totals(projectId: string, sessionId: string): Promise<TraceGroupTotals>;
}

export function createSessionStore(db: WritableDb, d: SqlDialect): SessionStore {
  return {
    list: (projectId, q, opts) => listSessions(db, d, projectId, q, opts?.exactCountUpTo),
    summaries: (projectId, q, opts) => listSessionSummaries(db, d, projectId, q, opts?.exactCountUpTo),
    get: (projectId, id) => getSession(db, projectId, id),
    async totals(projectId, sessionId) {
      const totals = await sessionTotals(db, d, projectId, [sessionId]);
      return totals.get(sessionId)!;
    },
  };
}
