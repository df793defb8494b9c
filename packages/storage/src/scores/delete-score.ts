import type { Db, Row, SqlDialect } from '../db.js';
import { entityKey } from '../entity-key.js';
import { subtractDeleted } from '../metrics/rollup-maintain.js';
import { TraceLatencies } from '../metrics/trace-latency.js';
import { deletedScoreKeys, refreshScoreMeans } from './trace-score-means.js';
import { subtractScoreSums } from '../totals/group-score-sums.js';

/**
 * Deletes a score and its logged events (so a later replay cannot bring it back), inside the
 * caller's transaction, holding the score's ingestion lock so that a concurrent commit of the
 * same score cannot resurrect it from a state read before the delete. True when the score existed.
 */
export async function deleteScore(tx: Db, d: SqlDialect, projectId: string, id: string): Promise<boolean> {
  // With its trace's lock: the score counts in that trace's session and user (totals/group-score-sums.ts).
  const traceId = (await tx.get<Row>('SELECT trace_id FROM scores WHERE project_id = ? AND id = ?', [projectId, id]))?.trace_id;
  const traceKey = (t: unknown) => (t === null || t === undefined ? [] : [entityKey(projectId, 'trace', String(t))]);
  await d.lockKeys(tx, [entityKey(projectId, 'score', id), ...traceKey(traceId)].sort());
  await tx.run("DELETE FROM events WHERE project_id = ? AND entity_kind = 'score' AND entity_id = ?", [projectId, id]);
  const deleted = await tx.all<Row>('DELETE FROM scores WHERE project_id = ? AND id = ? RETURNING *', [projectId, id]);
  // Moved to another trace since it was read (rare): that trace's lock too.
  if (deleted[0] && deleted[0].trace_id !== null && deleted[0].trace_id !== traceId) await d.lockKeys(tx, traceKey(deleted[0].trace_id));
  await subtractScoreSums(tx, d, projectId, [], deleted);
  await subtractDeleted(tx, d, TraceLatencies.ofNone(), projectId, [], deleted);
  await refreshScoreMeans(tx, d, deletedScoreKeys(projectId, deleted));
  return deleted.length > 0;
}
