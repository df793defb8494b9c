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
 * per group. On PostgreSQL every rollup segment is one arm of a single statement (each arm one
 * range: a plain index range scan) and both edges are another, read at the same time: a query
 * costs two to four statements whatever its range, each a round trip. SQLite reads each segment
 * on its own, in order. Rows are merged in a fixed order, so floating-point sums do not depend on
 * which read came back first.
 */
export async function rollupStates(db: Db, d: SqlDialect, rq: ResolvedQuery, projectId: string): Promise<States> {
  const segments = splitRange(rq.from, rq.to, usableGrains(rq));
  const found: Apply[] = [];
  if (d.name === 'sqlite') {
    // In-process: no round trips to save. One range per statement, one statement at a time, was
    // measured faster here than the combined statements (bench/RESULTS.md, 2026-12-03 17:47).
    for (const s of segments) found.push(...(s.grain === null ? await readEdges(db, d, rq, projectId, [[s.from, s.to]]) : await readRollups(db, d, rq, projectId, [{ ...s, grain: s.grain }])));
  } else {
    const edges: Ranges = segments.filter((s) => s.grain === null).map((s) => [s.from, s.to]);
    const rolled = segments.filter((s): s is typeof s & { grain: number } => s.grain !== null);
    const [rollupRows, edgeRows] = await Promise.all([readRollups(db, d, rq, projectId, rolled), readEdges(db, d, rq, projectId, edges)]);
    found.push(...rollupRows, ...edgeRows);
  }
  const states: States = new Map();
  for (const apply of found) apply(states);
  return states;
}

/** Runs reads at once where each is a round trip (PostgreSQL), one after another in-process (SQLite). */
async function readAll<T>(d: SqlDialect, reads: (() => Promise<T>)[]): Promise<T[]> {
  if (d.name !== 'sqlite') return Promise.all(reads.map((r) => r()));
  const out: T[] = [];
  for (const r of reads) out.push(await r());
  return out;
}

/** What a read found, to be merged into the states in order. */
type Apply = (states: States) => void;

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

async function readRollups(db: Db, d: SqlDialect, rq: ResolvedQuery, projectId: string, segments: { grain: number; from: number; to: number }[]): Promise<Apply[]> {
  if (segments.length === 0) return [];
  const table = rq.view.rollup!.table;
  const cols = groupColumns(rq);
  const filters = compileFilters(rq.filters, rollupFilterColumns(rq), d, 'r.project_id');
  const groupSelect = [
    ...rq.dims.map(({ dim }, j) => `r.${dim.rollup} AS d${j}`),
    ...(rq.bucketing ? [`${bucketSql('r.bucket', rq.bucketing, d)} AS tb`] : []),
  ];
  // Rows are keyed time first: each segment's range is one contiguous index range of (buckets × groups).
  const segment = rq.view.rollup!.segment;
  const arm = (select: string[], s: { grain: number; from: number; to: number }) => {
    const range = rangeCondition('r.bucket', [[s.from, s.to]]);
    const where = ['r.project_id = ?', 'r.grain = ?', `(${range.sql})`, ...(segment ? [segment] : []), ...filters.map((f) => `(${f.sql})`)].join(' AND ');
    return { sql: `SELECT ${select.join(', ')} FROM ${table} r WHERE ${where}`, params: [projectId, s.grain, ...range.params, ...filters.flatMap((f) => f.params)] };
  };
  const union = (select: string[]) => {
    const arms = segments.map((s) => arm(select, s));
    return { sql: arms.map((a) => a.sql).join(' UNION ALL '), params: arms.flatMap((a) => a.params) };
  };

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
  const inner = union([...groupSelect, ...picks]);
  const sql = `SELECT ${[...cols, ...sums].join(', ')} FROM (${inner.sql}) x${cols.length ? ` GROUP BY ${cols.join(', ')}` : ''}`;
  // Bins cannot be summed in SQL: the matching rows are read and their bins merged here.
  const percentiles = percentileMeasures(rq);
  const bins = percentiles.length === 0 ? null : union([...groupSelect, ...percentiles.map((i, j) => `r.${rq.metrics[i].measure.rollup!.bins} AS b${j}`)]);
  const [sumRows, binRows] = await readAll(d, [() => db.all<Row>(sql, inner.params), () => (bins ? db.all<Row>(bins.sql, bins.params) : Promise.resolve([]))]);
  return [
    (states) => {
      for (const row of sumRows) addComponents(states, rq, row);
    },
    (states) => {
      for (const row of binRows) percentiles.forEach((i, j) => addEncodedBins(states, rq, row, `b${j}`, i));
    },
  ];
}

/** The partial 5 minutes at the range's edges, aggregated from the base tables into the same partial states. */
async function readEdges(db: Db, d: SqlDialect, rq: ResolvedQuery, projectId: string, ranges: Ranges): Promise<Apply[]> {
  if (ranges.length === 0) return [];
  const measures = measureSlots(rq);
  // One arm per edge: each a plain range scan of the time index.
  const arms = ranges.map((r) => baseRows(rq, d, projectId, [r], measures));
  const rows = { sql: arms.map((a) => a.sql).join(' UNION ALL '), params: arms.flatMap((a) => a.params) };
  const cols = groupColumns(rq);
  const aggregates = ['COUNT(*) AS c', ...rq.metrics.flatMap((m, i) => baseComponents(m, i, measures.indexOf(m.measure), false))];
  const sql = `SELECT ${[...cols, ...aggregates].join(', ')} FROM (${rows.sql}) y${cols.length ? ` GROUP BY ${cols.join(', ')}` : ''}`;
  const binned = percentileMeasures(rq).map((i) => {
    const v = `v${measures.indexOf(rq.metrics[i].measure)}`;
    const inner = `SELECT ${[...cols, `${binSql(v)} AS bin`].join(', ')} FROM (${rows.sql}) x WHERE ${v} IS NOT NULL`;
    return { i, sql: `SELECT ${[...cols, 'bin', 'COUNT(*) AS c'].join(', ')} FROM (${inner}) y GROUP BY ${[...cols, 'bin'].join(', ')}` };
  });
  const [components, ...bins] = await readAll(d, [() => db.all<Row>(sql, rows.params), ...binned.map((b) => () => db.all<Row>(b.sql, rows.params))]);
  return [
    (states) => {
      for (const row of components) addComponents(states, rq, row);
    },
    ...binned.map(({ i }, k): Apply => (states) => {
      for (const row of bins[k]) addBin(states, rq, row, i);
    }),
  ];
}
