import type { Db, Row, SqlDialect } from '../db.js';
import { rowToScore } from '../mappers.js';
import type { Paged } from '../types.js';
import type { ScoreQuery, ScoreWithTrace } from './score-store.js';
import { compileFilter } from '../queries/filter-sql.js';
import { boundedTotal, pageTotal } from '../queries/bounded-total.js';
import { hasTag, pageParams, Where } from '../queries/where.js';

/** Value comparison operators of the `operator` parameter, as SQL. */
const VALUE_OPERATORS: Record<NonNullable<ScoreQuery['operator']>, string> = {
  '<': '<', '>': '>', '<=': '<=', '>=': '>=', '!=': '<>', '=': '=',
};

const FROM = 'scores s LEFT JOIN traces t ON t.project_id = s.project_id AND t.id = s.trace_id';

function scoreWhere(d: SqlDialect, projectId: string, q: ScoreQuery): Where {
  const w = new Where()
    .eq('s.project_id', projectId)
    .eq('t.user_id', q.userId)
    .eq('s.name', q.name)
    .cmp('s.timestamp', '>=', q.fromTimestamp)
    .cmp('s.timestamp', '<', q.toTimestamp)
    .in('s.environment', q.environment)
    .eq('s.source', q.source)
    .in('s.id', q.scoreIds)
    .eq('s.config_id', q.configId)
    .eq('s.session_id', q.sessionId)
    .eq('s.dataset_run_id', q.datasetRunId)
    .eq('s.trace_id', q.traceId)
    .eq('s.observation_id', q.observationId)
    .eq('s.queue_id', q.queueId)
    .eq('s.data_type', q.dataType);
  if (q.operator !== undefined && q.value !== undefined) w.add(`s.value ${VALUE_OPERATORS[q.operator]} ?`, q.value);
  w.in('s.value', q.values).in('s.string_value', q.stringValues);
  // A bound on the timestamp alone enters the time index at the cursor (the OR alone walks it from the newest score).
  if (q.after) w.add('s.timestamp <= ? AND (s.timestamp < ? OR s.id < ?)', q.after.timestamp, q.after.timestamp, q.after.id);
  for (const tag of new Set(q.traceTags ?? [])) w.add(hasTag('s.project_id', 's.trace_id'), tag);
  for (const f of compileFilter('scores', q.filter ?? [], d, 's')) w.fragment(f);
  return w;
}

function toScoreWithTrace(r: Row): ScoreWithTrace {
  const trace =
    r.t_id === null || r.t_id === undefined
      ? null
      : {
          userId: r.t_user_id === null ? null : String(r.t_user_id),
          tags: JSON.parse(String(r.t_tags)) as string[],
          environment: String(r.t_environment),
          sessionId: r.t_session_id === null ? null : String(r.t_session_id),
        };
  return { ...rowToScore(r), trace };
}

/**
 * GET /v2/scores: one page of scores, newest first, each with a summary of its trace. The total
 * is exact up to EXACT_TOTAL_LIMIT matches, beyond that an estimate (`totalEstimated`); the
 * count joins the traces only when a filter is on the trace (the join on its primary key never
 * changes the number of scores, but SQLite still looks every trace up).
 */
export async function listScores(db: Db, d: SqlDialect, projectId: string, q: ScoreQuery): Promise<Paged<ScoreWithTrace>> {
  const w = scoreWhere(d, projectId, q);
  const countFrom = /\bt\./.test(w.sql) ? FROM : 'scores s';
  const total = q.skipCount
    ? { count: -1, estimated: false }
    : await boundedTotal(db, {
        from: { sql: `FROM ${countFrom} ${w.sql}`, params: w.params },
        time: 's.timestamp',
        since: q.fromTimestamp,
        firstTime: { sql: 'SELECT MIN(timestamp) AS m FROM scores WHERE project_id = ?', params: [projectId] },
      });
  const [limit, offset] = pageParams(q.page, q.limit);
  const rows = await db.all<Row>(
    `SELECT s.*, t.id AS t_id, t.user_id AS t_user_id, t.tags AS t_tags, t.environment AS t_environment, t.session_id AS t_session_id
       FROM ${FROM} ${w.sql} ORDER BY s.timestamp DESC, s.id DESC LIMIT ? OFFSET ?`,
    [...w.params, limit + 1, offset],
  );
  const { count, estimated } = q.skipCount ? total : pageTotal(total, offset, limit, rows.length);
  return { rows: rows.slice(0, limit).map(toScoreWithTrace), totalItems: count, ...(estimated ? { totalEstimated: true } : {}) };
}
