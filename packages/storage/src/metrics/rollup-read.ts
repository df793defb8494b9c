import type { Db, Row, SqlDialect } from '../db.js';
import { baseRows, groupColumns, measureSlots, rangeCondition, type Ranges } from './base-rows.js';
import { compileFilters } from './filter.js';
import { binSql } from './histogram.js';
import type { ResolvedMetric, ResolvedQuery } from './resolve.js';
import { DAY, HOUR, bucketSql } from './time-buckets.js';
import { rollupFilterColumns, splitRange } from './rollup-plan.js';
import { baseComponents, PERCENTILE } from './scan.js';
import { addBins, addComponents, type States } from './state.js';

const isPercentile = (m: ResolvedMetric) => PERCENTILE[m.agg] !== undefined;

/**
 * The answer from rollups: whole days and hours from the rollup tables, the partial hours at
 * the range's edges from the base tables, as partial states that add up per group.
 */
export async function rollupStates(db: Db, d: SqlDialect, rq: ResolvedQuery, projectId: string): Promise<States> {
  const seg = splitRange(rq.from, rq.to, rq.bucketing !== 'hour');
  const states: States = new Map();
  for (const [grain, ranges] of [[HOUR, seg.hour], [DAY, seg.day]] as const) {
    if (ranges.length > 0) await readRollups(db, d, rq, projectId, grain, ranges, states);
  }
  if (seg.base.length > 0) await readEdges(db, d, rq, projectId, seg.base, states);
  return states;
}

/** Percentile metrics grouped by measure name: one bins query serves all percentiles of a measure. */
function percentilesByMeasure(rq: ResolvedQuery): Map<string, number[]> {
  const out = new Map<string, number[]>();
  rq.metrics.forEach((m, i) => {
    if (isPercentile(m)) out.set(m.measureName, [...(out.get(m.measureName) ?? []), i]);
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
      sql: [`${alias}.project_id = ?`, `${alias}.grain = ?`, `(${range.sql})`, ...filters.map((f) => `(${f.sql})`)].join(' AND '),
      params: [projectId, grain, ...range.params, ...filters.flatMap((f) => f.params)],
    };
  };
  const join = (alias: string) => `JOIN ${tables.groups} g ON g.project_id = ${alias}.project_id AND g.group_key = ${alias}.group_key`;

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
  const inner = `SELECT ${[...groupSelect('r'), ...picks].join(', ')} FROM ${tables.counters} r ${join('r')} WHERE ${w.sql}`;
  const sql = `SELECT ${[...cols, ...sums].join(', ')} FROM (${inner}) x${cols.length ? ` GROUP BY ${cols.join(', ')}` : ''}`;
  for (const row of await db.all<Row>(sql, w.params)) addComponents(states, rq, row);

  for (const [measure, indexes] of percentilesByMeasure(rq)) {
    const b = where('b');
    const binsInner = `SELECT ${[...groupSelect('b'), 'b.bin AS bin', 'b.n AS n'].join(', ')} FROM ${tables.bins} b ${join('b')} WHERE b.measure = ? AND ${b.sql}`;
    const binsSql = `SELECT ${[...cols, 'bin', 'SUM(n) AS c'].join(', ')} FROM (${binsInner}) x GROUP BY ${[...cols, 'bin'].join(', ')}`;
    for (const row of await db.all<Row>(binsSql, [measure, ...b.params])) addBins(states, rq, row, indexes);
  }
}

/** The partial hours at the range's edges, aggregated from the base tables into the same partial states. */
async function readEdges(db: Db, d: SqlDialect, rq: ResolvedQuery, projectId: string, ranges: Ranges, states: States): Promise<void> {
  const measures = measureSlots(rq);
  const rows = baseRows(rq, d, projectId, ranges, measures);
  const cols = groupColumns(rq);
  const aggregates = ['COUNT(*) AS c', ...rq.metrics.flatMap((m, i) => baseComponents(m, i, measures.indexOf(m.measure), false))];
  const sql = `SELECT ${[...cols, ...aggregates].join(', ')} FROM (${rows.sql}) y${cols.length ? ` GROUP BY ${cols.join(', ')}` : ''}`;
  for (const row of await db.all<Row>(sql, rows.params)) addComponents(states, rq, row);

  for (const indexes of percentilesByMeasure(rq).values()) {
    const v = `v${measures.indexOf(rq.metrics[indexes[0]].measure)}`;
    const binned = `SELECT ${[...cols, `${binSql(v)} AS bin`].join(', ')} FROM (${rows.sql}) x WHERE ${v} IS NOT NULL`;
    const binsSql = `SELECT ${[...cols, 'bin', 'COUNT(*) AS c'].join(', ')} FROM (${binned}) y GROUP BY ${[...cols, 'bin'].join(', ')}`;
    for (const row of await db.all<Row>(binsSql, rows.params)) addBins(states, rq, row, indexes);
  }
}
