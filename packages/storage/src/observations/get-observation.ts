import type { ObservationRecord } from '@sightline/core';
import type { Db, Row } from '../db.js';
import { rowToObservation } from '../mappers.js';

/** One observation by id, or null. */
export async function getObservation(db: Db, projectId: string, id: string): Promise<ObservationRecord | null> {
  const row = await db.get<Row>('SELECT * FROM observations WHERE project_id = ? AND id = ?', [projectId, id]);
  return row ? rowToObservation(row) : null;
}
