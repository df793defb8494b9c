import { groupSortSql, orderBy } from '../totals/group-sort.js';
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
  const w = new Where().eq('g.project_id', projectId).add("g.kind = 'user'");
  if (q.search) w.add(`g.id ${d.ilike} ? ESCAPE '\\'`, `%${escapeLike(q.search)}%`);
  const count = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM group_totals g ${w.sql}`, w.params);
  // The default keeps the order of group_totals_last (id ascending among equal times).
  const order = q.sort ? orderBy(q.sort.field === 'userId' ? 'g.id' : groupSortSql(q.sort.field), 'g.id', q.sort.direction) : 'ORDER BY g.last_trace DESC, g.id';
  const rows = await db.all<Row>(`SELECT * FROM group_totals g ${w.sql} ${order} LIMIT ? OFFSET ?`, [...w.params, ...pageParams(q.page, q.limit)]);
  return {
    totalItems: Number(count?.n ?? 0),
    rows: rows.map((r) => {
      const f = groupFigures(r);
      return { userId: String(r.id), traceCount: f.traceCount, firstSeen: f.firstTrace ?? 0, lastSeen: f.lastTrace ?? 0, totalTokens: f.totalTokens, totalCost: f.totalCost };
    }),
  };
}
