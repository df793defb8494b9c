import type { Db, Row, SqlDialect } from '../db.js';
import { userTotals } from '../queries/trace-aggregates.js';
import { escapeLike, pageParams, Where } from '../queries/where.js';
import type { Paged } from '../types.js';
import type { UserSummary, UserSummaryQuery } from './user-store.js';

/** Users seen in a project's traces, most recently seen first, with their traces, tokens and cost. */
export async function listUsers(
  db: Db,
  d: SqlDialect,
  projectId: string,
  q: UserSummaryQuery,
): Promise<Paged<UserSummary>> {
  const w = new Where().eq('t.project_id', projectId).add('t.user_id IS NOT NULL');
  if (q.search) w.add(`t.user_id ${d.ilike} ? ESCAPE '\\'`, `%${escapeLike(q.search)}%`);
  const count = await db.get<{ n: number }>(`SELECT COUNT(DISTINCT t.user_id) AS n FROM traces t ${w.sql}`, w.params);
  const rows = await db.all<Row>(
    `SELECT t.user_id FROM traces t ${w.sql} GROUP BY t.user_id ORDER BY MAX(t.timestamp) DESC, t.user_id LIMIT ? OFFSET ?`,
    [...w.params, ...pageParams(q.page, q.limit)],
  );
  const ids = rows.map((r) => String(r.user_id));
  const totals = await userTotals(db, d, projectId, ids);
  return {
    totalItems: Number(count?.n ?? 0),
    rows: ids.map((userId) => {
      const t = totals.get(userId);
      return {
        userId,
        traceCount: t?.traceCount ?? 0,
        firstSeen: t?.firstTrace ?? 0,
        lastSeen: t?.lastTrace ?? 0,
        totalTokens: t?.totalTokens ?? 0,
        totalCost: t?.totalCost ?? 0,
      };
    }),
  };
}
