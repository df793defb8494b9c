import type { Db, Row, SqlDialect } from '../db.js';
import { rowToTrace } from '../mappers.js';
import { escapeLike, hasTag, Where } from '../queries/where.js';
import type { TraceSearchPage, TraceSearchQuery, TraceSearchSortField } from './trace-store.js';

/** Sort expressions; text columns sort their NULLs as '' so a keyset cursor can compare them. */
const SORT_SQL: Record<TraceSearchSortField, string> = {
  timestamp: 't.timestamp',
  name: "COALESCE(t.name, '')",
  userId: "COALESCE(t.user_id, '')",
  sessionId: "COALESCE(t.session_id, '')",
};

function where(d: SqlDialect, projectId: string, q: TraceSearchQuery): Where {
  const w = new Where()
    .eq('t.project_id', projectId)
    .cmp('t.timestamp', '>=', q.fromTimestamp)
    .cmp('t.timestamp', '<', q.toTimestamp)
    .eq('t.name', q.name)
    .eq('t.user_id', q.userId)
    .eq('t.session_id', q.sessionId)
    .in('t.environment', q.environment);
  for (const tag of new Set(q.tags ?? [])) w.add(hasTag('t.project_id', 't.id'), tag);
  if (q.level) {
    w.add('EXISTS (SELECT 1 FROM observations lo WHERE lo.project_id = t.project_id AND lo.trace_id = t.id AND lo.level = ?)', q.level);
  }
  for (const m of q.metadata ?? []) {
    const j = d.jsonText('t.metadata', m.key);
    w.add(`CAST(${j.sql} AS TEXT) = ?`, ...j.params, m.value);
  }
  if (q.search) {
    // A bounded scan: the UI always sends a time range. Observations are searched through the trace index.
    const p = `%${escapeLike(q.search)}%`;
    const like = `${d.ilike} ? ESCAPE '\\'`;
    w.add(
      `(t.id = ? OR t.name ${like} OR t.input ${like} OR t.output ${like} OR EXISTS (SELECT 1 FROM observations so
         WHERE so.project_id = t.project_id AND so.trace_id = t.id AND (so.name ${like} OR so.input ${like} OR so.output ${like})))`,
      q.search, p, p, p, p, p, p,
    );
  }
  if (q.cursor) {
    const expr = SORT_SQL[q.sort.field];
    const op = q.sort.direction === 'asc' ? '>' : '<';
    w.add(`(${expr} ${op} ? OR (${expr} = ? AND t.id ${op} ?))`, q.cursor.value, q.cursor.value, q.cursor.id);
  }
  return w;
}

/** Keyset pages of traces matching filters and a free-text search, in one sort column's order. */
export async function searchTraces(db: Db, d: SqlDialect, projectId: string, q: TraceSearchQuery): Promise<TraceSearchPage> {
  const w = where(d, projectId, q);
  const expr = SORT_SQL[q.sort.field];
  const dir = q.sort.direction === 'asc' ? 'ASC' : 'DESC';
  const rows = await db.all<Row>(`SELECT t.*, ${expr} AS sort_value FROM traces t ${w.sql} ORDER BY ${expr} ${dir}, t.id ${dir} LIMIT ?`, [
    ...w.params,
    q.limit + 1,
  ]);
  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    rows: page.map(rowToTrace),
    nextCursor: more && last ? { value: q.sort.field === 'timestamp' ? Number(last.sort_value) : String(last.sort_value), id: String(last.id) } : null,
  };
}
