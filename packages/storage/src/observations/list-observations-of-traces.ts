import type { ObservationRecord } from '@sightline/core';
import type { Db, SqlDialect } from '../db.js';
import { OBSERVATION_COLUMNS, observationFromValues } from '../mappers.js';
import { chunks, placeholders } from '../queries/where.js';

const COLUMNS = OBSERVATION_COLUMNS.join(', ');

const byStart = (a: ObservationRecord, b: ObservationRecord): number =>
  a.startTime - b.startTime || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Every observation of the given traces, by start time then id. */
export async function listObservationsOfTraces(db: Db, d: SqlDialect, projectId: string, traceIds: string[]): Promise<ObservationRecord[]> {
  const parts = chunks([...new Set(traceIds)], d.maxParams - 1);
  const out: ObservationRecord[] = [];
  for (const part of parts) {
    // Arrays, not keyed rows: a trace of 5,000 observations is read whole (see Db.values).
    const rows = await db.values(
      `SELECT ${COLUMNS} FROM observations WHERE project_id = ? AND trace_id IN (${placeholders(part.length)})`,
      [projectId, ...part],
    );
    for (const row of rows) out.push(observationFromValues(row));
  }
  // Sorted here, not by SQL: an ORDER BY lets SQLite's planner pick the project-wide time index
  // over the trace index and scan the whole project for a page of traces (an export's pages).
  return out.sort(byStart);
}
