import type { EntityKind } from '@sightline/core';
import type { Db, Row, SqlDialect, WritableDb } from '../db.js';
import { entityKey } from '../entity-key.js';
import { subtractDeleted } from '../metrics/rollup-maintain.js';
import { TraceLatencies } from '../metrics/trace-latency.js';
import { chunks, placeholders } from '../queries/where.js';
import { deleteLogged, deleteReviews, refreshSessions, subtractTotals, tracesOlderThan } from './delete-related.js';
import { deletedScoreKeys, refreshScoreMeans } from '../scores/trace-score-means.js';
import { subtractScoreSums } from '../totals/group-score-sums.js';

/**
 * Entity locks one deleting transaction takes at most: PostgreSQL keeps them in a shared table
 * of fixed size, so a trace with tens of thousands of observations is deleted a slice at a time.
 */
const MAX_LOCKS = 2000;

/**
 * Deletes traces with everything hanging off them: tags, observations, scores, the comments and
 * annotation-queue items on the trace and its observations, and the logged events of all of
 * these, so that a later replay cannot bring any of them back; takes what the deleted rows
 * counted back out of the rollups and totals, and drops sessions left without traces.
 * Returns how many trace rows existed.
 *
 * Concurrent ingestion (PostgreSQL) is kept out by the same per-entity locks it takes, and the
 * rollups are corrected by exactly the rows each transaction deleted (`RETURNING`), so a trace
 * deleted twice at once, or re-created while being deleted, is never subtracted twice. Large
 * deletions run as several transactions (children first), each consistent on its own; one
 * that fails leaves the rest for the client's retry.
 */
export async function deleteTraces(db: WritableDb, d: SqlDialect, projectId: string, ids: string[]): Promise<number> {
  return (await deleteTraceRows(db, d, projectId, ids)).length;
}

/**
 * `deleteTraces`, returning the ids of the traces deleted. With `olderThan`, a trace is deleted
 * only if, under its lock, its timestamp is still before it (ingestion may have moved it since
 * it was chosen), so retention never deletes what became recent.
 */
export async function deleteTraceRows(db: WritableDb, d: SqlDialect, projectId: string, ids: string[], olderThan?: number): Promise<string[]> {
  const deleted: string[] = [];
  for (const batch of chunks([...new Set(ids)], MAX_LOCKS / 2)) {
    while (await db.transaction((tx) => deleteSomeChildren(tx, d, projectId, batch, olderThan))) {
      // a slice of children is gone; the next transaction takes the next one
    }
    deleted.push(...(await db.transaction((tx) => deleteAll(tx, d, projectId, batch, olderThan))));
  }
  return deleted;
}

/** When the traces have more children than one transaction may lock, deletes a slice of them; false when they all fit. */
async function deleteSomeChildren(tx: Db, d: SqlDialect, projectId: string, requested: string[], olderThan: number | undefined): Promise<boolean> {
  const slice = MAX_LOCKS - requested.length;
  const children = await childrenOf(tx, d, projectId, requested, slice + 1);
  if (children.length <= slice) return false;
  // The traces too: their totals change with their observations.
  await d.lockKeys(tx, [...children.map((c) => entityKey(projectId, c.kind, c.id)), ...requested.map((id) => entityKey(projectId, 'trace', id))].sort());
  const traceIds = olderThan === undefined ? requested : await tracesOlderThan(tx, projectId, requested, olderThan);
  if (traceIds.length === 0) return false;
  const list = `(${placeholders(traceIds.length)})`;
  const latencies = await TraceLatencies.ofStored(tx, d, projectId, traceIds);
  const observations: Row[] = [];
  const scores: Row[] = [];
  for (const [kind, table] of [['observation', 'observations'], ['score', 'scores']] as const) {
    const own = children.filter((c) => c.kind === kind).map((c) => c.id);
    for (const part of chunks(own, d.maxParams - traceIds.length - 1)) {
      const rows = await tx.all(
        `DELETE FROM ${table} WHERE project_id = ? AND id IN (${placeholders(part.length)}) AND trace_id IN ${list} RETURNING *`,
        [projectId, ...part, ...traceIds],
      );
      if (kind === 'observation') observations.push(...rows);
      else scores.push(...rows);
    }
  }
  const observationIds = observations.map((r) => String(r.id));
  await deleteLogged(tx, d, projectId, 'observation', observationIds);
  await deleteLogged(tx, d, projectId, 'score', scores.map((r) => String(r.id)));
  await deleteReviews(tx, d, projectId, 'OBSERVATION', observationIds);
  await subtractTotals(tx, d, projectId, [], observations);
  await subtractScoreSums(tx, d, projectId, [], scores);
  await subtractDeleted(tx, d, latencies, projectId, observations, scores);
  await refreshScoreMeans(tx, d, deletedScoreKeys(projectId, scores));
  return true;
}

