import { groupSortSql, orderBy } from '../totals/group-sort.js';
import type { Db, Row, SqlDialect } from '../db.js';
import { escapeLike, pageParams, Where } from '../queries/where.js';
import { missingLastPage } from '../queries/missing-last-page.js';
import { EXACT_TOTAL_LIMIT, offsetListTotal, type BoundedTotal } from '../queries/bounded-total.js';
import { noScoreSum, scoreSumsOf } from '../totals/group-score.js';
import { groupFigures } from '../totals/read-totals.js';
import type { Paged } from '../types.js';
import type { UserSummary, UserSummaryQuery } from './user-store.js';

/**
 * Users seen in a project's traces, most recently seen first, with their traces, tokens and
 * cost: a page of the per-user totals ingestion keeps (totals/totals-change.ts), read in the
 * order of their index, so the cost is the page's, not the traces'. Sorted by a score name, the
 * cost is the page's too (totals/group-score.ts). The total is exact up to `exactUpTo` users and
 * an estimate past that (`totalEstimated`), counted along the last-seen index as the sessions
 * list counts; a search by id (which reads every user's id anyway) counts exactly.
 */
export async function listUsers(db: Db, d: SqlDialect, projectId: string, q: UserSummaryQuery, exactUpTo = EXACT_TOTAL_LIMIT): Promise<Paged<UserSummary>> {
  const w = new Where().eq('g.project_id', projectId).add("g.kind = 'user'");
  if (q.search) w.add(`g.id ${d.ilike} ? ESCAPE '\\'`, `%${escapeLike(q.search)}%`);
  const [limit, offset] = pageParams(q.page, q.limit);
  const usersTotal = async (read: number): Promise<BoundedTotal> =>
    q.search
      ? { count: Number((await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM group_totals g ${w.sql}`, w.params))?.n ?? 0), estimated: false }
      : offsetListTotal(db, {
        from: { sql: "FROM group_totals g WHERE g.project_id = ? AND g.kind = 'user'", params: [projectId] },
        time: 'g.last_trace',
        firstTime: { sql: "SELECT MIN(last_trace) AS m FROM group_totals WHERE project_id = ? AND kind = 'user'", params: [projectId] },
      }, { offset, limit, read }, exactUpTo);
  let rows: Row[];
  let total: BoundedTotal;
  if (q.sort?.field === 'score') {
    // Users with a score of the name by its mean (group_score_sums), then the others by id.
    const name = q.sort.scoreName ?? '';
    const x = scoreSumsOf('user', projectId, name, 'g.id');
    const none = noScoreSum('user', projectId, name, 'g.id');
    const valued = { sql: `${w.sql} AND ${x.sql}`, params: [...w.params, ...x.params] };
    const dir = q.sort.direction === 'asc' ? 'ASC' : 'DESC';
    // Driven by group_score_sums_mean (CROSS JOIN keeps that order on SQLite): a page costs its rows.
    const page = await missingLastPage(db, {
      valued: { sql: `SELECT g.*, x.mean AS score FROM group_score_sums x CROSS JOIN group_totals g ${valued.sql} ${orderBy('x.mean', 'x.id', q.sort.direction)}`, params: valued.params },
      missing: { sql: `SELECT g.*, NULL AS score FROM group_totals g ${w.sql} AND ${none.sql} ORDER BY g.id ${dir}`, params: [...w.params, ...none.params] },
      countValued: { sql: `SELECT COUNT(*) AS n FROM group_score_sums x CROSS JOIN group_totals g ${valued.sql}`, params: valued.params },
    }, q.page, q.limit);
    rows = page.rows;
    total = await usersTotal(page.rows.length + (page.hasMore ? 1 : 0));
  } else {
    // The default keeps the order of group_totals_last (id ascending among equal times).
    const order = q.sort ? orderBy(q.sort.field === 'userId' ? 'g.id' : groupSortSql(q.sort.field), 'g.id', q.sort.direction) : 'ORDER BY g.last_trace DESC, g.id';
    const fetched = await db.all<Row>(`SELECT * FROM group_totals g ${w.sql} ${order} LIMIT ? OFFSET ?`, [...w.params, limit + 1, offset]);
    rows = fetched.slice(0, limit);
    total = await usersTotal(fetched.length);
  }
  return {
    totalItems: total.count,
    ...(total.estimated ? { totalEstimated: true } : {}),
    rows: rows.map((r) => {
      const f = groupFigures(r);
      const row: UserSummary = { userId: String(r.id), traceCount: f.traceCount, firstSeen: f.firstTrace ?? 0, lastSeen: f.lastTrace ?? 0, totalTokens: f.totalTokens, totalCost: f.totalCost };
      if (q.sort?.field === 'score') row.score = r.score === null || r.score === undefined ? null : Number(r.score);
      return row;
    }),
  };
}
