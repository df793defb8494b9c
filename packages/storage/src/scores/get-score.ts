import type { ScoreRecord } from '@sightline/core';
import type { Db, Row } from '../db.js';
import { rowToScore } from '../mappers.js';

/** One score by id, or null. */
export async function getScore(db: Db, projectId: string, id: string): Promise<ScoreRecord | null> {
  const row = await db.get<Row>('SELECT * FROM scores WHERE project_id = ? AND id = ?', [projectId, id]);
  return row ? rowToScore(row) : null;
}
