import type { ObservationRecord } from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import { rowToObservation } from '../mappers.js';
import type { ObservationCursor, ObservationQuery } from './observation-store.js';
import { observationWhere } from './observation-where.js';

/**
 * GET /v2/observations: keyset pagination on (start time, trace id, id), all descending, so
 * pages never skip or repeat rows while data is added. A missing trace id orders as ''.
 */
export async function listObservationsAfter(
  db: Db,
  d: SqlDialect,
  projectId: string,
  q: ObservationQuery & { limit: number; cursor?: ObservationCursor },
): Promise<ObservationRecord[]> {
  const w = observationWhere(d, projectId, q);
  if (q.cursor) {
    const c = q.cursor;
    w.add(
      // A bound on start_time alone enters the time index at the cursor (the OR alone walks it from the newest row).
      "o.start_time <= ? AND (o.start_time < ? OR COALESCE(o.trace_id, '') < ? OR (COALESCE(o.trace_id, '') = ? AND o.id < ?))",
      c.lastStartTime, c.lastStartTime, c.lastTraceId, c.lastTraceId, c.lastId,
    );
  }
  const rows = await db.all<Row>(
    `SELECT o.* FROM observations o ${w.sql} ORDER BY o.start_time DESC, COALESCE(o.trace_id, '') DESC, o.id DESC LIMIT ?`,
    [...w.params, q.limit],
  );
  return rows.map(rowToObservation);
}
