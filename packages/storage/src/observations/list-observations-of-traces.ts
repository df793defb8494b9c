import type { ObservationRecord } from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import { rowToObservation } from '../mappers.js';
import { chunks, placeholders } from '../queries/where.js';

const byStart = (a: ObservationRecord, b: ObservationRecord): number =>
  a.startTime - b.startTime || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Every observation of the given traces, by start time then id. */
export async function listObservationsOfTraces(db: Db, d: SqlDialect, projectId: string, traceIds: string[]): Promise<ObservationRecord[]> {
  const parts = chunks([...new Set(traceIds)], d.maxParams - 1);
  const out: ObservationRecord[] = [];
  for (const part of parts) {
    const rows = await db.all<Row>(
      `SELECT * FROM observations WHERE project_id = ? AND trace_id IN (${placeholders(part.length)})`,
      [projectId, ...part],
    );
    out.push(...rows.map(rowToObservation));
  }
  // Sorted here, not by SQL: an ORDER BY lets SQLite's planner pick the project-wide time index
  // over the trace index and scan the whole project for a page of traces (an export's pages).
  return out.sort(byStart);
}
