import type { Db, Row } from '../db.js';
import { rowToTrace } from '../mappers.js';
import type { TraceRecord } from '@sightline/core';

/** One trace by id, or null. */
export async function getTrace(db: Db, projectId: string, id: string): Promise<TraceRecord | null> {
  const row = await db.get<Row>('SELECT * FROM traces WHERE project_id = ? AND id = ?', [projectId, id]);
  return row ? rowToTrace(row) : null;
}
