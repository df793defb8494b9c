import type { Db, Row, SqlDialect } from '../db.js';
import { baseRows, groupColumns, measureSlots, rangeCondition, type Ranges } from './base-rows.js';
import { sumHalvesSql } from './exact-sum.js';
import { compileFilters } from './filter.js';
import { binSql } from './histogram.js';
import type { ResolvedMetric, ResolvedQuery } from './resolve.js';
import { bucketSql } from './time-buckets.js';
import { rollupFilterColumns, splitRange, usableGrains } from './rollup-plan.js';
import { baseComponents } from './scan.js';
import { addBin, addComponents, addEncodedBins, type States } from './state.js';
import { PERCENTILE } from './types.js';

const isPercentile = (m: ResolvedMetric) => PERCENTILE[m.agg] !== undefined;

/**
 * The answer from rollups: whole days, hours and 5-minute buckets from the rollup table, the
 * partial 5 minutes at the range's edges from the base tables, as partial states that add up
 * per group.
 */
export async function rollupStates(db: Db, d: SqlDialect, rq: ResolvedQuery, projectId: string): Promise<States> {
  const states: States = new Map();
  // One range per query: each is then a plain index range scan (an OR of ranges may not be).
  for (const seg of splitRange(rq.from, rq.to, usableGrains(rq))) {
    if (seg.grain === null) await readEdges(db, d, rq, projectId, [[seg.from, seg.to]], states);
    else await readRollups(db, d, rq, projectId, seg.grain, [[seg.from, seg.to]], states);
  }
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
  const table = rq.view.rollup!.table;
  const cols = groupColumns(rq);
  const filters = compileFilters(rq.filters, rollupFilterColumns(rq), d, 'r.project_id');
  const groupSelect = [
    ...rq.dims.map(({ dim }, j) => `r.${dim.rollup} AS d${j}`),
    ...(rq.bucketing ? [`${bucketSql('r.bucket', rq.bucketing, d)} AS tb`] : []),
  ];
  // Rows are keyed time first: a range is one contiguous index range of (buckets × groups).
  const range = rangeCondition('r.bucket', ranges);
  const segment = rq.view.rollup!.segment;
  const where = ['r.project_id = ?', 'r.grain = ?', `(${range.sql})`, ...(segment ? [segment] : []), ...filters.map((f) => `(${f.sql})`)].join(' AND ');
  const params = [projectId, grain, ...range.params, ...filters.flatMap((f) => f.params)];

  const picks = ['r.cnt AS c'];
  const sums = ['SUM(c) AS c'];
  rq.metrics.forEach((m, i) => {
    const r = m.measure.rollup!;
    if (isPercentile(m)) return;
    picks.push(`r.${r.n} AS n${i}`);
    sums.push(`SUM(n${i}) AS n${i}`);
    if (!r.sum || (m.agg !== 'sum' && m.agg !== 'avg')) return;
    if (m.measure.scale === undefined) {
      picks.push(`r.${r.sum} AS s${i}`);
      sums.push(`SUM(s${i}) AS s${i}`);
    } else {
      picks.push(`r.${r.sum}_hi AS s${i}`, `r.${r.sum}_lo AS f${i}`);
      sums.push(...sumHalvesSql(`s${i}`, `f${i}`, i));
    }
  });
  const inner = `SELECT ${[...groupSelect, ...picks].join(', ')} FROM ${table} r WHERE ${where}`;
  const sql = `SELECT ${[...cols, ...sums].join(', ')} FROM (${inner}) x${cols.length ? ` GROUP BY ${cols.join(', ')}` : ''}`;
  for (const row of await db.all<Row>(sql, params)) addComponents(states, rq, row);

  // Bins cannot be summed in SQL: read the matching rows and merge their bins here.
  const percentiles = percentileMeasures(rq);
  if (percentiles.length === 0) return;
  const binColumns = percentiles.map((i, j) => `r.${rq.metrics[i].measure.rollup!.bins} AS b${j}`);
  for (const row of await db.all<Row>(`SELECT ${[...groupSelect, ...binColumns].join(', ')} FROM ${table} r WHERE ${where}`, params)) {
    percentiles.forEach((i, j) => addEncodedBins(states, rq, row, `b${j}`, i));
  }
}

/** The partial 5 minutes at the range's edges, aggregated from the base tables into the same partial states. */
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
