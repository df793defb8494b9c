import type { SessionRecord } from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import { rowToSession } from '../mappers.js';
import { EXACT_TOTAL_LIMIT, offsetListTotal } from '../queries/bounded-total.js';
import type { Paged } from '../types.js';
import type { SessionQuery } from './session-store.js';
import { pageParams, Where } from '../queries/where.js';

/** The start of the project's sessions: where an estimated total extrapolates to without `fromTimestamp`. */
export const firstSession = (projectId: string) => ({ sql: 'SELECT MIN(created_at) AS m FROM sessions WHERE project_id = ?', params: [projectId] });

/**
 * GET /sessions: one page of sessions, newest first, with the total count — exact up to
 * `exactUpTo` sessions, an estimate past that (`totalEstimated`; queries/bounded-total.ts), so a
 * page costs a bounded walk of the sessions' time index, not a count of every session.
 */
export async function listSessions(db: Db, _d: SqlDialect, projectId: string, q: SessionQuery, exactUpTo = EXACT_TOTAL_LIMIT): Promise<Paged<SessionRecord>> {
  const w = new Where()
    .eq('project_id', projectId)
    .cmp('created_at', '>=', q.fromTimestamp)
    .cmp('created_at', '<', q.toTimestamp)
    .in('environment', q.environment);
  const [limit, offset] = pageParams(q.page, q.limit);
  const fetched = await db.all<Row>(`SELECT * FROM sessions ${w.sql} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, [...w.params, limit + 1, offset]);
  const total = await offsetListTotal(db, {
    from: { sql: `FROM sessions ${w.sql}`, params: w.params },
    time: 'created_at',
    since: q.fromTimestamp,
    firstTime: firstSession(projectId),
  }, { offset, limit, read: fetched.length }, exactUpTo);
  return { rows: fetched.slice(0, limit).map(rowToSession), totalItems: total.count, ...(total.estimated ? { totalEstimated: true } : {}) };
}
