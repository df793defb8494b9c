import { groupSortSql, orderBy } from '../totals/group-sort.js';
import type { Db, Row, SqlDialect } from '../db.js';
import { chunks, pageParams, placeholders, Where } from '../queries/where.js';
import { groupFigures } from '../totals/read-totals.js';
import type { Paged } from '../types.js';
import type { SessionSummary, SessionSummaryQuery } from './session-store.js';

/**
 * Sessions, newest first, with their trace count, time span, users, tokens and cost: one page
 * of sessions joined with the totals ingestion keeps for them (totals/totals-change.ts), so the
 * cost is the page's, however many traces the sessions hold.
 */
export async function listSessionSummaries(db: Db, d: SqlDialect, projectId: string, q: SessionSummaryQuery): Promise<Paged<SessionSummary>> {
  const w = new Where().eq('s.project_id', projectId).cmp('s.created_at', '>=', q.fromTimestamp).cmp('s.created_at', '<', q.toTimestamp);
  // A user's sessions: those of their traces (traces_user: the user's traces, not the project's).
  if (q.userId !== undefined) w.add('s.id IN (SELECT ut.session_id FROM traces ut WHERE ut.project_id = ? AND ut.user_id = ?)', projectId, q.userId);
  const field = q.sort?.field ?? 'createdAt';
  const direction = q.sort?.direction ?? 'desc';
  const columns = 's.id, s.created_at, s.environment, g.trace_count, g.first_trace, g.last_trace, g.total_tokens, g.cost_hi, g.cost_lo';
  let count: { n: number } | undefined;
  let sessions: Row[];
  if (field === 'createdAt' || field === 'id') {
    count = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM sessions s ${w.sql}`, w.params);
    sessions = await db.all<Row>(
      `SELECT ${columns} FROM sessions s LEFT JOIN group_totals g ON g.project_id = s.project_id AND g.kind = 'session' AND g.id = s.id
         ${w.sql} ${orderBy(field === 'id' ? 's.id' : 's.created_at', 's.id', direction)} LIMIT ? OFFSET ?`,
      [...w.params, ...pageParams(q.page, q.limit)],
    );
  } else {
    // Driven by the totals' index for the figure (CROSS JOIN keeps that order on SQLite). A session
    // whose traces were all deleted has no totals and is left out of these orders (and their count).
    w.add("g.project_id = ? AND g.kind = 'session' AND s.id = g.id", projectId);
    const from = 'FROM group_totals g CROSS JOIN sessions s';
    count = await db.get<{ n: number }>(`SELECT COUNT(*) AS n ${from} ${w.sql}`, w.params);
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
      return { id, createdAt: Number(s.created_at), environment: String(s.environment), ...groupFigures(s), userIds: (users.get(id) ?? []).sort() };
    }),
  };
}
