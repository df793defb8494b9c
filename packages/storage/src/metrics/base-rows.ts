import type { SqlDialect } from '../db.js';
import type { Fragment } from '../queries/where.js';
import { baseFilterColumns, compileFilters } from './filter.js';
import type { ResolvedQuery } from './resolve.js';
import { bucketSql } from './time-buckets.js';
import type { Measure } from './view-types.js';

/** Half-open epoch-ms ranges `[from, to)`. */
export type Ranges = [number, number][];

/** `(col >= ? AND col < ?) OR ...` over `ranges`. */
export function rangeCondition(column: string, ranges: Ranges): Fragment {
  return {
    sql: ranges.map(() => `(${column} >= ? AND ${column} < ?)`).join(' OR '),
    params: ranges.flat(),
  };
}

/** Column lists shared by every query: `d0, d1, …` and `tb` when bucketed. */
export function groupColumns(rq: ResolvedQuery): string[] {
  return [...rq.dims.map((_, j) => `d${j}`), ...(rq.bucketing ? ['tb'] : [])];
}

/** The distinct measures a query reads, in order; `v{k}` is the value of measure k. */
export function measureSlots(rq: ResolvedQuery): Measure[] {
  return [...new Set(rq.metrics.map((m) => m.measure))];
}

/**
 * One row per base-table row in `ranges` that passes the view's segment and the query's
 * filters: `d{j}` dimension values, `tb` bucket start, `v{k}` measure values. Every other
 * query of the base path aggregates over this.
 */
export function baseRows(rq: ResolvedQuery, d: SqlDialect, projectId: string, ranges: Ranges, measures: Measure[]): Fragment {
  const { view } = rq;
  const columns = baseFilterColumns(view);
  const project = `${view.alias}.project_id`;
  const filters = compileFilters(rq.filters, columns, d, project);
  const joins = new Set<string>();
  for (const { dim } of rq.dims) dim.joins?.forEach((j) => joins.add(j));
  for (const m of measures) m.joins?.forEach((j) => joins.add(j));
  for (const f of rq.filters) columns[f.column]?.joins?.forEach((j) => joins.add(j));
  const select = [
    ...rq.dims.map(({ dim }, j) => `${dim.sql} AS d${j}`),
    ...(rq.bucketing ? [`${bucketSql(view.time, rq.bucketing, d)} AS tb`] : []),
    ...measures.map((m, k) => `${m.sql} AS v${k}`),
    '1 AS one',
  ];
  const range = rangeCondition(view.time, ranges);
  const where = [`${project} = ?`, `(${range.sql})`, ...(view.segment ? [view.segment] : []), ...filters.map((f) => `(${f.sql})`)];
  return {
    sql: `SELECT ${select.join(', ')} FROM ${view.from} ${[...joins].map((j) => view.joins[j]).join(' ')} WHERE ${where.join(' AND ')}`,
    params: [projectId, ...range.params, ...filters.flatMap((f) => f.params)],
  };
}
