import type { Db, Row, SqlDialect } from '../db.js';
import { entityKey } from '../entity-key.js';
import { insertRows } from '../ingest/bulk-sql.js';
import { chunks } from '../queries/where.js';

/*
 * trace_score_means: per trace and score name, the sum, count and mean of the trace's scores of
 * that name, so the traces list sorted by a score walks an index (trace_score_means_mean) a page
 * at a time instead of grouping every score of the name. Each row is recomputed from the scores
 * table, never incremented: after any commit or deletion that touches a (trace, name), its row is
 * what the stored scores say, whatever order the events came in. The values are summed in
 * ascending order so that the mean does not depend on the order rows come back in either.
 */

/** One trace's scores of one name. */
export interface ScoreMeanKey {
  projectId: string;
  traceId: string;
  name: string;
}

interface ScoreLike {
  projectId: string;
  traceId?: string | null;
  name: string;
}

/** The (trace, name) pairs a change of scores touches: those of the stored rows and of their new state. */
export function scoreMeanKeys(changed: readonly ScoreLike[], previous: readonly (ScoreLike | undefined)[]): ScoreMeanKey[] {
  const out: ScoreMeanKey[] = [];
  for (const s of [...changed, ...previous]) if (s?.traceId) out.push({ projectId: s.projectId, traceId: s.traceId, name: s.name });
  return out;
}

/** The keys of deleted score rows (`RETURNING project_id, trace_id, name`). */
export const deletedScoreKeys = (projectId: string, rows: readonly Row[]): ScoreMeanKey[] =>
  rows.filter((r) => r.trace_id !== null && r.trace_id !== undefined).map((r) => ({ projectId, traceId: String(r.trace_id), name: String(r.name) }));

const lockKey = (k: ScoreMeanKey) => entityKey(k.projectId, 'trace-score', `${k.traceId}\u0000${k.name}`);

/**
 * Brings the rows of `keys` in line with the stored scores, inside the caller's transaction.
 * Call it last in a transaction: it locks the keys (a lock level of their own, after entities
 * and sessions), so a concurrent writer of another score of the same trace and name waits and
 * then reads this one's committed rows; holding no other lock after it, it cannot deadlock.
 */
export async function refreshScoreMeans(tx: Db, d: SqlDialect, keys: readonly ScoreMeanKey[]): Promise<void> {
  const unique = new Map(keys.map((k) => [lockKey(k), k]));
  if (unique.size === 0) return;
  await d.lockKeys(tx, [...unique.keys()].sort());
  const byProject = new Map<string, ScoreMeanKey[]>();
  for (const k of unique.values()) {
    const list = byProject.get(k.projectId) ?? [];
    list.push(k);
    byProject.set(k.projectId, list);
  }
  for (const [projectId, all] of byProject) {
    for (const part of chunks(all, Math.floor((d.maxParams - 1) / 2 / 2))) {
      const pairs = part.map(() => '(?, ?)').join(', ');
      const pairParams = part.flatMap((k) => [k.name, k.traceId]);
      const rows = await tx.all<Row>(
        `SELECT name, trace_id, value FROM scores WHERE project_id = ? AND (name, trace_id) IN (VALUES ${pairs})`,
        [projectId, ...pairParams],
      );
      const values = new Map<string, number[]>();
      for (const r of rows) {
        const key = `${String(r.name)}\u0000${String(r.trace_id)}`;
        const list = values.get(key) ?? [];
        list.push(Number(r.value));
        values.set(key, list);
      }
      const upserts: unknown[][] = [];
      const gone: ScoreMeanKey[] = [];
      for (const k of part) {
        const vs = values.get(`${k.name}\u0000${k.traceId}`);
        if (!vs) {
          gone.push(k);
          continue;
        }
        const sum = vs.sort((a, b) => a - b).reduce((a, b) => a + b, 0);
        upserts.push([projectId, k.name, k.traceId, sum, vs.length, sum / vs.length]);
      }
      if (gone.length > 0) {
        await tx.run(`DELETE FROM trace_score_means WHERE project_id = ? AND (name, trace_id) IN (VALUES ${gone.map(() => '(?, ?)').join(', ')})`, [
          projectId, ...gone.flatMap((k) => [k.name, k.traceId]),
        ]);
      }
      await insertRows(tx, d, 'trace_score_means', ['project_id', 'name', 'trace_id', 'value_sum', 'value_count', 'mean'], upserts, {
        keys: ['project_id', 'name', 'trace_id'],
        action: 'update',
      });
    }
  }
}
