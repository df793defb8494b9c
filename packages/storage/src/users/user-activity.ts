import type { Db, Row } from '../db.js';
import { COST_SORT_SQL } from '../traces/search-traces.js';
import { groupFigures } from '../totals/read-totals.js';
import type { UserActivity, UserSummary } from './user-store.js';

const DAY = 86_400_000;

/** One user's totals (from group_totals), or null when no trace names them. */
export async function getUser(db: Db, projectId: string, userId: string): Promise<UserSummary | null> {
  const r = await db.get<Row>("SELECT * FROM group_totals WHERE project_id = ? AND kind = 'user' AND id = ?", [projectId, userId]);
  if (!r) return null;
  const f = groupFigures(r);
  return { userId, traceCount: f.traceCount, firstSeen: f.firstTrace ?? 0, lastSeen: f.lastTrace ?? 0, totalTokens: f.totalTokens, totalCost: f.totalCost };
}

/**
 * A user's traces, cost and scores per UTC day in [from, to): their traces through traces_user
 * (project, user, time) with each trace's kept totals, and the scores of those traces by the
 * score's own day — the cost of the user's traces in the range, not of the project.
 */
export async function userActivity(db: Db, projectId: string, userId: string, from: number, to: number): Promise<UserActivity> {
  // Integer division on both engines: the columns and the constant are integers.
  const [days, scores] = await Promise.all([
    db.all<Row>(
      `SELECT t.timestamp / ${DAY} AS day, COUNT(*) AS traces, SUM(COALESCE(x.total_tokens, 0)) AS tokens, SUM(COALESCE(${COST_SORT_SQL('x')}, 0)) AS cost
         FROM traces t LEFT JOIN trace_totals x ON x.project_id = t.project_id AND x.trace_id = t.id
        WHERE t.project_id = ? AND t.user_id = ? AND t.timestamp >= ? AND t.timestamp < ? GROUP BY t.timestamp / ${DAY} ORDER BY day`,
      [projectId, userId, from, to],
    ),
    db.all<Row>(
      `SELECT s.timestamp / ${DAY} AS day, s.name AS name, AVG(s.value) AS mean, COUNT(*) AS n
         FROM traces t CROSS JOIN scores s
        WHERE t.project_id = ? AND t.user_id = ? AND t.timestamp >= ? AND t.timestamp < ?
          AND s.project_id = t.project_id AND s.trace_id = t.id AND s.data_type <> 'CATEGORICAL'
        GROUP BY s.timestamp / ${DAY}, s.name ORDER BY day, name`,
      [projectId, userId, from, to],
    ),
  ]);
  return {
    days: days.map((r) => ({ day: Number(r.day) * DAY, traceCount: Number(r.traces), totalTokens: Number(r.tokens), totalCost: Number(r.cost) * 1e-12 })),
    scores: scores.map((r) => ({ day: Number(r.day) * DAY, name: String(r.name), mean: Number(r.mean), count: Number(r.n) })),
  };
}
