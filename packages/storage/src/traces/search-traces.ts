import type { Db, Row, SqlDialect } from '../db.js';
import { rowToTrace } from '../mappers.js';
import { escapeLike, hasTag, Where } from '../queries/where.js';
import { searchCandidates, searchedTraces } from './search-index.js';
import type { TraceCount, TraceSearchCursor, TraceSearchPage, TraceSearchQuery, TraceSearchSortField } from './trace-store.js';

/** Sort expressions of the trace's own columns; text columns sort their NULLs as '' so a keyset cursor can compare them. */
const OWN_SORT_SQL: Partial<Record<TraceSearchSortField, string>> = {
  timestamp: 't.timestamp',
  name: "COALESCE(t.name, '')",
  userId: "COALESCE(t.user_id, '')",
  sessionId: "COALESCE(t.session_id, '')",
};

/** The cost of a trace_totals row as one number: the expression its index (trace_totals_cost) holds. */
export const COST_SORT_SQL = (alias: string) => `CAST(${alias}.cost_hi AS DOUBLE PRECISION) * 4294967296 + ${alias}.cost_lo`;

interface FigureSource {
  /** A FROM item aliased `x` with `x.project_id`, `x.trace_id` and the figure `value`; its parameters. */
  from: string;
  params: unknown[];
  value: string;
  /** A condition on `x` selecting the figure's rows (one score name), if the source holds several. */
  scope?: { sql: string; params: unknown[] };
  /** The condition on `t` that the trace has no row in the source. */
  missing: string;
  missingParams: unknown[];
}

/**
 * Sorts by a per-trace figure read from a table keyed by trace: trace_totals (latency, cost,
 * tokens; kept at ingestion, one index per figure) or one score name's values. Traces without
 * a row there (no observations, no such score) have no value.
 */
function figureSource(field: TraceSearchSortField, scoreName: string | undefined): FigureSource | null {
  const totals = (value: string): FigureSource => ({
    from: 'trace_totals x', params: [], value,
    missing: 'NOT EXISTS (SELECT 1 FROM trace_totals m WHERE m.project_id = t.project_id AND m.trace_id = t.id)', missingParams: [],
  });
  switch (field) {
    case 'latency':
      return totals('x.latency_ms');
    case 'cost':
      return totals(COST_SORT_SQL('x'));
    case 'tokens':
      return totals('x.total_tokens');
    case 'score':
      // A trace's value of a score name is the mean of its scores of that name (usually one),
      // kept per trace and name at ingestion (scores/trace-score-means.ts) and walked in order
      // through trace_score_means_mean: a page costs its rows, not the name's scores.
      return {
        from: 'trace_score_means x',
        params: [],
        value: 'x.mean',
        scope: { sql: 'x.name = ?', params: [scoreName ?? ''] },
        missing: 'NOT EXISTS (SELECT 1 FROM trace_score_means m WHERE m.project_id = t.project_id AND m.name = ? AND m.trace_id = t.id)',
        missingParams: [scoreName ?? ''],
      };
    default:
      return null;
  }
}

/** A search with the traces its text may match (search-index.ts), or null where the index cannot narrow it. */
type Narrowed = TraceSearchQuery & { candidates?: string[] | null };

