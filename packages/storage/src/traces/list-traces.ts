import type { Db, Row, SqlDialect } from '../db.js';
import { rowToTrace } from '../mappers.js';
import type { TraceFilters, TraceListBounds, TraceListPage, TraceQuery } from './trace-store.js';
import { compileFilter } from '../queries/filter-sql.js';
import { boundedTotal, EXACT_TOTAL_LIMIT, pageTotal, type BoundedTotal } from '../queries/bounded-total.js';
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

/** Matches the public list counts exactly for its `totalItems`; past this many the total is estimated. */
export const EXACT_LIST_COUNT = EXACT_TOTAL_LIMIT;

/**
 * The list's total: free when the page is the last one (its offset plus its rows); otherwise
 * counted exactly up to `exactUpTo` and estimated past that (queries/bounded-total.ts), never
 * below the rows known to exist — so a client paging up to `totalPages` never stops early.
 */
async function listTotal(db: Db, from: string, w: Where, q: TraceQuery, projectId: string, seen: { offset: number; limit: number; read: number }, exactUpTo: number): Promise<BoundedTotal> {
  if (seen.read <= seen.limit && (seen.read > 0 || seen.offset === 0)) return { count: seen.offset + seen.read, estimated: false };
  const total = await boundedTotal(db, {
    from: { sql: `FROM ${from} ${w.sql}`, params: w.params },
    time: 't.timestamp',
    since: q.fromTimestamp,
    firstTime: { sql: 'SELECT MIN(timestamp) AS m FROM traces WHERE project_id = ?', params: [projectId] },
  }, exactUpTo);
  return pageTotal(total, seen.offset, seen.limit, seen.read);
}

/** A tag with at most this many traces drives the list from trace_tags; a commoner one is found by walking the traces in order. */
export const RARE_TAG = 5_000;

/**
 * Where the list's rows come from. Tags are matched per trace (EXISTS on trace_tags), which is
 * cheap while walking traces in order finds a page quickly — when the tags are common. For a
 * rare tag that walk would read most of the project, so the rarest tag's traces (at most RARE_TAG,
 * counted on trace_tags' key) are read instead and sorted: either way a page reads a bounded
 * number of rows. CROSS JOIN keeps SQLite from reordering the two.
 */
async function tracesFrom(db: Db, projectId: string, q: TraceQuery, w: Where, rareTag: number): Promise<string> {
  const tags = q.filter && q.filter.length > 0 ? [] : [...new Set(q.tags ?? [])];
  let rarest: { tag: string; n: number } | null = null;
  for (const tag of tags) {
    const r = await db.get<Row>('SELECT COUNT(*) AS n FROM (SELECT 1 FROM trace_tags WHERE project_id = ? AND tag = ? LIMIT ?) m', [projectId, tag, rareTag + 1]);
    const n = Number(r?.n ?? 0);
    if (!rarest || n < rarest.n) rarest = { tag, n };
  }
  if (!rarest || rarest.n > rareTag) return 'traces t';
  w.add('g.project_id = ?', projectId).add('g.tag = ?', rarest.tag).add('t.id = g.trace_id');
  return 'trace_tags g CROSS JOIN traces t';
}

/** GET /traces: one page of traces, with the aggregates the caller asked for computed per page. */
export async function listTraces(db: Db, d: SqlDialect, projectId: string, q: TraceQuery, bounds: TraceListBounds = {}): Promise<TraceListPage> {
  const { exactCountUpTo = EXACT_LIST_COUNT, rareTagUpTo = RARE_TAG } = bounds;
  const w = traceWhere(d, projectId, q);
  const from = await tracesFrom(db, projectId, q, w, rareTagUpTo);
  const [limit, offset] = pageParams(q.page, q.limit);
  const fetched = await db.all<Row>(`SELECT t.* FROM ${from} ${w.sql} ${orderClause(q)} LIMIT ? OFFSET ?`, [...w.params, limit + 1, offset]);
  const rows = fetched.slice(0, limit);
  const total = await listTotal(db, from, w, q, projectId, { offset, limit, read: fetched.length }, exactCountUpTo);
  const traces = rows.map(rowToTrace);
  const ids = traces.map((t) => t.id);
  const [observationIds, scoreIds, metrics] = await Promise.all([
    q.withObservations ? traceObservationIds(db, d, projectId, ids) : undefined,
    q.withScores ? traceScoreIds(db, d, projectId, ids) : undefined,
    q.withMetrics ? traceTotals(db, d, projectId, ids) : undefined,
  ]);
  return {
    totalItems: total.count,
    totalEstimated: total.estimated,
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
