import type { Db, SqlDialect } from '../db.js';
import { sessionTotals } from '../queries/trace-aggregates.js';
import { listUiSessions } from './list-sessions.js';
import { listUiTraces } from './list-traces.js';
import { listUiUsers } from './list-users.js';
import { traceTree } from './trace-tree.js';
import type { UiQueries } from './types.js';

export type * from './types.js';
export { UI_TRACE_SORT_FIELDS } from './types.js';

/** The web UI's read queries over one database. */
export function createUiQueries(db: Db, d: SqlDialect): UiQueries {
  return {
    listTraces: (projectId, q) => listUiTraces(db, d, projectId, q),
    traceTree: (projectId, traceId) => traceTree(db, d, projectId, traceId),
    listUsers: (projectId, q) => listUiUsers(db, d, projectId, q),
    listSessions: (projectId, q) => listUiSessions(db, d, projectId, q),
    async sessionTotals(projectId, sessionId) {
      const totals = await sessionTotals(db, d, projectId, [sessionId]);
      return totals.get(sessionId)!;
    },
    async listEnvironments(projectId) {
      const rows = await db.all<{ environment: string }>('SELECT DISTINCT environment FROM traces WHERE project_id = ? ORDER BY environment LIMIT 200', [projectId]);
      return rows.map((r) => String(r.environment));
    },
    async tracesUpdatedAt(projectId) {
      const r = await db.get<{ m: number | null }>('SELECT MAX(updated_at) AS m FROM traces WHERE project_id = ?', [projectId]);
      return Number(r?.m ?? 0);
    },
  };
}
