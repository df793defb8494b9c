import type { TraceRecord } from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import { rowToTrace } from '../mappers.js';
import { chunks, placeholders } from '../queries/where.js';
import { traceWhere } from './list-traces.js';
import type { TraceExportCursor, TraceFilters } from './trace-store.js';

/**
 * One keyset page of the traces an export selects, oldest first by (timestamp, id): each page
 * starts where the last one ended, so a long export never re-reads or skips rows (OFFSET would
 * slow down with every page and shift when traces arrive meanwhile).
 */
export async function exportTracePage(
  db: Db,
  d: SqlDialect,
  projectId: string,
  filters: TraceFilters,
  after: TraceExportCursor | null,
  limit: number,
): Promise<TraceRecord[]> {
  const w = traceWhere(d, projectId, filters);
  // The `>=` alone is a range on the (project_id, timestamp) index; the OR only filters within it.
  if (after) w.add('t.timestamp >= ? AND (t.timestamp > ? OR t.id > ?)', after.timestamp, after.timestamp, after.id);
  const rows = await db.all<Row>(`SELECT t.* FROM traces t ${w.sql} ORDER BY t.timestamp ASC, t.id ASC LIMIT ?`, [...w.params, limit]);
  return rows.map(rowToTrace);
}

/** How many traces the filters select (an export's progress total). */
export async function countFilteredTraces(db: Db, d: SqlDialect, projectId: string, filters: TraceFilters): Promise<number> {
  const w = traceWhere(d, projectId, filters);
  const r = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM traces t ${w.sql}`, w.params);
  return Number(r?.n ?? 0);
}

/** The given traces that exist in the project, in no particular order. */
export async function getTraces(db: Db, d: SqlDialect, projectId: string, ids: string[]): Promise<TraceRecord[]> {
  const out: TraceRecord[] = [];
  for (const part of chunks([...new Set(ids)], d.maxParams - 1)) {
    const rows = await db.all<Row>(`SELECT * FROM traces WHERE project_id = ? AND id IN (${placeholders(part.length)})`, [projectId, ...part]);
    out.push(...rows.map(rowToTrace));
  }
  return out;
}