function where(d: SqlDialect, projectId: string, q: Narrowed): Where {
  const w = new Where()
    .eq('t.project_id', projectId)
    .cmp('t.timestamp', '>=', q.fromTimestamp)
    .cmp('t.timestamp', '<', q.toTimestamp)
    .eq('t.name', q.name)
    .eq('t.user_id', q.userId)
    .eq('t.session_id', q.sessionId)
    .in('t.environment', q.environment);
  for (const tag of new Set(q.tags ?? [])) w.add(hasTag('t.project_id', 't.id'), tag);
  if (q.level === 'ERROR') {
    // The trace's kept count of ERROR observations (trace_totals, exact at every commit): one
    // lookup per trace instead of reading each of its observations.
    w.add('EXISTS (SELECT 1 FROM trace_totals lx WHERE lx.project_id = t.project_id AND lx.trace_id = t.id AND lx.error_count > 0)');
  } else if (q.level) {
    w.add('EXISTS (SELECT 1 FROM observations lo WHERE lo.project_id = t.project_id AND lo.trace_id = t.id AND lo.level = ?)', q.level);
  }
  for (const m of q.metadata ?? []) {
    const j = d.jsonText('t.metadata', m.key);
    w.add(`CAST(${j.sql} AS TEXT) = ?`, ...j.params, m.value);
  }
  if (q.search) {
    // The index's candidates when it has them, each checked by the search itself; else a bounded scan (the UI always sends a time range).
    const p = `%${escapeLike(q.search)}%`;
    const like = `${d.ilike} ? ESCAPE '\\'`;
    if (q.candidates) w.in('t.id', q.candidates);
    w.add(
      `(t.id = ? OR t.name ${like} OR t.input ${like} OR t.output ${like} OR EXISTS (SELECT 1 FROM observations so
         WHERE so.project_id = t.project_id AND so.trace_id = t.id AND (so.name ${like} OR so.input ${like} OR so.output ${like})))`,
      q.search, p, p, p, p, p, p,
    );
  }
  return w;
}

/**
 * `(expr, id)` after the cursor in the sort direction, written with a bound on `expr` alone
 * (`expr >= v AND (expr > v OR id > c)` ascending): the sort's index is then entered at the
 * cursor, where the OR alone left the planner to walk it from its start and skip every row
 * before the cursor (a page past a value near the middle read half the project's index).
 */
function after(w: Where, expr: string, idColumn: string, dir: 'asc' | 'desc', cursor: { value: unknown; id: string }): Where {
  const op = dir === 'asc' ? '>' : '<';
  return w.add(`${expr} ${op}= ? AND (${expr} ${op} ? OR ${idColumn} ${op} ?)`, cursor.value, cursor.value, cursor.id);
}

interface Segment {
  rows: Row[];
  /** More rows follow in this segment. */
  more: boolean;
}

const cursorAt = (r: Row | undefined, numeric: boolean): TraceSearchCursor | null =>
  r ? { value: r.sort_value === null || r.sort_value === undefined ? null : numeric ? Number(r.sort_value) : String(r.sort_value), id: String(r.id) } : null;

function page(s: Segment, numeric: boolean): TraceSearchPage {
  return { rows: s.rows.map(rowToTrace), nextCursor: s.more ? cursorAt(s.rows[s.rows.length - 1], numeric) : null };
}

async function fetchSegment(db: Db, sql: string, params: unknown[], limit: number): Promise<Segment> {
  const rows = await db.all<Row>(`${sql} LIMIT ?`, [...params, limit + 1]);
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}

/**
 * Keyset pages of traces matching filters and a free-text search, in one sort's order, ties
 * broken by id. Keyset rather than offset so a page costs the same however deep it is and rows
 * arriving meanwhile neither repeat nor skip rows; every sort value is a column or an indexed
 * expression, so a page reads about `limit` index entries when the filters match most traces.
 */
