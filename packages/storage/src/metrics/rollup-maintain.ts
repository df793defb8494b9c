import type { AnyRecord, EntityKind, ObservationRecord, TraceRecord } from '@sightline/core';
import type { Db, Row, SqlDialect, WritableDb } from '../db.js';
import { entityKey } from '../entity-key.js';
import { rowToObservation, rowToTrace } from '../mappers.js';
import { RollupDelta } from './rollup-delta.js';
import { observationSpec, traceSpec } from './rollup-specs.js';

/** Bump when the rollup layout or the histogram changes: storage rebuilds rollups on open. */
export const ROLLUP_VERSION = 2;

const TABLES = ['observation_rollups', 'trace_rollups'];

/**
 * The ingestion hook: for every trace and observation a commit changed, takes back what its
 * stored state contributed to the rollups and adds what its new state contributes. Runs in
 * the commit's transaction. `current` is apply-events' map of stored states, keyed
 * by `entityKey`.
 */
export async function updateRollups(tx: Db, d: SqlDialect, changed: Record<EntityKind, AnyRecord[]>, current: Map<string, AnyRecord>): Promise<void> {
  const delta = new RollupDelta();
  for (const t of changed.trace as TraceRecord[]) {
    const prev = current.get(entityKey(t.projectId, 'trace', t.id)) as TraceRecord | undefined;
    if (prev) delta.add(traceSpec, prev.projectId, prev, -1);
    delta.add(traceSpec, t.projectId, t, 1);
  }
  for (const o of changed.observation as ObservationRecord[]) {
    const prev = current.get(entityKey(o.projectId, 'observation', o.id)) as ObservationRecord | undefined;
    if (prev) delta.add(observationSpec, prev.projectId, prev, -1);
    delta.add(observationSpec, o.projectId, o, 1);
  }
  await delta.flush(tx, d);
}

/**
 * Takes back the contributions of deleted rows (as `DELETE … RETURNING *` gave them), inside the
 * deleting transaction. Only rows this transaction removed are subtracted, so two deletions of
 * one trace cannot both take it back.
 */
export async function subtractDeleted(tx: Db, d: SqlDialect, projectId: string, traces: Row[], observations: Row[]): Promise<void> {
  const delta = new RollupDelta();
  for (const row of traces) delta.add(traceSpec, projectId, rowToTrace(row), -1);
  for (const row of observations) delta.add(observationSpec, projectId, rowToObservation(row), -1);
  await delta.flush(tx, d);
}

/** Recomputes every rollup from the base tables, in one transaction. */
export async function rebuildRollups(db: WritableDb, d: SqlDialect): Promise<void> {
  await db.transaction(async (tx) => {
    await d.lockKeys(tx, ['rollup_state']);
    await rebuildIn(tx, d);
  });
}

/** Rebuilds the rollups when they were built by another ROLLUP_VERSION, or never (right after migration 3). */
export async function ensureRollups(db: WritableDb, d: SqlDialect): Promise<void> {
  const stateOk = async (tx: Db) => Number((await tx.get<Row>('SELECT version FROM rollup_state WHERE id = 1'))?.version) === ROLLUP_VERSION;
  if (await stateOk(db)) return;
  await db.transaction(async (tx) => {
    await d.lockKeys(tx, ['rollup_state']);
    // Another instance may have rebuilt while this one waited for the lock.
    if (!(await stateOk(tx))) await rebuildIn(tx, d);
  });
}

async function rebuildIn(tx: Db, d: SqlDialect): Promise<void> {
  for (const table of TABLES) await tx.run(`DELETE FROM ${table}`);
  await eachPage(tx, 'traces', async (rows) => {
    const delta = new RollupDelta();
    for (const row of rows) delta.add(traceSpec, String(row.project_id), rowToTrace(row), 1);
    await delta.flush(tx, d);
  });
  await eachPage(tx, 'observations', async (rows) => {
    const delta = new RollupDelta();
    for (const row of rows) delta.add(observationSpec, String(row.project_id), rowToObservation(row), 1);
    await delta.flush(tx, d);
  });
  await tx.run('DELETE FROM rollup_state');
  await tx.run('INSERT INTO rollup_state (id, version) VALUES (1, ?)', [ROLLUP_VERSION]);
}

/** Reads a table in primary-key order, a page at a time, so memory stays bounded. */
async function eachPage(tx: Db, table: string, fn: (rows: Row[]) => Promise<void>): Promise<void> {
  let after: [string, string] | null = null;
  for (;;) {
    const rows: Row[] = after
      ? await tx.all<Row>(`SELECT * FROM ${table} WHERE project_id > ? OR (project_id = ? AND id > ?) ORDER BY project_id, id LIMIT 5000`, [after[0], after[0], after[1]])
      : await tx.all<Row>(`SELECT * FROM ${table} ORDER BY project_id, id LIMIT 5000`);
    if (rows.length === 0) return;
    await fn(rows);
    const last = rows[rows.length - 1];
    after = [String(last.project_id), String(last.id)];
  }
}
