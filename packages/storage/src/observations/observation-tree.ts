import type { Level, ObservationType } from '@sightline/core';
import type { Db, SqlDialect } from '../db.js';
import { num, str } from '../mappers.js';
import { totalTokensSql } from '../queries/trace-aggregates.js';
import type { ObservationNode } from './observation-store.js';


/** Every observation of a trace, by start time then id, without the heavy columns (input, output, metadata). */
export async function observationTree(db: Db, d: SqlDialect, projectId: string, traceId: string): Promise<ObservationNode[]> {
  const tokens = totalTokensSql(d, 'usage_details');
  // Arrays, not keyed rows: this reads a whole trace, thousands of rows (see Db.values).
  const rows = await db.values(
    `SELECT id, parent_observation_id, type, name, start_time, end_time, total_cost, level, model, ${tokens.sql} AS tokens
       FROM observations WHERE project_id = ? AND trace_id = ? ORDER BY start_time ASC, id ASC`,
    [...tokens.params, projectId, traceId],
  );
  return rows.map(([id, parent, type, name, start, end, cost, level, model, tokens]) => ({
    id: String(id),
    parentObservationId: str(parent),
    type: String(type) as ObservationType,
    name: str(name),
    startTime: Number(start),
    endTime: num(end),
    totalCost: num(cost),
    totalTokens: num(tokens),
    level: String(level) as Level,
    model: str(model),
  }));
}
