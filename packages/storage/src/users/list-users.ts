import type { Db, Row, SqlDialect } from '../db.js';
import { escapeLike, pageParams, Where } from '../queries/where.js';
import { groupFigures } from '../totals/read-totals.js';
import type { Paged } from '../types.js';
import type { UserSummary, UserSummaryQuery } from './user-store.js';

/**
 * Users seen in a project's traces, most recently seen first, with their traces, tokens and
 * cost: a page of the per-user totals ingestion keeps (totals/totals-change.ts), read in the
 * order of their index, so the cost is the page's, not the traces'.
 */
export async function listUsers(db: Db, d: SqlDialect, projectId: string, q: UserSummaryQuery): Promise<Paged<UserSummary>> {
  const w = new Where().eq('project_id', projectId).add("kind = 'user'");
  if (q.search) w.add(`id ${d.ilike} ? ESCAPE '\\'`, `%${escapeLike(q.search)}%`);
  const count = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM group_totals ${w.sql}`, w.params);
  const rows = await db.all<Row>(`SELECT * FROM group_totals ${w.sql} ORDER BY last_trace DESC, id LIMIT ? OFFSET ?`, [...w.params, ...pageParams(q.page, q.limit)]);
  return {
    totalItems: Number(count?.n ?? 0),
    rows: rows.map((r) => {
      const f = groupFigures(r);
      return { userId: String(r.id), traceCount: f.traceCount, firstSeen: f.firstTrace ?? 0, lastSeen: f.lastTrace ?? 0, totalTokens: f.totalTokens, totalCost: f.totalCost };
    }),
  };
}
