import type { ScoreRecord } from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import { rowToScore } from '../mappers.js';
import { chunks, placeholders } from '../queries/where.js';

const byTime = (a: ScoreRecord, b: ScoreRecord): number => a.timestamp - b.timestamp || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Every score of the given traces, by timestamp then id. */
export async function listScoresOfTraces(db: Db, d: SqlDialect, projectId: string, traceIds: string[]): Promise<ScoreRecord[]> {
  const parts = chunks([...new Set(traceIds)], d.maxParams - 1);
  const out: ScoreRecord[] = [];
  for (const part of parts) {
    const rows = await db.all<Row>(
      `SELECT * FROM scores WHERE project_id = ? AND trace_id IN (${placeholders(part.length)})`,
      [projectId, ...part],
    );
    out.push(...rows.map(rowToScore));
  }
  // Sorted here, not by SQL: an ORDER BY lets SQLite's planner pick the project-wide time index
  // over the trace index and scan the whole project for a page of traces (an export's pages).
  return out.sort(byTime);
}
