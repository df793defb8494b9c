import type { Db, Row, SqlDialect } from '../db.js';
import { rowToTrace } from '../mappers.js';
import type { Paged } from '../types.js';
import type { TraceFilters, TraceListRow, TraceQuery } from './trace-store.js';
import { compileFilter } from '../queries/filter-sql.js';
import { traceObservationIds, traceScoreIds, traceTotals } from '../queries/trace-aggregates.js';
import { hasTag, pageParams, Where } from '../queries/where.js';

type OrderField = NonNullable<TraceQuery['orderBy']>['field'];

/** Sort columns; nullable ones sort their NULLs as the largest value on every engine. */
const ORDER_COLUMNS: Record<OrderField, { column: string; nullable: boolean }> = {
  id: { column: 't.id', nullable: false },
  timestamp: { column: 't.timestamp', nullable: false },
  name: { column: 't.name', nullable: true },
  userId: { column: 't.user_id', nullable: true },
  release: { column: 't.release', nullable: true },
  version: { column: 't.version', nullable: true },
  public: { column: 't.public', nullable: false },
  bookmarked: { column: 't.bookmarked', nullable: false },
  sessionId: { column: 't.session_id', nullable: true },
};

/** The public list's filters as a WHERE clause on `traces t` (the export reads the same set). */
export function traceWhere(d: SqlDialect, projectId: string, q: TraceFilters): Where {
  const w = new Where().eq('t.project_id', projectId);
  if (q.filter && q.filter.length > 0) {
    for (const f of compileFilter('traces', q.filter, d, 't')) w.fragment(f);
    return w;
  }
  w.eq('t.user_id', q.userId)
    .eq('t.name', q.name)
    .eq('t.session_id', q.sessionId)
    .cmp('t.timestamp', '>=', q.fromTimestamp)
    .cmp('t.timestamp', '<', q.toTimestamp)
    .eq('t.version', q.version)
    .eq('t.release', q.release)
    .in('t.environment', q.environment);
  for (const tag of new Set(q.tags ?? [])) w.add(hasTag('t.project_id', 't.id'), tag);
  return w;
}

function orderClause(q: TraceQuery): string {
  const { field, direction } = q.orderBy ?? { field: 'timestamp', direction: 'desc' };
  const { column, nullable } = ORDER_COLUMNS[field];
  const dir = direction === 'asc' ? 'ASC' : 'DESC';
  const keys = nullable ? [`CASE WHEN ${column} IS NULL THEN 1 ELSE 0 END ${dir}`, `${column} ${dir}`] : [`${column} ${dir}`];
  if (field !== 'id') keys.push(`t.id ${dir}`);
  return `ORDER BY ${keys.join(', ')}`;
}

/** GET /traces: one page of traces, with the aggregates the caller asked for computed per page. */
export async function listTraces(db: Db, d: SqlDialect, projectId: string, q: TraceQuery): Promise<Paged<TraceListRow>> {
  const w = traceWhere(d, projectId, q);
  const count = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM traces t ${w.sql}`, w.params);
  const rows = await db.all<Row>(`SELECT t.* FROM traces t ${w.sql} ${orderClause(q)} LIMIT ? OFFSET ?`, [
    ...w.params,
    ...pageParams(q.page, q.limit),
  ]);
  const traces = rows.map(rowToTrace);
  const ids = traces.map((t) => t.id);
  const [observationIds, scoreIds, metrics] = await Promise.all([
    q.withObservations ? traceObservationIds(db, d, projectId, ids) : undefined,
    q.withScores ? traceScoreIds(db, d, projectId, ids) : undefined,
    q.withMetrics ? traceTotals(db, d, projectId, ids) : undefined,
  ]);
  return {
    totalItems: Number(count?.n ?? 0),
    rows: traces.map((t) => {
      const m = metrics?.get(t.id);
      return {
        ...t,
        observationIds: observationIds?.get(t.id) ?? [],
        scoreIds: scoreIds?.get(t.id) ?? [],
        latency: m && m.latencyMs !== null ? m.latencyMs / 1000 : null,
        totalCost: m ? m.totalCost : null,
      };
    }),
  };
}
