import { OBSERVATION_TYPES, type Level, type ObservationType } from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import { totalTokensSql } from '../queries/trace-aggregates.js';
import { missingLastPage } from '../queries/missing-last-page.js';
import { chunks, concat, escapeLike, placeholders, Where, type Fragment } from '../queries/where.js';
import type { ObservationTableQuery, ObservationTableRow, ObservationTableSortField } from './observation-store.js';

/**
 * The observations table: observations across traces, filtered on each column it shows and
 * sorted by any of them. Offset pages: a sort may be on any of nine columns, several of them
 * missing on some rows (no end yet, no usage), which a keyset cursor would have to encode
 * per column; a page costs its offset plus its rows, and ties are broken by id so pages neither
 * repeat nor skip rows while the data stands still. Start time, latency, cost and tokens are read
 * in the order of an index (observations_type_time / observations_latency / observations_cost /
 * observations_tokens), rows missing the value after the others (queries/missing-last-page.ts).
 */

const LATENCY = '(o.end_time - o.start_time)';
const TTFT = '(o.completion_start_time - o.start_time)';
/** A score name's value on the observation (mean of its scores of that name). */
const SCORE = '(SELECT AVG(s.value) FROM scores s WHERE s.project_id = o.project_id AND s.name = ? AND s.trace_id = o.trace_id AND s.observation_id = o.id)';

/**
 * The usage total with its JSON key written in, not bound: the text of observations_tokens'
 * expression (migration 21), which an engine matches only when the query spells it the same.
 */
function tokensSql(d: SqlDialect): string {
  const t = totalTokensSql(d, 'o.usage_details');
  let i = 0;
  return t.sql.replace(/\?/g, () => `'${String(t.params[i++]).replace(/'/g, "''")}'`);
}

/** Sort fields every row has a value of. */
const ALWAYS_SET: ReadonlySet<ObservationTableSortField> = new Set(['startTime', 'level']);

/**
 * Whether every row the filters match has the sort figure, so that the rows without one need not
 * be read: they are looked for in primary-key order (the figure's index holds only rows with
 * it), which under a minimum on the same figure would walk the project to find none.
 */
function requiresValue(field: ObservationTableSortField, q: ObservationTableQuery): boolean {
  if (ALWAYS_SET.has(field)) return true;
  const minimum = { latency: q.minLatencyMs, cost: q.minCost, tokens: q.minTokens, timeToFirstToken: q.minTimeToFirstTokenMs } as Partial<Record<ObservationTableSortField, number>>;
  return minimum[field] !== undefined;
}

function sortExpr(field: ObservationTableSortField, d: SqlDialect, scoreName: string | undefined): Fragment {
  switch (field) {
    case 'startTime':
      return { sql: 'o.start_time', params: [] };
    case 'latency':
      return { sql: LATENCY, params: [] };
    case 'timeToFirstToken':
      return { sql: TTFT, params: [] };
    case 'tokens':
      return { sql: tokensSql(d), params: [] };
    case 'cost':
      return { sql: 'o.total_cost', params: [] };
    case 'name':
      return { sql: 'o.name', params: [] };
    case 'model':
      return { sql: 'o.model', params: [] };
    case 'level':
      return { sql: 'o.level', params: [] };
    case 'score':
      return { sql: SCORE, params: [scoreName ?? ''] };
  }
}

function tableWhere(d: SqlDialect, projectId: string, q: ObservationTableQuery): Where {
  const w = new Where()
    .eq('o.project_id', projectId)
    .in('o.type', q.types)
    .in('o.model', q.models)
    .in('o.level', q.levels)
    .in('o.environment', q.environment)
    .eq('o.prompt_name', q.promptName)
    .eq('o.trace_id', q.traceId)
    .cmp('o.start_time', '>=', q.fromStartTime)
    .cmp('o.start_time', '<', q.toStartTime)
    .cmp(LATENCY, '>=', q.minLatencyMs)
    .cmp(TTFT, '>=', q.minTimeToFirstTokenMs)
    .cmp('o.total_cost', '>=', q.minCost);
  if (q.name) w.add(`o.name ${d.ilike} ? ESCAPE '\\'`, `%${escapeLike(q.name)}%`);
  if (q.minTokens !== undefined) w.add(`${tokensSql(d)} >= ?`, q.minTokens);
  if (q.score) {
    const min = q.score.min === undefined ? '' : ' AND s.value >= ?';
    w.add(
      `EXISTS (SELECT 1 FROM scores s WHERE s.project_id = o.project_id AND s.name = ? AND s.trace_id = o.trace_id AND s.observation_id = o.id${min})`,
      q.score.name,
      ...(q.score.min === undefined ? [] : [q.score.min]),
    );
  }
  return w;
}

const TRACE_NAME = '(SELECT t.name FROM traces t WHERE t.project_id = o.project_id AND t.id = o.trace_id)';

