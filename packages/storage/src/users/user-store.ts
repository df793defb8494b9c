import type { SqlDialect, WritableDb } from '../db.js';
import type { Page, Paged } from '../types.js';
import { listUsers } from './list-users.js';

export interface UserSummaryQuery extends Page {
  /** Case-insensitive substring of the user id. */
  search?: string;
}

/** A user id seen in a project's traces, with the aggregates of those traces (as `TraceGroupTotals` defines them). */
export interface UserSummary {
  userId: string;
  traceCount: number;
  firstSeen: number;
  lastSeen: number;
  totalTokens: number;
  totalCost: number;
}

/** The users an application reports on its traces (not the people who sign in: see `AccountStore`). */
export interface UserStore {
  /** Most recently seen first. */
  list(projectId: string, q: UserSummaryQuery): Promise<Paged<UserSummary>>;
}

export function createUserStore(db: WritableDb, d: SqlDialect): UserStore {
  return { list: (projectId, q) => listUsers(db, d, projectId, q) };
}
