import { GROUP_SORT_FIELDS, type Sort } from '../totals/group-sort.js';
import type { SqlDialect, WritableDb } from '../db.js';
import type { Page, Paged } from '../types.js';
import { listUsers } from './list-users.js';
import { getUser, userActivity } from './user-activity.js';

export interface UserSummaryQuery extends Page {
  /** Case-insensitive substring of the user id. */
  search?: string;
  /** Default: most recently seen first. */
  sort?: Sort<UserSortField>;
}

/**
 * What the users list sorts by: the user id, their totals (`firstTrace`/`lastTrace`: first and
 * last seen) or a score name's values on their traces (`score`, with `Sort.scoreName`).
 */
export const USER_SORT_FIELDS = ['userId', ...GROUP_SORT_FIELDS, 'score'] as const;
export type UserSortField = (typeof USER_SORT_FIELDS)[number];

/** A user id seen in a project's traces, with the aggregates of those traces (as `TraceGroupTotals` defines them). */
export interface UserSummary {
  userId: string;
  traceCount: number;
  firstSeen: number;
  lastSeen: number;
  totalTokens: number;
  totalCost: number;
  /** Sorted by a score name: the mean of that name's scores on the user's traces (null: none). */
  score?: number | null;
}

/** A user's figures per UTC day (`day`: the day's start, epoch ms); cost summed in dollars. */
export interface UserActivity {
  days: { day: number; traceCount: number; totalTokens: number; totalCost: number }[];
  /** Mean of each numeric or boolean score name on the user's traces, by the traces' day. */
  scores: { day: number; name: string; mean: number; count: number }[];
}

/** The users an application reports on its traces (not the people who sign in: see `AccountStore`). */
export interface UserStore {
  /** Most recently seen first unless sorted otherwise. `totalItems` is exact up to a bound (`exactCountUpTo`, tests lower it), past it an estimate (`totalEstimated`). */
  list(projectId: string, q: UserSummaryQuery, opts?: { exactCountUpTo?: number }): Promise<Paged<UserSummary>>;
  /** One user's totals; null when no trace of the project names them. */
  get(projectId: string, userId: string): Promise<UserSummary | null>;
  /** A user's traces, tokens, cost and scores per UTC day of the traces' timestamps in [from, to); `path: 'scan'` reads the traces instead of the kept daily totals (tests). */
  activity(projectId: string, userId: string, from: number, to: number, path?: 'scan'): Promise<UserActivity>;
}

export function createUserStore(db: WritableDb, d: SqlDialect): UserStore {
  return {
    list: (projectId, q, opts) => listUsers(db, d, projectId, q, opts?.exactCountUpTo),
    get: (projectId, userId) => getUser(db, projectId, userId),
    activity: (projectId, userId, from, to, path) => userActivity(db, projectId, userId, from, to, path),
  };
}
