import type { Db, Row, SqlDialect } from '../db.js';
import { entityKey } from '../entity-key.js';
import { subtractDeleted } from '../metrics/rollup-maintain.js';
import { TraceLatencies } from '../metrics/trace-latency.js';
import { deletedScoreKeys, refreshScoreMeans } from './trace-score-means.js';

/**
 * Deletes a score and its logged events (so a later replay cannot bring it back), inside the
 * caller's transaction, holding the score's ingestion lock so that a concurrent commit of the
 * same score cannot resurrect it from a state read before the delete. True when the score existed.
 */
export async function deleteScore(tx: Db, d: SqlDialect, projectId: string, id: string): Promise<boolean> {
  await d.lockKeys(tx, [entityKey(projectId, 'score', id)]);
  await tx.run("DELETE FROM events WHERE project_id = ? AND entity_kind = 'score' AND entity_id = ?", [projectId, id]);
  const deleted = await tx.all<Row>('DELETE FROM scores WHERE project_id = ? AND id = ? RETURNING *', [projectId, id]);
  await subtractDeleted(tx, d, TraceLatencies.ofNone(), projectId, [], deleted);
  await refreshScoreMeans(tx, d, deletedScoreKeys(projectId, deleted));
  return deleted.length > 0;
}
