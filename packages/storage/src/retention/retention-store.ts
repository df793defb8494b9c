import type { Db, SqlDialect, WritableDb } from '../db.js';
import { deleteExpiredOrphans, deleteExpiredTraces, staleMediaTraces } from './delete-expired.js';

/** A project whose data is kept for a limited time. */
export interface RetentionPeriod {
  projectId: string;
  days: number;
}

/** What one retention batch deleted. */
export interface ExpiredBatch {
  /** Ids of the traces deleted (their media is the caller's to delete). */
  traceIds: string[];
  /** Observations and scores deleted that had no stored trace. */
  orphans: number;
}

/**
 * Retention: each project's period, the lease that lets one sweeper at a time work on a project
 * (several servers share one PostgreSQL database), and the bounded deletions a sweeper runs.
 */
export interface RetentionStore {
  /** The project's period in days (null: kept forever); undefined when there is no such project. */
  get(projectId: string): Promise<number | null | undefined>;
  /** Sets or (null) clears the period; false when there is no such project. */
  set(projectId: string, days: number | null): Promise<boolean>;
  /** Projects with a period, oldest project first. */
  list(): Promise<RetentionPeriod[]>;
  /**
   * Takes or renews the project's sweeper lease for `holder` until `until`; false while another
   * holder's lease has not expired at `now`.
   */
  lease(projectId: string, holder: string, now: number, until: number): Promise<boolean>;
  /** Gives the lease up (when `holder` has it). */
  release(projectId: string, holder: string): Promise<void>;
  /**
   * Deletes up to `limit` of the project's traces stamped before `cutoff` with everything they
   * own (the API's deletion path), then, when fewer were left, up to `limit` observations and
   * scores from before `cutoff` whose trace is not stored.
   */
  deleteExpired(projectId: string, cutoff: number, limit: number): Promise<ExpiredBatch>;
  /** Up to `limit` trace ids with media links from before `cutoff` whose trace is not stored (left by an interrupted sweep). */
  staleMediaTraces(projectId: string, cutoff: number, limit: number): Promise<string[]>;
}

export function createRetentionStore(db: WritableDb, d: SqlDialect): RetentionStore {
  return {
    async get(projectId) {
      const r = await db.get<{ retention_days: number | null }>('SELECT retention_days FROM projects WHERE id = ?', [projectId]);
      return r === undefined ? undefined : r.retention_days === null ? null : Number(r.retention_days);
    },
    async set(projectId, days) {
      const { changes } = await db.transaction((tx) => tx.run('UPDATE projects SET retention_days = ? WHERE id = ?', [days, projectId]));
      return changes > 0;
    },
    async list() {
      const rows = await db.all<{ id: string; retention_days: number }>('SELECT id, retention_days FROM projects WHERE retention_days IS NOT NULL ORDER BY created_at, id');
      return rows.map((r) => ({ projectId: String(r.id), days: Number(r.retention_days) }));
    },
    lease: (projectId, holder, now, until) => db.transaction((tx) => takeLease(tx, projectId, holder, now, until)),
    async release(projectId, holder) {
      await db.transaction((tx) => tx.run('DELETE FROM retention_leases WHERE project_id = ? AND holder = ?', [projectId, holder]));
    },
    async deleteExpired(projectId, cutoff, limit) {
      const traceIds = await deleteExpiredTraces(db, d, projectId, cutoff, limit);
      const orphans = traceIds.length < limit ? await deleteExpiredOrphans(db, d, projectId, cutoff, limit) : 0;
      return { traceIds, orphans };
    },
    staleMediaTraces: (projectId, cutoff, limit) => staleMediaTraces(db, projectId, cutoff, limit),
  };
}

/** One upsert decides: the row is (re)written only when free, expired or already ours, so two sweepers never both win. */
async function takeLease(tx: Db, projectId: string, holder: string, now: number, until: number): Promise<boolean> {
  const rows = await tx.all<{ holder: string }>(
    `INSERT INTO retention_leases (project_id, holder, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (project_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE retention_leases.expires_at <= ? OR retention_leases.holder = excluded.holder
     RETURNING holder`,
    [projectId, holder, until, now],
  );
  return rows.length === 1 && rows[0].holder === holder;
}
