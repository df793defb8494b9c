import type { AnyRecord, EntityKind, ObservationRecord, ScoreRecord } from '@sightline/core';
import type { Db, Row, SqlDialect, WritableDb } from '../db.js';
import { entityKey } from '../entity-key.js';
import { rowToObservation, rowToScore } from '../mappers.js';
import { RollupDelta } from './rollup-delta.js';
import { observationSpec, scoreSpec, traceSpec } from './rollup-specs.js';
import { rowContribution, TRACE_LATENCY_SQL, TRACE_TOTALS_JOIN, type TraceLatencies } from './trace-latency.js';

/**
 * The rollup tables in parts, each built from the base tables on its own: `rollup_state` row
 * `id` holds the version a part was built by. Bump a part's version when its layout or its
 * contributions change (storage rebuilds that part on open); a part added later (scores) is
 * built on open without rebuilding the others.
 */
const PARTS = [
  { id: 1, version: 2, tables: ['observation_rollups'], sources: ['observations'] },
  { id: 2, version: 1, tables: ['score_rollups'], sources: ['scores'] },
  { id: 3, version: 1, tables: ['trace_rollups'], sources: ['traces'] },
] as const;
type Part = (typeof PARTS)[number];

/** Adds a base-table row's contribution to a delta, per source table. */
const ADD_ROW: Record<Part['sources'][number], (delta: RollupDelta, row: Row) => void> = {
  traces: (delta, row) => delta.add(traceSpec, String(row.project_id), rowContribution(row), 1),
  observations: (delta, row) => delta.add(observationSpec, String(row.project_id), rowToObservation(row), 1),
  scores: (delta, row) => delta.add(scoreSpec, String(row.project_id), rowToScore(row), 1),
};

/**
 * The ingestion hook: for every trace, observation and score a commit changed, takes back what its
 * stored state contributed to the rollups and adds what its new state contributes. Runs in
 * the commit's transaction. `current` is apply-events' map of stored states, keyed
 * by `entityKey`; `latencies` the commit's TotalsChange.latencies (the touched traces are not read again).
 */
export async function updateRollups(
  tx: Db, d: SqlDialect, changed: Record<EntityKind, AnyRecord[]>, current: Map<string, AnyRecord>, traces: TraceLatencies,
  latencies?: ReadonlyMap<string, number | null>,
): Promise<void> {
  const delta = new RollupDelta();
  await addTraceChanges(tx, d, delta, traces, latencies);
  for (const o of changed.observation as ObservationRecord[]) {
    const prev = current.get(entityKey(o.projectId, 'observation', o.id)) as ObservationRecord | undefined;
    if (prev) delta.add(observationSpec, prev.projectId, prev, -1);
    delta.add(observationSpec, o.projectId, o, 1);
  }
  for (const s of changed.score as ScoreRecord[]) {
    const prev = current.get(entityKey(s.projectId, 'score', s.id)) as ScoreRecord | undefined;
    if (prev) delta.add(scoreSpec, prev.projectId, prev, -1);
    delta.add(scoreSpec, s.projectId, s, 1);
  }
  await delta.flush(tx, d);
}

/** Each touched trace's contribution taken back and its new one added (trace-latency.ts). */
async function addTraceChanges(tx: Db, d: SqlDialect, delta: RollupDelta, traces: TraceLatencies, latencies?: ReadonlyMap<string, number | null>): Promise<void> {
  for (const { projectId, before, after } of await traces.changes(tx, d, latencies)) {
    if (before) delta.add(traceSpec, projectId, before, -1);
    if (after) delta.add(traceSpec, projectId, after, 1);
  }
}

/**
 * Takes back the contributions of deleted rows (as `DELETE … RETURNING *` gave them), inside the
 * deleting transaction, after the totals: `traces` are the traces whose rows or observations
 * were deleted, read before (TraceLatencies.ofStored). Only rows this transaction removed are
 * subtracted, so two deletions of one trace cannot both take it back.
 */
export async function subtractDeleted(tx: Db, d: SqlDialect, traces: TraceLatencies, projectId: string, observations: Row[], scores: Row[] = []): Promise<void> {
  const delta = new RollupDelta();
  await addTraceChanges(tx, d, delta, traces);
  for (const row of observations) delta.add(observationSpec, projectId, rowToObservation(row), -1);
  for (const row of scores) delta.add(scoreSpec, projectId, rowToScore(row), -1);
  await delta.flush(tx, d);
}

/** Recomputes every rollup from the base tables, in one transaction. */
export async function rebuildRollups(db: WritableDb, d: SqlDialect): Promise<void> {
  await db.transaction(async (tx) => {
    await d.lockKeys(tx, ['rollup_state']);
    for (const part of PARTS) await rebuildPart(tx, d, part);
  });
}

/** Builds the parts of the rollups built by another version, or never (right after the migration that created them). */
export async function ensureRollups(db: WritableDb, d: SqlDialect): Promise<void> {
  const stale = async (tx: Db) => {
    const rows = await tx.all<Row>('SELECT id, version FROM rollup_state');
    const built = new Map(rows.map((r) => [Number(r.id), Number(r.version)]));
    return PARTS.filter((p) => built.get(p.id) !== p.version);
  };
  if ((await stale(db)).length === 0) return;
  await db.transaction(async (tx) => {
    await d.lockKeys(tx, ['rollup_state']);
    // Another instance may have built them while this one waited for the lock.
    for (const part of await stale(tx)) await rebuildPart(tx, d, part);
  });
}

async function rebuildPart(tx: Db, d: SqlDialect, part: Part): Promise<void> {
  for (const table of part.tables) await tx.run(`DELETE FROM ${table}`);
  for (const source of part.sources) {
    await eachPage(tx, SOURCE_SQL[source], async (rows) => {
      const delta = new RollupDelta();
      for (const row of rows) ADD_ROW[source](delta, row);
      await delta.flush(tx, d);
    });
  }
  await tx.run('DELETE FROM rollup_state WHERE id = ?', [part.id]);
  await tx.run('INSERT INTO rollup_state (id, version) VALUES (?, ?)', [part.id, part.version]);
}

/** Each source's rows, aliased `x`: traces with their latency. */
const SOURCE_SQL: Record<Part['sources'][number], string> = {
  traces: `SELECT * FROM (SELECT t.*, ${TRACE_LATENCY_SQL} AS latency FROM traces t ${TRACE_TOTALS_JOIN}) x`,
  observations: 'SELECT * FROM observations x',
  scores: 'SELECT * FROM scores x',
};

/** Reads a source in primary-key order, a page at a time, so memory stays bounded. */
async function eachPage(tx: Db, source: string, fn: (rows: Row[]) => Promise<void>): Promise<void> {
  let after: [string, string] | null = null;
  for (;;) {
    const rows: Row[] = after
      ? await tx.all<Row>(`${source} WHERE x.project_id > ? OR (x.project_id = ? AND x.id > ?) ORDER BY x.project_id, x.id LIMIT 5000`, [after[0], after[0], after[1]])
      : await tx.all<Row>(`${source} ORDER BY x.project_id, x.id LIMIT 5000`);
    if (rows.length === 0) return;
    await fn(rows);
    const last = rows[rows.length - 1];
    after = [String(last.project_id), String(last.id)];
  }
}
