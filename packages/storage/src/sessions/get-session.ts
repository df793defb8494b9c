import type { SessionRecord } from '@sightline/core';
import type { Db, Row } from '../db.js';
import { rowToSession } from '../mappers.js';

/** One session by id, or null. */
export async function getSession(db: Db, projectId: string, id: string): Promise<SessionRecord | null> {
  const row = await db.get<Row>('SELECT * FROM sessions WHERE project_id = ? AND id = ?', [projectId, id]);
  return row ? rowToSession(row) : null;
}
