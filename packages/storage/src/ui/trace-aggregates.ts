import type { ScoreDataType, ScoreSource } from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import { chunks, placeholders } from '../queries/where.js';
import type { UiScoreChip } from './types.js';

export interface TraceAggregate {
  latencyMs: number | null;
  totalTokens: number;
  totalCost: number | null;
  observationCount: number;
  errorCount: number;
  scores: UiScoreChip[];
}

const MAX_SCORES_PER_TRACE = 20;

/** SQL: the `total` usage of an observation as a number (NULL when absent). */
export const totalTokensSql = (d: SqlDialect, column: string): { sql: string; params: unknown[] } => {
  const j = d.jsonText(column, 'total');
  return { sql: `CAST(${j.sql} AS DOUBLE PRECISION)`, params: j.params };
};

/** Latency, tokens, cost, counts and scores of each listed trace: two grouped queries per chunk of ids. */
export async function traceAggregates(db: Db, d: SqlDialect, projectId: string, traceIds: string[]): Promise<Map<string, TraceAggregate>> {
  const out = new Map<string, TraceAggregate>();
  const tokens = totalTokensSql(d, 'o.usage_details');
  for (const ids of chunks(traceIds, d.maxParams - 4)) {
    const inList = `(${placeholders(ids.length)})`;
    const obs = await db.all<Row>(
      `SELECT o.trace_id, MIN(o.start_time) AS min_start, MAX(COALESCE(o.end_time, o.start_time)) AS max_end, COUNT(*) AS n,
              SUM(CASE WHEN o.level = 'ERROR' THEN 1 ELSE 0 END) AS errors, SUM(o.total_cost) AS cost, SUM(${tokens.sql}) AS tokens
         FROM observations o WHERE o.project_id = ? AND o.trace_id IN ${inList} GROUP BY o.trace_id`,
      [...tokens.params, projectId, ...ids],
    );
    for (const r of obs) {
      out.set(String(r.trace_id), {
        latencyMs: Number(r.max_end) - Number(r.min_start),
        totalTokens: Number(r.tokens ?? 0),
        totalCost: r.cost === null || r.cost === undefined ? null : Number(r.cost),
        observationCount: Number(r.n),
        errorCount: Number(r.errors ?? 0),
        scores: [],
      });
    }
    const scores = await db.all<Row>(
      `SELECT id, trace_id, name, value, string_value, data_type, source, observation_id FROM scores
        WHERE project_id = ? AND trace_id IN ${inList} ORDER BY timestamp, id`,
      [projectId, ...ids],
    );
    for (const s of scores) {
      const traceId = String(s.trace_id);
      let a = out.get(traceId);
      if (!a) out.set(traceId, (a = { latencyMs: null, totalTokens: 0, totalCost: null, observationCount: 0, errorCount: 0, scores: [] }));
      if (a.scores.length >= MAX_SCORES_PER_TRACE) continue;
      a.scores.push({
        id: String(s.id),
        name: String(s.name),
        value: Number(s.value),
        stringValue: s.string_value === null || s.string_value === undefined ? null : String(s.string_value),
        dataType: String(s.data_type) as ScoreDataType,
        source: String(s.source) as ScoreSource,
        observationId: s.observation_id === null || s.observation_id === undefined ? null : String(s.observation_id),
      });
    }
  }
  return out;
}
