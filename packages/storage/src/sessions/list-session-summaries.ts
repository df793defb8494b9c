import type { Db, Row, SqlDialect } from '../db.js';
import { chunks, pageParams, placeholders, Where } from '../queries/where.js';
import { groupFigures } from '../totals/read-totals.js';
import type { Paged } from '../types.js';
import type { SessionSummary } from './session-store.js';

/**
 * Sessions, newest first, with their trace count, time span, users, tokens and cost: one page
 * of sessions joined with the totals ingestion keeps for them (totals/totals-change.ts), so the
 * cost is the page's, however many traces the sessions hold.
 */
export async function listSessionSummaries(
  db: Db,
  d: SqlDialect,
  projectId: string,
  q: { fromTimestamp?: number; toTimestamp?: number; page: number; limit: number },
): Promise<Paged<SessionSummary>> {
  const w = new Where().eq('s.project_id', projectId).cmp('s.created_at', '>=', q.fromTimestamp).cmp('s.created_at', '<', q.toTimestamp);
  const count = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM sessions s ${w.sql}`, w.params);
  const sessions = await db.all<Row>(
    `SELECT s.id, s.created_at, s.environment, g.trace_count, g.first_trace, g.last_trace, g.total_tokens, g.cost_hi, g.cost_lo
       FROM sessions s LEFT JOIN group_totals g ON g.project_id = s.project_id AND g.kind = 'session' AND g.id = s.id
       ${w.sql} ORDER BY s.created_at DESC, s.id DESC LIMIT ? OFFSET ?`,
    [...w.params, ...pageParams(q.page, q.limit)],
  );
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
