import { groupSortSql, orderBy } from '../totals/group-sort.js';
import type { Db, Row, SqlDialect } from '../db.js';
import { chunks, pageParams, placeholders, Where } from '../queries/where.js';
import { missingLastPage } from '../queries/missing-last-page.js';
import { EXACT_TOTAL_LIMIT, offsetListTotal, type BoundedTotal } from '../queries/bounded-total.js';
import { firstSession } from './list-sessions.js';
import { noScoreSum, scoreSumsOf } from '../totals/group-score.js';
import { groupFigures } from '../totals/read-totals.js';
import type { Paged } from '../types.js';
import type { SessionSummary, SessionSummaryQuery } from './session-store.js';

/**
 * Sessions, newest first, with their trace count, time span, users, tokens and cost: one page
 * of sessions joined with the totals ingestion keeps for them (totals/totals-change.ts), so the
 * cost is the page's, however many traces the sessions hold. Sorted by a score name, the cost
 * is that name's scores (totals/group-score.ts). The total is exact up to `exactUpTo` sessions
 * and an estimate past that (`totalEstimated`), except for one user's sessions (always exact).
 */
export async function listSessionSummaries(db: Db, d: SqlDialect, projectId: string, q: SessionSummaryQuery, exactUpTo = EXACT_TOTAL_LIMIT): Promise<Paged<SessionSummary>> {
  const where = () => {
    const w = new Where().eq('s.project_id', projectId).cmp('s.created_at', '>=', q.fromTimestamp).cmp('s.created_at', '<', q.toTimestamp);
    // A user's sessions: those of their traces (traces_user: the user's traces, not the project's).
    if (q.userId !== undefined) w.add('s.id IN (SELECT ut.session_id FROM traces ut WHERE ut.project_id = ? AND ut.user_id = ?)', projectId, q.userId);
    return w;
  };
  const w = where();
  const field = q.sort?.field ?? 'createdAt';
  const direction = q.sort?.direction ?? 'desc';
  const columns = 's.id, s.created_at, s.environment, g.trace_count, g.first_trace, g.last_trace, g.total_tokens, g.cost_hi, g.cost_lo';
  const totals = "LEFT JOIN group_totals g ON g.project_id = s.project_id AND g.kind = 'session' AND g.id = s.id";
  const [limit, offset] = pageParams(q.page, q.limit);
  // The total: exact for one user's sessions; otherwise exact up to `exactUpTo`, an estimate past it.
  const sessionsTotal = async (read: number): Promise<BoundedTotal> =>
    q.userId !== undefined
      ? { count: Number((await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM sessions s ${w.sql}`, w.params))?.n ?? 0), estimated: false }
      : offsetListTotal(db, { from: { sql: `FROM sessions s ${w.sql}`, params: w.params }, time: 's.created_at', since: q.fromTimestamp, firstTime: firstSession(projectId) }, { offset, limit, read }, exactUpTo);
  let total: BoundedTotal;
  let sessions: Row[];
  if (field === 'createdAt' || field === 'id') {
    const fetched = await db.all<Row>(`SELECT ${columns} FROM sessions s ${totals} ${w.sql} ${orderBy(field === 'id' ? 's.id' : 's.created_at', 's.id', direction)} LIMIT ? OFFSET ?`, [
      ...w.params,
      limit + 1,
      offset,
    ]);
    sessions = fetched.slice(0, limit);
    total = await sessionsTotal(fetched.length);
  } else if (field === 'score') {
    // Sessions with a score of the name by its mean (group_score_sums), then the others by id.
    const name = q.sort?.scoreName ?? '';
    const x = scoreSumsOf('session', projectId, name, 's.id');
    const none = noScoreSum('session', projectId, name, 's.id');
    const valued = where().add(x.sql, ...x.params);
    const missing = where().add(none.sql, ...none.params);
    const dir = direction === 'asc' ? 'ASC' : 'DESC';
    // Driven by group_score_sums_mean (CROSS JOIN keeps that order on SQLite): a page costs its rows.
    const page = await missingLastPage(db, {
      valued: { sql: `SELECT ${columns}, x.mean AS score FROM group_score_sums x CROSS JOIN sessions s ${totals} ${valued.sql} ${orderBy('x.mean', 'x.id', direction)}`, params: valued.params },
      missing: { sql: `SELECT ${columns}, NULL AS score FROM sessions s ${totals} ${missing.sql} ORDER BY s.id ${dir}`, params: missing.params },
      countValued: { sql: `SELECT COUNT(*) AS n FROM group_score_sums x CROSS JOIN sessions s ${valued.sql}`, params: valued.params },
    }, q.page, q.limit);
    sessions = page.rows;
    total = await sessionsTotal(page.rows.length + (page.hasMore ? 1 : 0));
  } else {
    // Driven by the totals' index for the figure (CROSS JOIN keeps that order on SQLite). A session
    // whose traces were all deleted has no totals and is left out of these orders (and their count).
    const filtered = q.fromTimestamp !== undefined || q.toTimestamp !== undefined || q.userId !== undefined;
    w.add("g.project_id = ? AND g.kind = 'session' AND s.id = g.id", projectId);
    const from = 'FROM group_totals g CROSS JOIN sessions s';
    const fetched = await db.all<Row>(`SELECT ${columns} ${from} ${w.sql} ${orderBy(groupSortSql(field), 'g.id', direction)} LIMIT ? OFFSET ?`, [
      ...w.params,
      limit + 1,
      offset,
    ]);
    sessions = fetched.slice(0, limit);
    // Unfiltered, the sessions with totals are the totals' own rows (a session has totals exactly
    // while a trace names it, as it has a row): counted along their last-trace index up to the bound.
    total = filtered
      ? { count: Number((await db.get<{ n: number }>(`SELECT COUNT(*) AS n ${from} ${w.sql}`, w.params))?.n ?? 0), estimated: false }
      : await offsetListTotal(db, {
        from: { sql: "FROM group_totals g WHERE g.project_id = ? AND g.kind = 'session'", params: [projectId] },
        time: 'g.last_trace',
        firstTime: { sql: "SELECT MIN(last_trace) AS m FROM group_totals WHERE project_id = ? AND kind = 'session'", params: [projectId] },
      }, { offset, limit, read: fetched.length }, exactUpTo);
  }
  const users = new Map<string, string[]>();
  for (const part of chunks(sessions.map((s) => String(s.id)), d.maxParams - 1)) {
    const rows = await db.all<Row>(`SELECT session_id, user_id FROM session_users WHERE project_id = ? AND session_id IN (${placeholders(part.length)})`, [projectId, ...part]);
    for (const r of rows) {
      const list = users.get(String(r.session_id));
      if (list) list.push(String(r.user_id));
      else users.set(String(r.session_id), [String(r.user_id)]);
    }
  }
  return {
    totalItems: total.count,
    ...(total.estimated ? { totalEstimated: true } : {}),
    rows: sessions.map((s) => {
      const id = String(s.id);
      const row: SessionSummary = { id, createdAt: Number(s.created_at), environment: String(s.environment), ...groupFigures(s), userIds: (users.get(id) ?? []).sort() };
      if (field === 'score') row.score = s.score === null || s.score === undefined ? null : Number(s.score);
      return row;
    }),
  };
}
