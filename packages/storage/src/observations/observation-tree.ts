import type { Level, ObservationType } from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import { totalTokensSql } from '../queries/trace-aggregates.js';
import type { ObservationNode } from './observation-store.js';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Every observation of a trace, by start time then id, without the heavy columns (input, output, metadata). */
export async function observationTree(db: Db, d: SqlDialect, projectId: string, traceId: string): Promise<ObservationNode[]> {
  const tokens = totalTokensSql(d, 'usage_details');
  const rows = await db.all<Row>(
    `SELECT id, parent_observation_id, type, name, start_time, end_time, total_cost, level, model, ${tokens.sql} AS tokens
       FROM observations WHERE project_id = ? AND trace_id = ? ORDER BY start_time ASC, id ASC`,
    [...tokens.params, projectId, traceId],
  );
  return rows.map((r) => ({
    id: String(r.id),
    parentObservationId: r.parent_observation_id === null || r.parent_observation_id === undefined ? null : String(r.parent_observation_id),
    type: String(r.type) as ObservationType,
    name: r.name === null || r.name === undefined ? null : String(r.name),
    startTime: Number(r.start_time),
    endTime: num(r.end_time),
    totalCost: num(r.total_cost),
    totalTokens: num(r.tokens),
    level: String(r.level) as Level,
    model: r.model === null || r.model === undefined ? null : String(r.model),
  }));
}
