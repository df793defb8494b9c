import type { Db } from '../db.js';

/**
 * Deletes a score and its logged events (so a later replay cannot bring it back), inside the
 * caller's transaction. True when the score existed.
 */
export async function deleteScore(tx: Db, projectId: string, id: string): Promise<boolean> {
  await tx.run("DELETE FROM events WHERE project_id = ? AND entity_kind = 'score' AND entity_id = ?", [projectId, id]);
  const { changes } = await tx.run('DELETE FROM scores WHERE project_id = ? AND id = ?', [projectId, id]);
  return changes > 0;
}
