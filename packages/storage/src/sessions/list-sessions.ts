import type { SessionRecord } from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import { rowToSession } from '../mappers.js';
import type { Paged } from '../types.js';
import type { SessionQuery } from './session-store.js';
import { pageParams, Where } from '../queries/where.js';

/** GET /sessions: one page of sessions, newest first, with the total count. */
export async function listSessions(db: Db, _d: SqlDialect, projectId: string, q: SessionQuery): Promise<Paged<SessionRecord>> {
  const w = new Where()
    .eq('project_id', projectId)
    .cmp('created_at', '>=', q.fromTimestamp)
    .cmp('created_at', '<', q.toTimestamp)
    .in('environment', q.environment);
  const count = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM sessions ${w.sql}`, w.params);
  const rows = await db.all<Row>(`SELECT * FROM sessions ${w.sql} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, [
    ...w.params,
    ...pageParams(q.page, q.limit),
  ]);
  return { rows: rows.map(rowToSession), totalItems: Number(count?.n ?? 0) };
}
