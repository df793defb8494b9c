import type { Db, Row, SqlDialect } from '../db.js';
import { baseRows, groupColumns, measureSlots } from './base-rows.js';
import { halvesSql, sumHalvesSql } from './exact-sum.js';
import type { ResolvedMetric, ResolvedQuery } from './resolve.js';
import { addComponents, stateOf, type States } from './state.js';
import { PERCENTILE } from './types.js';

/**
 * SQL aggregates of metric `i` (measure slot `k`) over base rows. With `exact`, percentiles
 * pick the nearest-rank value from the window columns `rn{k}`/`cn{k}`; without, they are
 * left to bin queries. Histograms always have their own query.
 */
export function baseComponents(m: ResolvedMetric, i: number, k: number, exact: boolean): string[] {
  const v = `v${k}`;
  if (m.measure.kind === 'distinct' || m.agg === 'uniq') return [`COUNT(DISTINCT ${v}) AS x${i}`];
  if (m.measure.kind === 'count') return [`COUNT(*) AS n${i}`];
  switch (m.agg) {
    case 'count':
      return [`COUNT(${v}) AS n${i}`];
    case 'sum':
    case 'avg': {
      if (m.measure.scale === undefined) return [`SUM(${v}) AS s${i}`, `COUNT(${v}) AS n${i}`];
      const { hi, lo } = halvesSql(v, m.measure.scale);
      return [...sumHalvesSql(hi, lo, i), `COUNT(${v}) AS n${i}`];
    }
    case 'min':
    case 'max':
      return [`${m.agg.toUpperCase()}(${v}) AS x${i}`];
    case 'histogram':
      return [];
    default: {
      if (!exact) return [];
      const p = PERCENTILE[m.agg] ?? 50;
      return [`MIN(CASE WHEN rn${k} * 100 >= ${p} * cn${k} AND (rn${k} - 1) * 100 < ${p} * cn${k} THEN ${v} END) AS x${i}`];
    }
  }
}

const over = (cols: string[]) => (cols.length > 0 ? `PARTITION BY ${cols.join(', ')}` : '');
const groupBy = (cols: string[]) => (cols.length > 0 ? ` GROUP BY ${cols.join(', ')}` : '');

/** The exact answer from the base tables: one aggregate query, plus one per histogram metric. */
export async function scanStates(db: Db, d: SqlDialect, rq: ResolvedQuery, projectId: string): Promise<States> {
  const measures = measureSlots(rq);
  const slot = (m: ResolvedMetric) => measures.indexOf(m.measure);
  const rows = baseRows(rq, d, projectId, [[rq.from, rq.to]], measures);
  const cols = groupColumns(rq);
  const ranked = [...new Set(rq.metrics.filter((m) => PERCENTILE[m.agg] !== undefined && m.measure.kind === 'number').map(slot))];
  const windows = ranked.map((k) => `ROW_NUMBER() OVER (${over(cols)} ORDER BY (v${k} IS NULL), v${k}) AS rn${k}, COUNT(v${k}) OVER (${over(cols)}) AS cn${k}`);
  const source = windows.length > 0 ? `(SELECT x.*, ${windows.join(', ')} FROM (${rows.sql}) x)` : `(${rows.sql})`;
  const aggregates = ['COUNT(*) AS c', ...rq.metrics.flatMap((m, i) => baseComponents(m, i, slot(m), true))];
  const sql = `SELECT ${[...cols, ...aggregates].join(', ')} FROM ${source} y${groupBy(cols)}`;
  const states: States = new Map();
  for (const row of await db.all<Row>(sql, rows.params)) addComponents(states, rq, row);
  for (const [i, m] of rq.metrics.entries()) {
    if (m.agg === 'histogram' && m.measure.kind === 'number') await addHistogram(db, rq, states, i, slot(m), rows);
  }
  return states;
}

/** Equal-width bins between each group's min and max (Langfuse's `histogram` aggregation): `[lower, upper, count]`. */
async function addHistogram(db: Db, rq: ResolvedQuery, states: States, i: number, k: number, rows: { sql: string; params: unknown[] }): Promise<void> {
  const cols = groupColumns(rq);
  const b = rq.bins;
  const v = `v${k}`;
  const bin = `CASE WHEN hi = lo THEN 0 WHEN ${v} >= hi THEN ${b - 1} ELSE CAST(FLOOR(CAST(${v} - lo AS DOUBLE PRECISION) * ${b} / CAST(hi - lo AS DOUBLE PRECISION)) AS INTEGER) END`;
  const windowed = `SELECT x.*, MIN(${v}) OVER (${over(cols)}) AS lo, MAX(${v}) OVER (${over(cols)}) AS hi FROM (${rows.sql}) x WHERE ${v} IS NOT NULL`;
  const binned = `SELECT ${[...cols, 'lo', 'hi', `${bin} AS bin`].join(', ')} FROM (${windowed}) y`;
  const sql = `SELECT ${[...cols, 'lo', 'hi', 'bin', 'COUNT(*) AS c'].join(', ')} FROM (${binned}) z GROUP BY ${[...cols, 'lo', 'hi', 'bin'].join(', ')}`;
  const filled = new Map<object, [number, number, number][]>();
  for (const row of await db.all<Row>(sql, rows.params)) {
    const st = stateOf(states, rq, row);
    const lo = Number(row.lo);
    const hi = Number(row.hi);
    let bins = filled.get(st);
    if (!bins) {
      const count = hi === lo ? 1 : b;
      bins = Array.from({ length: count }, (_, j) => [lo + (j * (hi - lo)) / b, hi === lo ? hi : lo + ((j + 1) * (hi - lo)) / b, 0]);
      filled.set(st, bins);
      st.hist[i] = bins;
    }
    bins[Number(row.bin)][2] += Number(row.c);
  }
}
