import type { Db } from '../db.js';
import type { TraceChangePage } from './types.js';

/**
 * The newest event-log position received at or before `at` (0 when none). A run exports up to
 * it, so events still being committed (a PostgreSQL sequence value is taken before its
 * transaction commits) are left for the next run. Walks the key backwards from the end and
 * stops at the first match, so it reads only the events of the last moments.
 */
export async function eventHorizon(db: Db, at: number): Promise<number> {
  const r = await db.get<{ seq: number }>('SELECT seq FROM events WHERE received_at <= ? ORDER BY seq DESC LIMIT 1', [at]);
  return Number(r?.seq ?? 0);
}

/**
 * A page of the event log in `(afterSeq, toSeq]`: which of the project's traces changed (a trace,
 * observation or score event names its trace). A range read on the log's key: no index beyond it.
 */
export async function traceChanges(db: Db, projectId: string, afterSeq: number, toSeq: number, limit: number): Promise<TraceChangePage> {
  const rows = await db.all<{ seq: number; trace_id: string | null }>(
    'SELECT seq, trace_id FROM events WHERE seq > ? AND seq <= ? AND project_id = ? ORDER BY seq ASC LIMIT ?',
    [afterSeq, toSeq, projectId, limit],
  );
  const done = rows.length < limit;
  const ids = new Set<string>();
  for (const r of rows) if (r.trace_id !== null) ids.add(String(r.trace_id));
  return { traceIds: [...ids], lastSeq: done ? toSeq : Number(rows[rows.length - 1].seq), done };
}
