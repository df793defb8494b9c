import type { SqlDialect } from '../db.js';
import { bucketSql } from './time-buckets.js';
import { dayText, monthText, parseTags, SCORE_SCALE, type Dimension, type View } from './view-types.js';

export type ScoreView = 'scores-numeric' | 'scores-categorical' | 'scores-boolean';

/** Each view's data types, as a condition on the data type column of `alias`. */
const SEGMENTS: Record<ScoreView, (alias: string) => string> = {
  // Langfuse counts boolean scores as numeric too.
  'scores-numeric': (a) => `${a}.data_type IN ('NUMERIC', 'BOOLEAN')`,
  'scores-categorical': (a) => `${a}.data_type = 'CATEGORICAL'`,
  'scores-boolean': (a) => `${a}.data_type = 'BOOLEAN'`,
};

const col = (sql: string, rollup?: string): Dimension => ({ sql, type: 'string', rollup });
const trace = (sql: string): Dimension => ({ sql, type: 'string', joins: ['trace'] });
const observation = (sql: string, type: Dimension['type'] = 'string'): Dimension => ({ sql, type, joins: ['observation'] });

/** The score views: one row per score of the view's data types. */
export function scoresView(name: ScoreView, d: SqlDialect): View {
  const categorical = name === 'scores-categorical';
  return {
    name,
    from: 'scores s',
    alias: 's',
    time: 's.timestamp',
    timeColumns: ['timestamp'],
    segment: SEGMENTS[name]('s'),
    joins: {
      trace: 'LEFT JOIN traces t ON t.project_id = s.project_id AND t.id = s.trace_id',
      observation: 'LEFT JOIN observations ob ON ob.project_id = s.project_id AND ob.id = s.observation_id',
    },
    dims: {
      id: col('s.id'),
      name: col('s.name', 'name'),
      source: col('s.source', 'source'),
      dataType: col('s.data_type', 'data_type'),
      value: categorical ? col('s.string_value', 'string_value') : { sql: 's.value', type: 'number' },
      stringValue: col('s.string_value', 'string_value'),
      traceId: col('s.trace_id'),
      observationId: col('s.observation_id'),
      configId: col('s.config_id'),
      environment: col('s.environment', 'environment'),
      sessionId: col('s.session_id'),
      traceName: trace('t.name'),
      userId: trace('t.user_id'),
      tags: { sql: 't.tags', type: 'tags', joins: ['trace'], present: parseTags, traceId: 's.trace_id' },
      traceRelease: trace('t.release'),
      traceVersion: trace('t.version'),
      observationName: observation('ob.name'),
      observationModelName: observation('ob.model'),
      observationPromptName: observation('ob.prompt_name'),
      observationPromptVersion: observation('ob.prompt_version', 'number'),
      timestampMonth: { sql: d.monthStartMs('s.timestamp'), type: 'string', present: monthText },
      timestampDay: { sql: bucketSql('s.timestamp', 'day', d), type: 'string', present: dayText },
    },
    measures: {
      count: { sql: '1', kind: 'count', rollup: { n: 'cnt' } },
      value: { sql: 's.value', kind: 'number', scale: SCORE_SCALE, rollup: { sum: 'value_sum', n: 'cnt' } },
    },
    rollup: { table: 'score_rollups', segment: SEGMENTS[name]('r') },
  };
}
