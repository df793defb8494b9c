import type { Db, Row } from '../db.js';
import { eventHorizon } from '../exports/trace-changes.js';
import { JOB_STATES } from '../jobs/types.js';
import type { EvaluationWatermark, JobStateCounts, RunItemTarget, TargetChangePage, WatermarkStart } from './types.js';

/**
 * What the execution of evaluation rules keeps beside the job queue: each rule's watermark (how
 * far new targets were queued) with a scan lease, so that of several instances on one PostgreSQL
 * database one scans a rule at a time (a conditional UPDATE, the row is the lock); and the reads
 * the scanner and the bulk runs need (targets in the event log, run items, job counts by key).
 */
export interface EvaluationRunStore {
  /**
   * Takes the rule's scan lease when free, creating its watermark at `start` on first use;
   * returns the watermark, or null when another owner holds a live lease.
   */
  claim(projectId: string, ruleId: string, owner: string, now: number, leaseMs: number, start: WatermarkStart): Promise<EvaluationWatermark | null>;
  /** Moves the watermark and releases the lease; false when `owner` no longer held it (nothing moved). */
  advance(mark: EvaluationWatermark, owner: string, now: number): Promise<boolean>;
  /** Releases the lease without moving the watermark. */
  release(projectId: string, ruleId: string, owner: string): Promise<void>;
  get(projectId: string, ruleId: string): Promise<EvaluationWatermark | null>;
  /** The newest event-log position received at or before `at`. */
  horizon(at: number): Promise<number>;
  /** Traces (by any trace or observation event) or observations with events in `(afterSeq, toSeq]`. */
  changes(projectId: string, target: 'trace' | 'observation', afterSeq: number, toSeq: number, limit: number): Promise<TargetChangePage>;
  /** Run items created after the position `(at, id)` and at or before `until`, oldest first. */
  runItemsAfter(projectId: string, after: { at: number; id: string }, until: number, limit: number): Promise<RunItemTarget[]>;
  getRunItem(projectId: string, id: string): Promise<RunItemTarget | null>;
  /** Jobs of the project whose idempotency key starts with `prefix`, counted by state. */
  jobCounts(projectId: string, prefix: string): Promise<JobStateCounts>;
}

const toMark = (r: Row): EvaluationWatermark => ({
  projectId: String(r.project_id), ruleId: String(r.rule_id), seq: Number(r.watermark_seq), at: Number(r.watermark_at), id: String(r.watermark_id),
});

const RUN_ITEM = `SELECT i.id, r.dataset_id, i.run_id, i.dataset_item_id, i.trace_id, i.observation_id, i.created_at
  FROM dataset_run_items i JOIN dataset_runs r ON r.project_id = i.project_id AND r.id = i.run_id`;
const toRunItem = (r: Row): RunItemTarget => ({
  id: String(r.id), datasetId: String(r.dataset_id), runId: String(r.run_id), datasetItemId: String(r.dataset_item_id),
  traceId: String(r.trace_id), observationId: r.observation_id === null ? null : String(r.observation_id), createdAt: Number(r.created_at),
});

export function createEvaluationRunStore(db: Db): EvaluationRunStore {
  const get = async (projectId: string, ruleId: string) => {
    const r = await db.get<Row>('SELECT * FROM evaluation_watermarks WHERE project_id = ? AND rule_id = ?', [projectId, ruleId]);
    return r ? toMark(r) : null;
  };
  return {
    get,
    async claim(projectId, ruleId, owner, now, leaseMs, start) {
      await db.run(
        `INSERT INTO evaluation_watermarks (project_id, rule_id, watermark_seq, watermark_at, watermark_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, '', ?, ?) ON CONFLICT (project_id, rule_id) DO NOTHING`,
        [projectId, ruleId, start.seq, start.at, now, now],
      );
      const r = await db.run(
        'UPDATE evaluation_watermarks SET lease_owner = ?, lease_until = ? WHERE project_id = ? AND rule_id = ? AND (lease_until IS NULL OR lease_until < ?)',
        [owner, now + leaseMs, projectId, ruleId, now],
      );
      return r.changes === 1 ? get(projectId, ruleId) : null;
    },
    async advance(mark, owner, now) {
      const r = await db.run(
        `UPDATE evaluation_watermarks SET watermark_seq = ?, watermark_at = ?, watermark_id = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL
         WHERE project_id = ? AND rule_id = ? AND lease_owner = ?`,
        [mark.seq, mark.at, mark.id, now, mark.projectId, mark.ruleId, owner],
      );
      return r.changes === 1;
    },
    async release(projectId, ruleId, owner) {
      await db.run('UPDATE evaluation_watermarks SET lease_owner = NULL, lease_until = NULL WHERE project_id = ? AND rule_id = ? AND lease_owner = ?', [projectId, ruleId, owner]);
    },
    horizon: (at) => eventHorizon(db, at),
    async changes(projectId, target, afterSeq, toSeq, limit) {
      const column = target === 'trace' ? 'trace_id' : 'entity_id';
      const kinds = target === 'trace' ? "('trace', 'observation')" : "('observation')";
      const rows = await db.all<{ seq: number; target_id: string | null }>(
        `SELECT seq, ${column} AS target_id FROM events WHERE seq > ? AND seq <= ? AND project_id = ? AND entity_kind IN ${kinds} ORDER BY seq ASC LIMIT ?`,
        [afterSeq, toSeq, projectId, limit],
      );
      const done = rows.length < limit;
      const ids = new Set<string>();
      for (const r of rows) if (r.target_id !== null) ids.add(String(r.target_id));
      return { ids: [...ids], lastSeq: done ? toSeq : Number(rows[rows.length - 1].seq), done };
    },
    async runItemsAfter(projectId, after, until, limit) {
      const rows = await db.all<Row>(
        `${RUN_ITEM} WHERE i.project_id = ? AND i.created_at >= ? AND (i.created_at > ? OR i.id > ?) AND i.created_at <= ?
         ORDER BY i.created_at ASC, i.id ASC LIMIT ?`,
        [projectId, after.at, after.at, after.id, until, limit],
      );
      return rows.map(toRunItem);
    },
    async getRunItem(projectId, id) {
      const r = await db.get<Row>(`${RUN_ITEM} WHERE i.project_id = ? AND i.id = ?`, [projectId, id]);
      return r ? toRunItem(r) : null;
    },
    async jobCounts(projectId, prefix) {
      // SUBSTR rather than LIKE or a key range: no escaping, and no collation can reorder the prefix.
      const rows = await db.all<{ state: string; n: number }>(
        'SELECT state, COUNT(*) AS n FROM jobs WHERE project_id = ? AND SUBSTR(idempotency_key, 1, ?) = ? GROUP BY state',
        [projectId, prefix.length, prefix],
      );
      const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as JobStateCounts;
      for (const r of rows) counts[r.state as keyof JobStateCounts] = Number(r.n);
      return counts;
    },
  };
}
