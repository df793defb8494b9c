import type { EntityKind } from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import { entityKey } from '../entity-key.js';
import { subtractDeleted } from '../metrics/rollup-maintain.js';
import { chunks, placeholders } from './where.js';

/**
 * Deletes traces with everything hanging off them: tags, observations, scores, and the logged
 * events of all of these, so that a later replay cannot bring any of them back; and takes
 * what the deleted rows counted back out of the rollups. Runs inside the caller's transaction.
 * Returns how many trace rows existed.
 *
 * Concurrent ingestion (PostgreSQL) is kept out by the same per-entity locks it takes, and the
 * rollups are corrected by exactly the rows this transaction deleted (`RETURNING`), so a trace
 * deleted twice at once, or re-created while being deleted, is never subtracted twice.
 */
export async function deleteTraces(tx: Db, d: SqlDialect, projectId: string, ids: string[]): Promise<number> {
  const unique = [...new Set(ids)];
  await lockTraces(tx, d, projectId, unique);
  const traces: Row[] = [];
  const observations: Row[] = [];
  const scoreIds: string[] = [];
  for (const part of chunks(unique, d.maxParams - 1)) {
    const list = `(${placeholders(part.length)})`;
    const one = [projectId, ...part];
    observations.push(...(await tx.all(`DELETE FROM observations WHERE project_id = ? AND trace_id IN ${list} RETURNING *`, one)));
    scoreIds.push(...(await tx.all<{ id: string }>(`DELETE FROM scores WHERE project_id = ? AND trace_id IN ${list} RETURNING id`, one)).map((r) => r.id));
    await tx.run(`DELETE FROM trace_tags WHERE project_id = ? AND trace_id IN ${list}`, one);
    traces.push(...(await tx.all(`DELETE FROM traces WHERE project_id = ? AND id IN ${list} RETURNING *`, one)));
  }
  // Logged events are found by entity (the log's only secondary index), whatever trace id each event repeated.
  await deleteLogged(tx, d, projectId, 'trace', unique);
  await deleteLogged(tx, d, projectId, 'observation', observations.map((r) => String(r.id)));
  await deleteLogged(tx, d, projectId, 'score', scoreIds);
  await subtractDeleted(tx, d, projectId, traces, observations);
  return traces.length;
}

/**
 * Locks the traces and every observation and score stored under them, as ingestion locks the
 * entities it writes. A child stored while the locks were being taken is locked in another
 * round, until the set stands still; the rare deadlock that this second round can meet is
 * retried by the driver.
 */
async function lockTraces(tx: Db, d: SqlDialect, projectId: string, ids: string[]): Promise<void> {
  const locked = new Set<string>();
  let wanted = ids.map((id) => entityKey(projectId, 'trace', id));
  for (;;) {
    for (const part of chunks(ids, Math.floor(d.maxParams / 2) - 1)) {
      const list = `(${placeholders(part.length)})`;
      const children = await tx.all<{ kind: EntityKind; id: string }>(
        `SELECT 'observation' AS kind, id FROM observations WHERE project_id = ? AND trace_id IN ${list}
          UNION ALL SELECT 'score' AS kind, id FROM scores WHERE project_id = ? AND trace_id IN ${list}`,
        [projectId, ...part, projectId, ...part],
      );
      wanted.push(...children.map((c) => entityKey(projectId, c.kind, c.id)));
    }
    const missing = [...new Set(wanted.filter((k) => !locked.has(k)))].sort();
    if (missing.length === 0) return;
    await d.lockKeys(tx, missing);
    for (const k of missing) locked.add(k);
    wanted = [];
  }
}

async function deleteLogged(tx: Db, d: SqlDialect, projectId: string, kind: EntityKind, ids: string[]): Promise<void> {
  for (const part of chunks(ids, d.maxParams - 2)) {
    await tx.run(`DELETE FROM events WHERE project_id = ? AND entity_kind = ? AND entity_id IN (${placeholders(part.length)})`, [projectId, kind, ...part]);
  }
}