const COLUMNS = `o.id, o.trace_id, o.type, o.name, o.environment, o.start_time, o.end_time, o.completion_start_time, o.level, o.model,
  o.prompt_name, o.prompt_version, o.usage_details, o.total_cost`;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function usage(text: unknown): { input: number | null; output: number | null; total: number | null } {
  let u: Record<string, unknown> = {};
  try {
    u = JSON.parse(String(text)) as Record<string, unknown>;
  } catch {
    // stored by ingestion as JSON; nothing to show otherwise
  }
  const pick = (k: string) => (Object.hasOwn(u, k) && typeof u[k] === 'number' ? u[k] : null);
  return { input: pick('input'), output: pick('output'), total: pick('total') };
}

/** Sort fields whose index is led by (project_id, type) and holds only the rows with the figure (migration 27). */
const BY_TYPE: ReadonlySet<ObservationTableSortField> = new Set(['latency', 'cost', 'tokens']);

/**
 * The ids of the rows with a figure in the figure's order, merged from one run of its index per
 * type (the filtered types, else all of them): each run is read in index order and only as far as
 * the page needs, so a type filter never walks past the other types' rows, and no sort of the
 * match.
 */
function mergedByType(d: SqlDialect, projectId: string, q: ObservationTableQuery, sort: Fragment, dir: string): Fragment {
  const w = tableWhere(d, projectId, { ...q, types: undefined });
  const and = w.sql === '' ? 'WHERE' : 'AND';
  const types = q.types?.length ? [...new Set(q.types)] : OBSERVATION_TYPES;
  const arms = types.map((type) =>
    concat('SELECT o.id, ', sort, ' AS sort_value FROM observations o ', { sql: `${w.sql} ${and} o.type = ? AND `, params: [...w.params, type] }, sort, ' IS NOT NULL'),
  );
  return d.mergeOrdered(arms, `sort_value ${dir}, id ${dir}`, Math.max(0, (q.page - 1) * q.limit) + q.limit + 1);
}

/**
 * One page of the observations table; `hasMore` when another page follows. Missing values sort
 * last in both directions. The page's ids are read first and its rows then by key, so that the
 * rows an offset skips cost an index entry each (SQLite reads the latency, cost and tokens
 * indexes covering), not a table row and a trace.
 */
export async function listObservationTable(db: Db, d: SqlDialect, projectId: string, q: ObservationTableQuery): Promise<{ rows: ObservationTableRow[]; hasMore: boolean }> {
  const w = tableWhere(d, projectId, q);
  const field = q.sort?.field ?? 'startTime';
  const sort = sortExpr(field, d, q.sort?.scoreName);
  const dir = q.sort?.direction === 'asc' ? 'ASC' : 'DESC';
  const and = w.sql === '' ? 'WHERE' : 'AND';
  const ids = { sql: `SELECT o.id FROM observations o ${w.sql} ${and} `, params: w.params };
  const page = await missingLastPage(
    db,
    {
      valued: BY_TYPE.has(field) ? mergedByType(d, projectId, q, sort, dir) : concat(ids, sort, ` IS NOT NULL ORDER BY `, sort, ` ${dir}, o.id ${dir}`),
      missing: requiresValue(field, q) ? undefined : concat(ids, sort, ` IS NULL ORDER BY o.id ${dir}`),
      countValued: concat({ sql: `SELECT COUNT(*) AS n FROM observations o ${w.sql} ${and} `, params: w.params }, sort, ' IS NOT NULL'),
    },
    q.page,
    q.limit,
  );
  const order = page.rows.map((r) => String(r.id));
  const byId = new Map<string, Row>();
  for (const part of chunks(order, 500)) {
    const found = await db.all<Row>(`SELECT ${COLUMNS}, ${TRACE_NAME} AS trace_name FROM observations o WHERE o.project_id = ? AND o.id IN (${placeholders(part.length)})`, [projectId, ...part]);
    for (const r of found) byId.set(String(r.id), r);
  }
  // A row deleted between the two reads is left out of the page.
  const rows = order.map((id) => byId.get(id)).filter((r): r is Row => r !== undefined);
  const { hasMore } = page;
  return {
    hasMore,
    rows: rows.map((r) => {
      const start = Number(r.start_time);
      const end = num(r.end_time);
      const first = num(r.completion_start_time);
      const u = usage(r.usage_details);
      return {
        id: String(r.id),
        traceId: str(r.trace_id),
        traceName: str(r.trace_name),
        type: String(r.type) as ObservationType,
        name: str(r.name),
        environment: String(r.environment),
        startTime: start,
        endTime: end,
        latencyMs: end === null ? null : end - start,
        timeToFirstTokenMs: first === null ? null : first - start,
        level: String(r.level) as Level,
        model: str(r.model),
        promptName: str(r.prompt_name),
        promptVersion: num(r.prompt_version),
        inputTokens: u.input,
        outputTokens: u.output,
        totalTokens: u.total,
        totalCost: num(r.total_cost),
      };
    }),
  };
}
