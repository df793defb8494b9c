import { groupSortSql, orderBy } from '../totals/group-sort.js';
import type { Db, Row, SqlDialect } from '../db.js';
import { chunks, pageParams, placeholders, Where } from '../queries/where.js';
import { missingLastPage } from '../queries/missing-last-page.js';
import { noScoreSum, scoreSumsOf } from '../totals/group-score.js';
import { groupFigures } from '../totals/read-totals.js';
import type { Paged } from '../types.js';
import type { SessionSummary, SessionSummaryQuery } from './session-store.js';

/**
 * Sessions, newest first, with their trace count, time span, users, tokens and cost: one page
 * of sessions joined with the totals ingestion keeps for them (totals/totals-change.ts), so the
 * cost is the page's, however many traces the sessions hold. Sorted by a score name, the cost
 * is that name's scores (totals/group-score.ts).
 */
export async function listSessionSummaries(db: Db, d: SqlDialect, projectId: string, q: SessionSummaryQuery): Promise<Paged<SessionSummary>> {
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
  let count: { n: number } | undefined;
  let sessions: Row[];
  if (field === 'createdAt' || field === 'id') {
    count = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM sessions s ${w.sql}`, w.params);
    sessions = await db.all<Row>(`SELECT ${columns} FROM sessions s ${totals} ${w.sql} ${orderBy(field === 'id' ? 's.id' : 's.created_at', 's.id', direction)} LIMIT ? OFFSET ?`, [
      ...w.params,
      ...pageParams(q.page, q.limit),
    ]);
  } else if (field === 'score') {
    // Sessions with a score of the name by its mean (group_score_sums), then the others by id.
    count = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM sessions s ${w.sql}`, w.params);
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
  } else {
    // Driven by the totals' index for the figure (CROSS JOIN keeps that order on SQLite). A session
    // whose traces were all deleted has no totals and is left out of these orders (and their count).
    const filtered = q.fromTimestamp !== undefined || q.toTimestamp !== undefined || q.userId !== undefined;
    w.add("g.project_id = ? AND g.kind = 'session' AND s.id = g.id", projectId);
    const from = 'FROM group_totals g CROSS JOIN sessions s';
    // Unfiltered, the count is the totals' own (a session has totals exactly while a trace names
    // it, as it has a row): one index, not a join per session.
    count = filtered
      ? await db.get<{ n: number }>(`SELECT COUNT(*) AS n ${from} ${w.sql}`, w.params)
      : await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM group_totals WHERE project_id = ? AND kind = 'session'", [projectId]);
    sessions = await db.all<Row>(`SELECT ${columns} ${from} ${w.sql} ${orderBy(groupSortSql(field), 'g.id', direction)} LIMIT ? OFFSET ?`, [
      ...w.params,
      ...pageParams(q.page, q.limit),
    ]);
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
    totalItems: Number(count?.n ?? 0),
    rows: sessions.map((s) => {
      const id = String(s.id);
      const row: SessionSummary = { id, createdAt: Number(s.created_at), environment: String(s.environment), ...groupFigures(s), userIds: (users.get(id) ?? []).sort() };
      if (field === 'score') row.score = s.score === null || s.score === undefined ? null : Number(s.score);
      return row;
    }),
  };
}
