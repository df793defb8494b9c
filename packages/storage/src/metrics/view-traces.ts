import type { SqlDialect } from '../db.js';
import { TRACE_LATENCY_SQL, TRACE_TOTALS_JOIN } from './trace-latency.js';
import { jsonTotal } from './view-observations.js';
import { COST_SCALE, monthText, parseTags, type Dimension, type View } from './view-types.js';

const col = (sql: string, rollup?: string): Dimension => ({ sql, type: 'string', rollup });
/** A correlated aggregate over the trace's observations (`oc`). */
const ofObservations = (expr: string) => `(SELECT ${expr} FROM observations oc WHERE oc.project_id = t.project_id AND oc.trace_id = t.id)`;

/**
 * The `traces` view: one row per trace. Observation-derived measures cover all of a trace's
 * observations (a trace without observations has 0 of them, latency null).
 */
export function tracesView(d: SqlDialect): View {
  return {
    name: 'traces',
    from: 'traces t',
    alias: 't',
    time: 't.timestamp',
    timeColumns: ['timestamp'],
    // The per-trace time bounds kept at ingestion (totals/trace-times.ts): one row by primary key instead of an aggregate over the trace's observations.
    joins: { totals: TRACE_TOTALS_JOIN },
    dims: {
      id: col('t.id'),
      name: col('t.name', 'name'),
      tags: { sql: 't.tags', type: 'tags', present: parseTags, traceId: 't.id' },
      userId: col('t.user_id'),
      sessionId: col('t.session_id'),
      release: col('t.release'),
      version: col('t.version'),
      environment: col('t.environment', 'environment'),
      timestampMonth: { sql: d.monthStartMs('t.timestamp'), type: 'string', present: monthText },
    },
    measures: {
      count: { sql: '1', kind: 'count', rollup: { n: 'cnt' } },
      observationsCount: { sql: ofObservations('COUNT(*)'), kind: 'number' },
      scoresCount: { sql: '(SELECT COUNT(*) FROM scores sc WHERE sc.project_id = t.project_id AND sc.trace_id = t.id)', kind: 'number' },
      uniqueUserIds: { sql: 't.user_id', kind: 'distinct' },
      uniqueSessionIds: { sql: 't.session_id', kind: 'distinct' },
      // MAX(end_time) − MIN(start_time) of the trace's observations; null without an end.
      latency: { sql: TRACE_LATENCY_SQL, kind: 'number', scale: 1, joins: ['totals'], rollup: { sum: 'latency_sum', n: 'latency_n', bins: 'latency_bins' } },
      totalTokens: { sql: `COALESCE(${ofObservations(`SUM(${jsonTotal(d, 'oc.usage_details')})`)}, 0)`, kind: 'number' },
      totalCost: { sql: `COALESCE(${ofObservations('SUM(oc.total_cost)')}, 0)`, kind: 'number', scale: COST_SCALE },
    },
    rollup: { table: 'trace_rollups' },
  };
}
