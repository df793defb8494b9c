import type { EntityKind } from '@sightline/core';
import type { Db, Row, SqlDialect } from '../db.js';
import { entityKey } from '../entity-key.js';
import { traceBefore } from '../ingest/apply-events.js';
import { rowToObservation, rowToTrace } from '../mappers.js';
import { observationSums, TotalsChange } from '../totals/totals-change.js';
import { chunks, placeholders } from '../queries/where.js';

/*
 * What goes with deleted traces, observations and scores besides their own rows, shared by the
 * API's deletion (delete-traces.ts) and retention (retention/delete-expired.ts).
 */

/** Takes the deleted rows out of the trace, session and user totals. */
export async function subtractTotals(tx: Db, d: SqlDialect, projectId: string, traces: Row[], observations: Row[]): Promise<void> {
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

/** Deletes the logged events of the entities, so that a later replay cannot bring them back. */
export async function deleteLogged(tx: Db, d: SqlDialect, projectId: string, kind: EntityKind, ids: string[]): Promise<void> {
  for (const part of chunks(ids, d.maxParams - 2)) {
    await tx.run(`DELETE FROM events WHERE project_id = ? AND entity_kind = ? AND entity_id IN (${placeholders(part.length)})`, [projectId, kind, ...part]);
  }
}

/** Deletes the comments on the objects and the annotation-queue items that review them. */
export async function deleteReviews(tx: Db, d: SqlDialect, projectId: string, type: 'TRACE' | 'OBSERVATION' | 'SESSION', ids: string[]): Promise<void> {
  for (const part of chunks(ids, d.maxParams - 3)) {
    const args = [projectId, type, ...part];
    await tx.run(`DELETE FROM comments WHERE project_id = ? AND object_type = ? AND object_id IN (${placeholders(part.length)})`, args);
    await tx.run(
      `DELETE FROM annotation_queue_skips WHERE project_id = ? AND item_id IN
         (SELECT i.id FROM annotation_queue_items i WHERE i.project_id = ? AND i.object_type = ? AND i.object_id IN (${placeholders(part.length)}))`,
      [projectId, ...args],
    );
    await tx.run(`DELETE FROM annotation_queue_items WHERE project_id = ? AND object_type = ? AND object_id IN (${placeholders(part.length)})`, args);
  }
}

/**
 * Brings the sessions of deleted traces in line with the traces left, as ingestion does
 * (apply-events.ts): a session without traces is deleted with its comments and queue items,
 * the others take their environment and first trace from their earliest trace left. Session
 * rows are locked after the entity locks the caller holds, in key order, as ingestion locks them.
 */
export async function refreshSessions(tx: Db, d: SqlDialect, projectId: string, traces: Row[]): Promise<void> {
  const ids = [...new Set(traces.map((t) => t.session_id).filter((s): s is string => typeof s === 'string'))].sort();
  if (ids.length === 0) return;
  await d.lockKeys(tx, ids.map((id) => entityKey(projectId, 'session', id)).sort());
  for (const part of chunks(ids, Math.floor((d.maxParams - 2) / 5))) {
    const first = await firstTracesOf(tx, projectId, part);
    const kept = part.filter((id) => first.has(id));
    if (kept.length > 0) {
      // One statement for all of them: a CASE per column, keyed by session id.
      const set = (column: string, value: (f: FirstTrace) => unknown, type = 'TEXT') => ({
        sql: `${column} = CAST(CASE id ${kept.map(() => 'WHEN ? THEN ?').join(' ')} END AS ${type})`,
        params: kept.flatMap((id) => [id, value(first.get(id)!)]),
      });
      const cols = [set('environment', (f) => f.environment), set('first_trace_timestamp', (f) => f.ts, 'BIGINT'), set('first_trace_id', (f) => f.id)];
      await tx.run(`UPDATE sessions SET ${cols.map((c) => c.sql).join(', ')} WHERE project_id = ? AND id IN (${placeholders(kept.length)})`, [
        ...cols.flatMap((c) => c.params), projectId, ...kept,
      ]);
    }
    const gone = part.filter((id) => !first.has(id));
    if (gone.length > 0) await tx.run(`DELETE FROM sessions WHERE project_id = ? AND id IN (${placeholders(gone.length)})`, [projectId, ...gone]);
    await deleteReviews(tx, d, projectId, 'SESSION', gone);
  }
}

type FirstTrace = { ts: number; id: string; environment: string };

/** Each session's first trace by (timestamp, id), as `firstTraceOf` (apply-events.ts) finds it, for many sessions in one query. */
async function firstTracesOf(tx: Db, projectId: string, sessionIds: string[]): Promise<Map<string, FirstTrace>> {
  const rows = await tx.all<Row>(
    `SELECT t.session_id, t.id, t.timestamp, t.environment FROM traces t WHERE t.project_id = ? AND t.session_id IN (${placeholders(sessionIds.length)})
       AND t.timestamp = (SELECT MIN(x.timestamp) FROM traces x WHERE x.project_id = t.project_id AND x.session_id = t.session_id)`,
    [projectId, ...sessionIds],
  );
  const out = new Map<string, FirstTrace>();
  for (const r of rows) {
    const candidate = { ts: Number(r.timestamp), id: String(r.id), environment: String(r.environment) };
    const current = out.get(String(r.session_id));
    if (!current || traceBefore(candidate, current)) out.set(String(r.session_id), candidate);
  }
  return out;
}

/** Of the given trace ids (one statement's worth), those whose trace is stored with a timestamp before `cutoff`. */
export async function tracesOlderThan(tx: Db, projectId: string, ids: string[], cutoff: number): Promise<string[]> {
  const rows = await tx.all<{ id: string }>(`SELECT id FROM traces WHERE project_id = ? AND id IN (${placeholders(ids.length)}) AND timestamp < ?`, [projectId, ...ids, cutoff]);
  return rows.map((r) => String(r.id));
}