/** Deletes the traces and all their (few enough) children in one transaction; returns the ids of the traces deleted. */
async function deleteAll(tx: Db, d: SqlDialect, projectId: string, requested: string[], olderThan: number | undefined): Promise<string[]> {
  await lockTraces(tx, d, projectId, requested);
  const traceIds = olderThan === undefined ? requested : await tracesOlderThan(tx, projectId, requested, olderThan);
  if (traceIds.length === 0) return [];
  const list = `(${placeholders(traceIds.length)})`;
  const one = [projectId, ...traceIds];
  const latencies = await TraceLatencies.ofStored(tx, d, projectId, traceIds);
  const observations = await tx.all(`DELETE FROM observations WHERE project_id = ? AND trace_id IN ${list} RETURNING *`, one);
  const scores = await tx.all<Row>(`DELETE FROM scores WHERE project_id = ? AND trace_id IN ${list} RETURNING *`, one);
  await tx.run(`DELETE FROM trace_tags WHERE project_id = ? AND trace_id IN ${list}`, one);
  const traces = await tx.all(`DELETE FROM traces WHERE project_id = ? AND id IN ${list} RETURNING *`, one);
  const observationIds = observations.map((r) => String(r.id));
  // Logged events are found by entity (the log's only secondary index), whatever trace id each event repeated.
  await deleteLogged(tx, d, projectId, 'trace', traceIds);
  await deleteLogged(tx, d, projectId, 'observation', observationIds);
  await deleteLogged(tx, d, projectId, 'score', scores.map((r) => String(r.id)));
  await deleteReviews(tx, d, projectId, 'TRACE', traceIds);
  await deleteReviews(tx, d, projectId, 'OBSERVATION', observationIds);
  // Sessions, totals, rollups: the order ingestion writes them in, so the two never wait on each other in a cycle.
  await refreshSessions(tx, d, projectId, traces);
  await subtractTotals(tx, d, projectId, traces, observations);
  await subtractScoreSums(tx, d, projectId, traces, scores);
  await subtractDeleted(tx, d, latencies, projectId, observations, scores);
  await refreshScoreMeans(tx, d, deletedScoreKeys(projectId, scores));
  return traces.map((r) => String(r.id));
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
    wanted.push(...(await childrenOf(tx, d, projectId, ids)).map((c) => entityKey(projectId, c.kind, c.id)));
    const missing = [...new Set(wanted.filter((k) => !locked.has(k)))].sort();
    if (missing.length === 0) return;
    await d.lockKeys(tx, missing);
    for (const k of missing) locked.add(k);
    wanted = [];
  }
}

/** The observations and scores stored under the traces (`ids` fit one statement), at most `limit` of them. */
async function childrenOf(tx: Db, d: SqlDialect, projectId: string, ids: string[], limit?: number): Promise<{ kind: EntityKind; id: string }[]> {
  const list = `(${placeholders(ids.length)})`;
  return tx.all<{ kind: EntityKind; id: string }>(
    `SELECT 'observation' AS kind, id FROM observations WHERE project_id = ? AND trace_id IN ${list}
      UNION ALL SELECT 'score' AS kind, id FROM scores WHERE project_id = ? AND trace_id IN ${list}${limit === undefined ? '' : ` LIMIT ${limit}`}`,
    [projectId, ...ids, projectId, ...ids],
  );
}
