import type { Db, SqlDialect } from '../db.js';
import { chunks, placeholders } from './where.js';

/**
 * Deletes traces with everything hanging off them: tags, observations, scores, and the logged
 * events of all of these, so that a later replay cannot bring any of them back. Runs inside
 * the caller's transaction. Returns how many trace rows existed.
 */
export async function deleteTraces(tx: Db, d: SqlDialect, projectId: string, ids: string[]): Promise<number> {
  let deleted = 0;
  // Logged events are found by entity (the log's only secondary index): the traces themselves,
  // then every observation and score stored under them, whatever trace id each event repeated.
  for (const part of chunks([...new Set(ids)], d.maxParams - 2)) {
    const list = `(${placeholders(part.length)})`;
    const one = [projectId, ...part];
    await tx.run(`DELETE FROM events WHERE project_id = ? AND entity_kind = 'trace' AND entity_id IN ${list}`, one);
    await tx.run(
      `DELETE FROM events WHERE project_id = ? AND entity_kind = 'observation'
          AND entity_id IN (SELECT id FROM observations WHERE project_id = ? AND trace_id IN ${list})`,
      [projectId, ...one],
    );
    await tx.run(
      `DELETE FROM events WHERE project_id = ? AND entity_kind = 'score'
          AND entity_id IN (SELECT id FROM scores WHERE project_id = ? AND trace_id IN ${list})`,
      [projectId, ...one],
    );
    await tx.run(`DELETE FROM observations WHERE project_id = ? AND trace_id IN ${list}`, one);
    await tx.run(`DELETE FROM scores WHERE project_id = ? AND trace_id IN ${list}`, one);
    await tx.run(`DELETE FROM trace_tags WHERE project_id = ? AND trace_id IN ${list}`, one);
    deleted += (await tx.run(`DELETE FROM traces WHERE project_id = ? AND id IN ${list}`, one)).changes;
  }
  return deleted;
}
