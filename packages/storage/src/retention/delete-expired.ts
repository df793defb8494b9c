import type { Db, Row, SqlDialect, WritableDb } from '../db.js';
import { entityKey } from '../entity-key.js';
import { subtractDeleted } from '../metrics/rollup-maintain.js';
import { TraceLatencies } from '../metrics/trace-latency.js';
import { placeholders } from '../queries/where.js';
import { deleteLogged, deleteReviews, subtractTotals } from '../traces/delete-related.js';
import { deleteTraceRows } from '../traces/delete-traces.js';
import { deletedScoreKeys, refreshScoreMeans } from '../scores/trace-score-means.js';
import { subtractScoreSums } from '../totals/group-score-sums.js';

/** A row of `alias` whose trace is not stored. */
const noTrace = (alias: string) => `(${alias}.trace_id IS NULL OR NOT EXISTS (SELECT 1 FROM traces t WHERE t.project_id = ${alias}.project_id AND t.id = ${alias}.trace_id))`;

/**
 * Deletes up to `limit` traces stamped before `cutoff`, oldest first, through the API's deletion
 * path (rollups, totals, sessions, logged events, comments and queue items kept right); each
 * trace's time is checked again under its lock. Returns the ids deleted.
 */
export async function deleteExpiredTraces(db: WritableDb, d: SqlDialect, projectId: string, cutoff: number, limit: number): Promise<string[]> {
  const rows = await db.all<{ id: string }>('SELECT id FROM traces WHERE project_id = ? AND timestamp < ? ORDER BY timestamp LIMIT ?', [projectId, cutoff, limit]);
  if (rows.length === 0) return [];
  return deleteTraceRows(db, d, projectId, rows.map((r) => String(r.id)), cutoff);
}

/**
 * Deletes up to `limit` observations (by start time) and `limit` scores (by timestamp) from
 * before `cutoff` that have no stored trace, in one transaction: locked as ingestion locks them
 * (with the traces they name, whose totals they count in) and checked again under the locks.
 */
export async function deleteExpiredOrphans(db: WritableDb, d: SqlDialect, projectId: string, cutoff: number, limit: number): Promise<number> {
  const observations = await db.all<{ id: string; trace_id: string | null }>(
    `SELECT o.id, o.trace_id FROM observations o WHERE o.project_id = ? AND o.start_time < ? AND ${noTrace('o')} LIMIT ?`,
    [projectId, cutoff, limit],
  );
  const scores = await db.all<{ id: string; trace_id: string | null }>(
    `SELECT s.id, s.trace_id FROM scores s WHERE s.project_id = ? AND s.timestamp < ? AND ${noTrace('s')} LIMIT ?`,
    [projectId, cutoff, limit],
  );
  if (observations.length === 0 && scores.length === 0) return 0;
  return db.transaction(async (tx) => {
    const keys = [
      ...observations.map((o) => entityKey(projectId, 'observation', String(o.id))),
      ...scores.map((s) => entityKey(projectId, 'score', String(s.id))),
      ...[...observations, ...scores].filter((x) => x.trace_id !== null).map((x) => entityKey(projectId, 'trace', String(x.trace_id))),
    ];
    await d.lockKeys(tx, [...new Set(keys)].sort());
    const deletedObservations = await deleteWhereStillExpired(tx, 'observations', 'start_time', projectId, observations, cutoff, '*');
    const deletedScores = await deleteWhereStillExpired(tx, 'scores', 'timestamp', projectId, scores, cutoff, '*');
    const observationIds = deletedObservations.map((r) => String(r.id));
    await deleteLogged(tx, d, projectId, 'observation', observationIds);
    await deleteLogged(tx, d, projectId, 'score', deletedScores.map((r) => String(r.id)));
    await deleteReviews(tx, d, projectId, 'OBSERVATION', observationIds);
    await subtractTotals(tx, d, projectId, [], deletedObservations);
    // Scores of a trace not stored count in no group; a session's own scores do.
    await subtractScoreSums(tx, d, projectId, [], deletedScores);
    // These observations' traces are gone (noTrace): no trace contribution changes.
    await subtractDeleted(tx, d, TraceLatencies.ofNone(), projectId, deletedObservations, deletedScores);
    await refreshScoreMeans(tx, d, deletedScoreKeys(projectId, deletedScores));
    return deletedObservations.length + deletedScores.length;
  });
}

async function deleteWhereStillExpired(tx: Db, table: 'observations' | 'scores', time: string, projectId: string, rows: { id: string }[], cutoff: number, returning: string): Promise<Row[]> {
  if (rows.length === 0) return [];
  return tx.all(
    `DELETE FROM ${table} WHERE project_id = ? AND id IN (${placeholders(rows.length)}) AND ${time} < ? AND ${noTrace(table)} RETURNING ${returning}`,
    [projectId, ...rows.map((r) => String(r.id)), cutoff],
  );
}

/** Trace ids with media links from before `cutoff` whose trace is not stored. */
export async function staleMediaTraces(db: Db, projectId: string, cutoff: number, limit: number): Promise<string[]> {
  const rows = await db.all<{ owner_id: string }>(
    `SELECT DISTINCT l.owner_id FROM media_links l WHERE l.project_id = ? AND l.owner_kind = 'trace' AND l.created_at < ?
       AND NOT EXISTS (SELECT 1 FROM traces t WHERE t.project_id = l.project_id AND t.id = l.owner_id) LIMIT ?`,
    [projectId, cutoff, limit],
  );
  return rows.map((r) => String(r.owner_id));
}
