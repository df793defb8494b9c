import type { Db, Row, SqlDialect } from '../db.js';
import { sessionTotals } from '../queries/trace-aggregates.js';
import { pageParams, placeholders, Where } from '../queries/where.js';
import type { Paged } from '../types.js';
import type { SessionSummary } from './session-store.js';

/** Sessions, newest first, with their trace count, time span, users, tokens and cost. */
export async function listSessionSummaries(
  db: Db,
  d: SqlDialect,
  projectId: string,
  q: { fromTimestamp?: number; toTimestamp?: number; page: number; limit: number },
): Promise<Paged<SessionSummary>> {
  const w = new Where().eq('s.project_id', projectId).cmp('s.created_at', '>=', q.fromTimestamp).cmp('s.created_at', '<', q.toTimestamp);
  const count = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM sessions s ${w.sql}`, w.params);
  const sessions = await db.all<Row>(`SELECT s.* FROM sessions s ${w.sql} ORDER BY s.created_at DESC, s.id DESC LIMIT ? OFFSET ?`, [
    ...w.params,
    ...pageParams(q.page, q.limit),
  ]);
  const ids = sessions.map((s) => String(s.id));
  const users = new Map<string, Set<string>>();
  const totals = await sessionTotals(db, d, projectId, ids);
  if (ids.length > 0) {
    for (const r of await db.all<Row>(
      `SELECT DISTINCT session_id, user_id FROM traces WHERE project_id = ? AND session_id IN (${placeholders(ids.length)}) AND user_id IS NOT NULL`,
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
      const id = String(s.id);
      const t = totals.get(id);
      return {
        id,
        createdAt: Number(s.created_at),
        environment: String(s.environment),
        traceCount: t?.traceCount ?? 0,
        firstTrace: t?.firstTrace ?? null,
        lastTrace: t?.lastTrace ?? null,
        userIds: [...(users.get(id) ?? [])].sort(),
        totalTokens: t?.totalTokens ?? 0,
        totalCost: t?.totalCost ?? 0,
      };
    }),
  };
}