export async function searchTraces(db: Db, d: SqlDialect, projectId: string, query: TraceSearchQuery): Promise<TraceSearchPage> {
  const q: Narrowed = { ...query, candidates: query.search ? await searchCandidates(db, d, projectId, query.search) : null };
  const dir = q.sort.direction === 'asc' ? 'ASC' : 'DESC';
  const own = OWN_SORT_SQL[q.sort.field];
  if (own) {
    const w = where(d, projectId, q);
    if (q.cursor) after(w, own, 't.id', q.sort.direction, q.cursor);
    const f = searchedTraces(projectId, q.candidates);
    const s = await fetchSegment(db, `SELECT t.*, ${own} AS sort_value FROM ${f.sql} ${w.sql} ORDER BY ${own} ${dir}, t.id ${dir}`, [...f.params, ...w.params], q.limit);
    return page(s, q.sort.field === 'timestamp');
  }
  const source = figureSource(q.sort.field, q.sort.scoreName)!;
  // Two segments: traces with a value, in value order (driven by the figure's index), then
  // those without one, by id — last in both directions, as a missing figure is neither large
  // nor small. A cursor with a null value is in the second segment.
  const withValue = (limit: number) => {
    const w = where(d, projectId, q).add('x.project_id = ?', projectId).add('t.id = x.trace_id');
    if (source.scope) w.add(source.scope.sql, ...source.scope.params);
    if (q.cursor) after(w, source.value, 'x.trace_id', q.sort.direction, q.cursor);
    // CROSS JOIN: SQLite keeps the written order, walking the figure's index and looking each trace up.
    const sql = `SELECT t.*, ${source.value} AS sort_value FROM ${source.from} CROSS JOIN traces t ${w.sql} ORDER BY ${source.value} ${dir}, x.trace_id ${dir}`;
    return fetchSegment(db, sql, [...source.params, ...w.params], limit);
  };
  const without = (limit: number) => {
    const w = where(d, projectId, q).add(source.missing, ...source.missingParams);
    if (q.cursor?.value === null) after(w, 't.id', 't.id', q.sort.direction, { value: q.cursor.id, id: q.cursor.id });
    const f = searchedTraces(projectId, q.candidates);
    return fetchSegment(db, `SELECT t.*, NULL AS sort_value FROM ${f.sql} ${w.sql} ORDER BY t.id ${dir}`, [...f.params, ...w.params], limit);
  };
  if (q.cursor?.value === null) return page(await without(q.limit), true);
  const first = await withValue(q.limit);
  if (first.more) return page(first, true);
  if (first.rows.length === q.limit) {
    // The first segment ended exactly here: a next page exists when the second has rows (it starts over there).
    const peek = await without(1);
    return { rows: first.rows.map(rowToTrace), nextCursor: peek.rows.length > 0 ? cursorAt(first.rows[first.rows.length - 1], true) : null };
  }
  const rest = await without(q.limit - first.rows.length);
  return { rows: [...first.rows, ...rest.rows].map(rowToTrace), nextCursor: rest.more ? cursorAt(rest.rows[rest.rows.length - 1], true) : null };
}

/** Matches counted exactly; past this many the count is an estimate. */
export const EXACT_COUNT_LIMIT = 10_000;

/**
 * Counts matches newest first, stopping after `exactUpTo` + 1 (a bounded walk of the time
 * index). Beyond that, the matches' rate over the time the walk covered is extrapolated to the
 * whole range (from the project's first trace when the search has no start), rounded to three
 * significant digits and marked as an estimate — as Langfuse's UI does for large counts.
 */
export async function countTraces(db: Db, d: SqlDialect, projectId: string, query: TraceSearchQuery, exactUpTo = EXACT_COUNT_LIMIT): Promise<TraceCount> {
  const q: Narrowed = { ...query, candidates: query.search ? await searchCandidates(db, d, projectId, query.search) : null };
  const w = where(d, projectId, q);
  const f = searchedTraces(projectId, q.candidates);
  const r = await db.get<Row>(
    `SELECT COUNT(*) AS n, MIN(ts) AS oldest, MAX(ts) AS newest FROM (SELECT t.timestamp AS ts FROM ${f.sql} ${w.sql} ORDER BY t.timestamp DESC LIMIT ?) m`,
    [...f.params, ...w.params, exactUpTo + 1],
  );
  const n = Number(r?.n ?? 0);
  if (n <= exactUpTo) return { count: n, estimated: false };
  const first = q.fromTimestamp ?? Number((await db.get<Row>('SELECT MIN(timestamp) AS m FROM traces WHERE project_id = ?', [projectId]))?.m);
  const newest = Number(r!.newest);
  const walked = Math.max(1, newest - Number(r!.oldest));
  const estimate = Math.max(n, Math.round((n * Math.max(walked, newest - first)) / walked));
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(estimate)) - 2);
  return { count: Math.round(estimate / magnitude) * magnitude, estimated: true };
}
