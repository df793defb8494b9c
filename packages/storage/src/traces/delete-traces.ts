import type { EntityKind } from '@sightline/core';
import type { Db, Row, SqlDialect, WritableDb } from '../db.js';
import { entityKey } from '../entity-key.js';
import { rowToObservation, rowToTrace } from '../mappers.js';
import { subtractDeleted } from '../metrics/rollup-maintain.js';
import { observationSums, TotalsChange } from '../totals/totals-change.js';
import { chunks, placeholders } from '../queries/where.js';

/**
 * Entity locks one deleting transaction takes at most: PostgreSQL keeps them in a shared table
 * of fixed size, so a trace with tens of thousands of observations is deleted a slice at a time.
 */
const MAX_LOCKS = 2000;

/**
 * Deletes traces with everything hanging off them: tags, observations, scores, and the logged
 * events of all of these, so that a later replay cannot bring any of them back; and takes what
 * the deleted rows counted back out of the rollups. Returns how many trace rows existed.
 *
 * Concurrent ingestion (PostgreSQL) is kept out by the same per-entity locks it takes, and the
 * rollups are corrected by exactly the rows each transaction deleted (`RETURNING`), so a trace
 * deleted twice at once, or re-created while being deleted, is never subtracted twice. Large
 * deletions run as several transactions (children first), each consistent on its own; one
 * that fails leaves the rest for the client's retry.
 */
export async function deleteTraces(db: WritableDb, d: SqlDialect, projectId: string, ids: string[]): Promise<number> {
  let deleted = 0;
  for (const batch of chunks([...new Set(ids)], MAX_LOCKS / 2)) {
    while (await db.transaction((tx) => deleteSomeChildren(tx, d, projectId, batch))) {
      // a slice of children is gone; the next transaction takes the next one
    }
    deleted += await db.transaction((tx) => deleteAll(tx, d, projectId, batch));
  }
  return deleted;
}

/** When the traces have more children than one transaction may lock, deletes a slice of them; false when they all fit. */
async function deleteSomeChildren(tx: Db, d: SqlDialect, projectId: string, traceIds: string[]): Promise<boolean> {
  const slice = MAX_LOCKS - traceIds.length;
  const children = await childrenOf(tx, d, projectId, traceIds, slice + 1);
  if (children.length <= slice) return false;
  // The traces too: their totals change with their observations.
  await d.lockKeys(tx, [...children.map((c) => entityKey(projectId, c.kind, c.id)), ...traceIds.map((id) => entityKey(projectId, 'trace', id))].sort());
  const list = `(${placeholders(traceIds.length)})`;
  const observations: Row[] = [];
  const scoreIds: string[] = [];
  for (const [kind, table] of [['observation', 'observations'], ['score', 'scores']] as const) {
    const own = children.filter((c) => c.kind === kind).map((c) => c.id);
    for (const part of chunks(own, d.maxParams - traceIds.length - 1)) {
      const rows = await tx.all(
        `DELETE FROM ${table} WHERE project_id = ? AND id IN (${placeholders(part.length)}) AND trace_id IN ${list} RETURNING *`,
        [projectId, ...part, ...traceIds],
      );
      if (kind === 'observation') observations.push(...rows);
      else scoreIds.push(...rows.map((r) => String(r.id)));
    }
  }
  await deleteLogged(tx, d, projectId, 'observation', observations.map((r) => String(r.id)));
  await deleteLogged(tx, d, projectId, 'score', scoreIds);
  await subtractDeleted(tx, d, projectId, [], observations);
  await subtractTotals(tx, d, projectId, [], observations);
  return true;
}

/** Deletes the traces and all their (few enough) children in one transaction. */
async function deleteAll(tx: Db, d: SqlDialect, projectId: string, traceIds: string[]): Promise<number> {
  await lockTraces(tx, d, projectId, traceIds);
  const list = `(${placeholders(traceIds.length)})`;
  const one = [projectId, ...traceIds];
  const observations = await tx.all(`DELETE FROM observations WHERE project_id = ? AND trace_id IN ${list} RETURNING *`, one);
  const scores = await tx.all<{ id: string }>(`DELETE FROM scores WHERE project_id = ? AND trace_id IN ${list} RETURNING id`, one);
  await tx.run(`DELETE FROM trace_tags WHERE project_id = ? AND trace_id IN ${list}`, one);
  const traces = await tx.all(`DELETE FROM traces WHERE project_id = ? AND id IN ${list} RETURNING *`, one);
  // Logged events are found by entity (the log's only secondary index), whatever trace id each event repeated.
  await deleteLogged(tx, d, projectId, 'trace', traceIds);
  await deleteLogged(tx, d, projectId, 'observation', observations.map((r) => String(r.id)));
  await deleteLogged(tx, d, projectId, 'score', scores.map((r) => r.id));
  await subtractDeleted(tx, d, projectId, traces, observations);
  await subtractTotals(tx, d, projectId, traces, observations);
  return traces.length;
}

/** Takes the deleted rows out of the trace, session and user totals. */
async function subtractTotals(tx: Db, d: SqlDialect, projectId: string, traces: Row[], observations: Row[]): Promise<void> {
  const totals = new TotalsChange();
  for (const row of observations) {
    const o = rowToObservation(row);
    totals.observation(projectId, o.traceId, observationSums(o), -1);
    totals.observationTimes(o, undefined);
  }
  for (const row of traces) {
    const t = rowToTrace(row);
    totals.trace({ projectId, id: t.id, sessionId: t.sessionId, userId: t.userId, timestamp: t.timestamp }, undefined);
  }
  await totals.apply(tx, d);
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

async function deleteLogged(tx: Db, d: SqlDialect, projectId: string, kind: EntityKind, ids: string[]): Promise<void> {
  for (const part of chunks(ids, d.maxParams - 2)) {
    await tx.run(`DELETE FROM events WHERE project_id = ? AND entity_kind = ? AND entity_id IN (${placeholders(part.length)})`, [projectId, kind, ...part]);
  }
}
