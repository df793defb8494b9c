import type { SqlDialect } from '../db.js';
import { COST_SCALE, monthText, parseTags, type Dimension, type View } from './view-types.js';

/** SQL: sum of the entries of a JSON number map whose key contains `part` (case-insensitive), 0 when none. */
export const jsonKeySum = (d: SqlDialect, column: string, part: 'input' | 'output'): string =>
  `COALESCE((SELECT SUM(CAST(je.value AS DOUBLE PRECISION)) FROM ${d.jsonEntries(column, 'je')} WHERE LOWER(je.key) LIKE '%${part}%'), 0)`;

/** SQL: the `total` entry of a JSON number map, 0 when absent. */
export const jsonTotal = (d: SqlDialect, column: string): string =>
  `COALESCE((SELECT SUM(CAST(je.value AS DOUBLE PRECISION)) FROM ${d.jsonEntries(column, 'je')} WHERE je.key = 'total'), 0)`;

const col = (sql: string, rollup?: string): Dimension => ({ sql, type: 'string', rollup });
const trace = (sql: string): Dimension => ({ sql, type: 'string', joins: ['trace'] });

/** The `observations` view: one row per observation; usage and cost as stored after pricing. */
export function observationsView(d: SqlDialect): View {
  const inputTokens = jsonKeySum(d, 'o.usage_details', 'input');
  const outputTokens = jsonKeySum(d, 'o.usage_details', 'output');
  const totalTokens = jsonTotal(d, 'o.usage_details');
  return {
    name: 'observations',
    from: 'observations o',
    alias: 'o',
    time: 'o.start_time',
    timeColumns: ['startTime', 'start_time'],
    joins: { trace: 'LEFT JOIN traces t ON t.project_id = o.project_id AND t.id = o.trace_id' },
    dims: {
      id: col('o.id'),
      traceId: col('o.trace_id'),
      traceName: trace('t.name'),
      environment: col('o.environment', 'environment'),
      parentObservationId: col('o.parent_observation_id'),
      type: col('o.type', 'type'),
      name: col('o.name', 'name'),
      level: col('o.level', 'level'),
      version: col('o.version'),
      tags: { sql: 't.tags', type: 'tags', joins: ['trace'], present: parseTags, traceId: 'o.trace_id' },
      providedModelName: col('o.model', 'model'),
      promptName: col('o.prompt_name'),
      promptVersion: { sql: 'o.prompt_version', type: 'number' },
      userId: trace('t.user_id'),
      sessionId: trace('t.session_id'),
      traceRelease: trace('t.release'),
      traceVersion: trace('t.version'),
      startTimeMonth: { sql: d.monthStartMs('o.start_time'), type: 'string', present: monthText },
    },
    measures: {
      count: { sql: '1', kind: 'count', rollup: { n: 'cnt' } },
      latency: { sql: '(o.end_time - o.start_time)', kind: 'number', scale: 1, rollup: { sum: 'latency_sum', n: 'latency_n', bins: 'latency_bins' } },
      streamingLatency: { sql: '(o.end_time - o.completion_start_time)', kind: 'number', scale: 1, rollup: { sum: 'streaming_sum', n: 'streaming_n' } },
      timeToFirstToken: { sql: '(o.completion_start_time - o.start_time)', kind: 'number', scale: 1, rollup: { sum: 'ttft_sum', n: 'ttft_n', bins: 'ttft_bins' } },
      inputTokens: { sql: inputTokens, kind: 'number', rollup: { sum: 'input_tokens', n: 'cnt' } },
      outputTokens: { sql: outputTokens, kind: 'number', rollup: { sum: 'output_tokens', n: 'cnt' } },
      totalTokens: { sql: totalTokens, kind: 'number', rollup: { sum: 'total_tokens', n: 'cnt' } },
      outputTokensPerSecond: {
        sql: `CASE WHEN o.end_time > o.completion_start_time THEN ${outputTokens} * 1000.0 / (o.end_time - o.completion_start_time) END`,
        kind: 'number',
      },
      tokensPerSecond: { sql: `CASE WHEN o.end_time > o.start_time THEN ${totalTokens} * 1000.0 / (o.end_time - o.start_time) END`, kind: 'number' },
      inputCost: { sql: jsonKeySum(d, 'o.cost_details', 'input'), kind: 'number', scale: COST_SCALE, rollup: { sum: 'input_cost', n: 'cnt' } },
      outputCost: { sql: jsonKeySum(d, 'o.cost_details', 'output'), kind: 'number', scale: COST_SCALE, rollup: { sum: 'output_cost', n: 'cnt' } },
      totalCost: { sql: 'COALESCE(o.total_cost, 0)', kind: 'number', scale: COST_SCALE, rollup: { sum: 'total_cost', n: 'cnt' } },
      // Through the trace id so the scores index applies.
      countScores: {
        sql: '(SELECT COUNT(*) FROM scores sc WHERE sc.project_id = o.project_id AND sc.trace_id = o.trace_id AND sc.observation_id = o.id)',
        kind: 'number',
      },
    },
    rollup: { table: 'observation_rollups' },
  };
}
