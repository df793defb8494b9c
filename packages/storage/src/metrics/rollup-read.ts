import type { Db, Row, SqlDialect } from '../db.js';
import { baseRows, groupColumns, measureSlots, rangeCondition, type Ranges } from './base-rows.js';
import { compileFilters } from './filter.js';
import { binSql } from './histogram.js';
import type { ResolvedMetric, ResolvedQuery } from './resolve.js';
import { DAY, HOUR, bucketSql } from './time-buckets.js';
import { rollupFilterColumns, splitRange } from './rollup-plan.js';
import { baseComponents, PERCENTILE } from './scan.js';
import { addBin, addComponents, addEncodedBins, type States } from './state.js';

const isPercentile = (m: ResolvedMetric) => PERCENTILE[m.agg] !== undefined;

/**
 * The answer from rollups: whole days and hours from the rollup tables, the partial hours at
 * the range's edges from the base tables, as partial states that add up per group.
 */
export async function rollupStates(db: Db, d: SqlDialect, rq: ResolvedQuery, projectId: string): Promise<States> {
  const seg = splitRange(rq.from, rq.to, rq.bucketing !== 'hour');
  const states: States = new Map();
  // One range per query: each is then a plain index range scan (an OR of ranges may not be).
  for (const [grain, ranges] of [[HOUR, seg.hour], [DAY, seg.day]] as const) {
    for (const range of ranges) await readRollups(db, d, rq, projectId, grain, [range], states);
  }
  for (const range of seg.base) await readEdges(db, d, rq, projectId, [range], states);
  return states;
}

/** One percentile metric per measure (its index): the percentiles of a measure share their bins. */
function percentileMeasures(rq: ResolvedQuery): number[] {
  const seen = new Set<unknown>();
  const out: number[] = [];
  rq.metrics.forEach((m, i) => {
    if (isPercentile(m) && !seen.has(m.measure)) {
      seen.add(m.measure);
      out.push(i);
    }
  });
  return out;
}

async function readRollups(db: Db, d: SqlDialect, rq: ResolvedQuery, projectId: string, grain: number, ranges: Ranges, states: States): Promise<void> {
  const tables = rq.view.rollup!;
  const cols = groupColumns(rq);
  const filters = compileFilters(rq.filters, rollupFilterColumns(rq), d, 'g.project_id');
  const groupSelect = (alias: string) => [
    ...rq.dims.map(({ dim }, j) => `g.${dim.rollup} AS d${j}`),
    ...(rq.bucketing ? [`${bucketSql(`${alias}.bucket`, rq.bucketing, d)} AS tb`] : []),
  ];
  const where = (alias: string) => {
    const range = rangeCondition(`${alias}.bucket`, ranges);
    return {
      sql: ['g.project_id = ?', `${alias}.project_id = ?`, `${alias}.grain = ?`, `(${range.sql})`, ...filters.map((f) => `(${f.sql})`)].join(' AND '),
      params: [projectId, projectId, grain, ...range.params, ...filters.flatMap((f) => f.params)],
    };
  };
  // Groups first (CROSS JOIN keeps SQLite from reordering): the few matching groups, then each
  // group's rows in the range, which are contiguous in the rollup tables' primary keys.
  const from = (table: string, alias: string) => `${tables.groups} g CROSS JOIN ${table} ${alias}`;
  const joined = (alias: string) => `${alias}.project_id = g.project_id AND ${alias}.group_key = g.group_key`;

  const picks = ['r.cnt AS c'];
  const sums = ['SUM(c) AS c'];
  rq.metrics.forEach((m, i) => {
    const r = m.measure.rollup!;
    if (isPercentile(m)) return;
    picks.push(`r.${r.n} AS n${i}`);
    sums.push(`SUM(n${i}) AS n${i}`);
    if (r.sum && (m.agg === 'sum' || m.agg === 'avg')) {
      picks.push(`r.${r.sum} AS s${i}`);
      sums.push(`SUM(s${i}) AS s${i}`);
    }
  });
  const w = where('r');
  const inner = `SELECT ${[...groupSelect('r'), ...picks].join(', ')} FROM ${from(tables.counters, 'r')} WHERE ${joined('r')} AND ${w.sql}`;
  const sql = `SELECT ${[...cols, ...sums].join(', ')} FROM (${inner}) x${cols.length ? ` GROUP BY ${cols.join(', ')}` : ''}`;
  for (const row of await db.all<Row>(sql, w.params)) addComponents(states, rq, row);

  // Bins cannot be summed in SQL: read each group's rows and merge their bins here.
  const percentiles = percentileMeasures(rq);
  if (percentiles.length === 0) return;
  const binColumns = percentiles.map((i, j) => `r.${rq.metrics[i].measure.rollup!.bins} AS b${j}`);
  const binsSql = `SELECT ${[...groupSelect('r'), ...binColumns].join(', ')} FROM ${from(tables.counters, 'r')} WHERE ${joined('r')} AND ${w.sql}`;
  for (const row of await db.all<Row>(binsSql, w.params)) percentiles.forEach((i, j) => addEncodedBins(states, rq, row, `b${j}`, i));
}

/** The partial hours at the range's edges, aggregated from the base tables into the same partial states. */
async function readEdges(db: Db, d: SqlDialect, rq: ResolvedQuery, projectId: string, ranges: Ranges, states: States): Promise<void> {
  const measures = measureSlots(rq);
  const rows = baseRows(rq, d, projectId, ranges, measures);
  const cols = groupColumns(rq);
  const aggregates = ['COUNT(*) AS c', ...rq.metrics.flatMap((m, i) => baseComponents(m, i, measures.indexOf(m.measure), false))];
  const sql = `SELECT ${[...cols, ...aggregates].join(', ')} FROM (${rows.sql}) y${cols.length ? ` GROUP BY ${cols.join(', ')}` : ''}`;
  for (const row of await db.all<Row>(sql, rows.params)) addComponents(states, rq, row);

  for (const i of percentileMeasures(rq)) {
    const v = `v${measures.indexOf(rq.metrics[i].measure)}`;
    const binned = `SELECT ${[...cols, `${binSql(v)} AS bin`].join(', ')} FROM (${rows.sql}) x WHERE ${v} IS NOT NULL`;
    const binsSql = `SELECT ${[...cols, 'bin', 'COUNT(*) AS c'].join(', ')} FROM (${binned}) y GROUP BY ${[...cols, 'bin'].join(', ')}`;
    for (const row of await db.all<Row>(binsSql, rows.params)) addBin(states, rq, row, i);
  }
}
