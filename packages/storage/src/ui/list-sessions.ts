import type { Db, Row, SqlDialect } from '../db.js';
import { pageParams, placeholders, Where } from '../queries/where.js';
import type { UiSessionRow } from './types.js';

/** Sessions, newest first, with their trace count, time span, users and cost. */
export async function listUiSessions(
  db: Db,
  _d: SqlDialect,
  projectId: string,
  q: { fromTimestamp?: number; toTimestamp?: number; page: number; limit: number },
): Promise<{ rows: UiSessionRow[]; totalItems: number }> {
  const w = new Where().eq('s.project_id', projectId).cmp('s.created_at', '>=', q.fromTimestamp).cmp('s.created_at', '<', q.toTimestamp);
  const count = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM sessions s ${w.sql}`, w.params);
  const sessions = await db.all<Row>(`SELECT s.* FROM sessions s ${w.sql} ORDER BY s.created_at DESC, s.id DESC LIMIT ? OFFSET ?`, [
    ...w.params,
    ...pageParams(q.page, q.limit),
  ]);
  const ids = sessions.map((s) => String(s.id));
  const stats = new Map<string, Row>();
  const users = new Map<string, Set<string>>();
  if (ids.length > 0) {
    const inList = `(${placeholders(ids.length)})`;
    for (const r of await db.all<Row>(
      `SELECT t.session_id, COUNT(*) AS n, MIN(t.timestamp) AS first_trace, MAX(t.timestamp) AS last_trace,
              (SELECT SUM(o.total_cost) FROM observations o JOIN traces t2 ON t2.project_id = o.project_id AND t2.id = o.trace_id
                WHERE o.project_id = t.project_id AND t2.session_id = t.session_id) AS cost
         FROM traces t WHERE t.project_id = ? AND t.session_id IN ${inList} GROUP BY t.project_id, t.session_id`,
      [projectId, ...ids],
    )) {
      stats.set(String(r.session_id), r);
    }
    for (const r of await db.all<Row>(
      `SELECT DISTINCT session_id, user_id FROM traces WHERE project_id = ? AND session_id IN ${inList} AND user_id IS NOT NULL`,
      [projectId, ...ids],
    )) {
      const set = users.get(String(r.session_id)) ?? new Set<string>();
      set.add(String(r.user_id));
      users.set(String(r.session_id), set);
    }
  }
  return {
    totalItems: Number(count?.n ?? 0),
    rows: sessions.map((s) => {
      const st = stats.get(String(s.id));
      return {
        id: String(s.id),
        createdAt: Number(s.created_at),
        environment: String(s.environment),
        traceCount: Number(st?.n ?? 0),
        firstTrace: st ? Number(st.first_trace) : null,
        lastTrace: st ? Number(st.last_trace) : null,
        userIds: [...(users.get(String(s.id)) ?? [])].sort(),
        totalCost: Number(st?.cost ?? 0),
      };
    }),
  };
}
