import type { Db, Row, SqlDialect } from '../db.js';
import { escapeLike, pageParams, placeholders, Where } from '../queries/where.js';
import { totalTokensSql } from './trace-aggregates.js';
import type { UiUserRow } from './types.js';

/** Users seen in a project's traces, most recently seen first, with their traces, tokens and cost. */
export async function listUiUsers(
  db: Db,
  d: SqlDialect,
  projectId: string,
  q: { search?: string; page: number; limit: number },
): Promise<{ rows: UiUserRow[]; totalItems: number }> {
  const w = new Where().eq('t.project_id', projectId).add('t.user_id IS NOT NULL');
  if (q.search) w.add(`t.user_id ${d.ilike} ? ESCAPE '\\'`, `%${escapeLike(q.search)}%`);
  const count = await db.get<{ n: number }>(`SELECT COUNT(DISTINCT t.user_id) AS n FROM traces t ${w.sql}`, w.params);
  const rows = await db.all<Row>(
    `SELECT t.user_id, COUNT(*) AS traces, MIN(t.timestamp) AS first_seen, MAX(t.timestamp) AS last_seen
       FROM traces t ${w.sql} GROUP BY t.user_id ORDER BY MAX(t.timestamp) DESC, t.user_id LIMIT ? OFFSET ?`,
    [...w.params, ...pageParams(q.page, q.limit)],
  );
  const ids = rows.map((r) => String(r.user_id));
  const totals = new Map<string, { tokens: number; cost: number }>();
  if (ids.length > 0) {
    const tokens = totalTokensSql(d, 'o.usage_details');
    const sums = await db.all<Row>(
      `SELECT t.user_id, SUM(o.total_cost) AS cost, SUM(${tokens.sql}) AS tokens
         FROM traces t JOIN observations o ON o.project_id = t.project_id AND o.trace_id = t.id
        WHERE t.project_id = ? AND t.user_id IN (${placeholders(ids.length)}) GROUP BY t.user_id`,
      [...tokens.params, projectId, ...ids],
    );
    for (const s of sums) totals.set(String(s.user_id), { tokens: Number(s.tokens ?? 0), cost: Number(s.cost ?? 0) });
  }
  return {
    totalItems: Number(count?.n ?? 0),
    rows: rows.map((r) => ({
      userId: String(r.user_id),
      traceCount: Number(r.traces),
      firstSeen: Number(r.first_seen),
      lastSeen: Number(r.last_seen),
      totalTokens: totals.get(String(r.user_id))?.tokens ?? 0,
      totalCost: totals.get(String(r.user_id))?.cost ?? 0,
    })),
  };
}
