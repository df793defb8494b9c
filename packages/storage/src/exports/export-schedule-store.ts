import type { Db, Row, SqlDialect } from '../db.js';
import { eventHorizon, traceChanges } from './trace-changes.js';
import type { ExportFormat, ExportFrequency, ExportRunResult, ExportSchedule, ExportScheduleSettings, TraceChangePage } from './types.js';

/**
 * Scheduled exports: one schedule per project, its watermark in the event log, and a lease so
 * that of several instances on one PostgreSQL database only one runs a schedule at a time (a
 * conditional UPDATE both engines run the same way; the row is the lock).
 */
export interface ExportScheduleStore {
  get(projectId: string): Promise<ExportSchedule | null>;
  /** Creates or changes the project's schedule; its watermark is kept, its next run is `nextRunAt`. */
  put(projectId: string, settings: ExportScheduleSettings, nextRunAt: number, now: number): Promise<ExportSchedule>;
  /** Removes the schedule (objects already written stay). True when there was one. */
  delete(projectId: string): Promise<boolean>;
  /** Projects whose enabled schedule is due at `now` and not held by a live lease. */
  due(now: number, limit: number): Promise<string[]>;
  /** Takes the run lease when free (and the schedule due, unless `force`); false when not taken. */
  claim(projectId: string, owner: string, now: number, leaseMs: number, force?: boolean): Promise<boolean>;
  /** Extends a lease `owner` holds; false when it lost it. */
  renew(projectId: string, owner: string, until: number): Promise<boolean>;
  /** Records a successful run and releases the lease; false when `owner` no longer held it (nothing recorded). */
  succeed(projectId: string, owner: string, run: ExportRunResult): Promise<boolean>;
  /** Records a failed run (the watermark stays) and releases the lease. */
  fail(projectId: string, owner: string, error: string, at: number, nextRunAt: number): Promise<void>;
  /** See trace-changes.ts. */
  horizon(at: number): Promise<number>;
  changes(projectId: string, afterSeq: number, toSeq: number, limit: number): Promise<TraceChangePage>;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function rowToSchedule(r: Row): ExportSchedule {
  return {
    projectId: String(r.project_id),
    frequency: String(r.frequency) as ExportFrequency,
    formats: String(r.formats).split(',') as ExportFormat[],
    enabled: Boolean(r.enabled),
    watermarkSeq: Number(r.watermark_seq),
    watermarkAt: num(r.watermark_at),
    nextRunAt: Number(r.next_run_at),
    leaseOwner: r.lease_owner === null ? null : String(r.lease_owner),
    leaseUntil: num(r.lease_until),
    lastRunAt: num(r.last_run_at),
    lastStatus: r.last_status === null ? null : (String(r.last_status) as 'ok' | 'error'),
    lastError: r.last_error === null ? null : String(r.last_error),
    lastObjectKeys: r.last_object_keys ? (JSON.parse(String(r.last_object_keys)) as string[]) : [],
    lastTraceCount: num(r.last_trace_count),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function createExportScheduleStore(db: Db, d: SqlDialect): ExportScheduleStore {
  const get = async (projectId: string) => {
    const r = await db.get<Row>('SELECT * FROM export_schedules WHERE project_id = ?', [projectId]);
    return r ? rowToSchedule(r) : null;
  };
  return {
    get,
    async put(projectId, s, nextRunAt, now) {
      await db.run(
        `INSERT INTO export_schedules (project_id, frequency, formats, enabled, watermark_seq, next_run_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, 0, ?, ?, ?)
         ON CONFLICT (project_id) DO UPDATE SET frequency = excluded.frequency, formats = excluded.formats,
           enabled = excluded.enabled, next_run_at = excluded.next_run_at, updated_at = excluded.updated_at`,
        [projectId, s.frequency, s.formats.join(','), d.bool(s.enabled), nextRunAt, now, now],
      );
      return (await get(projectId)) as ExportSchedule;
    },
    async delete(projectId) {
      return (await db.run('DELETE FROM export_schedules WHERE project_id = ?', [projectId])).changes > 0;
    },
    async due(now, limit) {
      const rows = await db.all<{ project_id: string }>(
        'SELECT project_id FROM export_schedules WHERE next_run_at <= ? AND enabled = ? AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_run_at LIMIT ?',
        [now, d.bool(true), now, limit],
      );
      return rows.map((r) => String(r.project_id));
    },
    async claim(projectId, owner, now, leaseMs, force = false) {
      const due = force ? '' : ' AND next_run_at <= ? AND enabled = ?';
      const r = await db.run(
        `UPDATE export_schedules SET lease_owner = ?, lease_until = ? WHERE project_id = ? AND (lease_until IS NULL OR lease_until < ?)${due}`,
        [owner, now + leaseMs, projectId, now, ...(force ? [] : [now, d.bool(true)])],
      );
      return r.changes === 1;
    },
    async renew(projectId, owner, until) {
      return (await db.run('UPDATE export_schedules SET lease_until = ? WHERE project_id = ? AND lease_owner = ?', [until, projectId, owner])).changes === 1;
    },
    async succeed(projectId, owner, run) {
      const r = await db.run(
        `UPDATE export_schedules SET watermark_seq = ?, watermark_at = ?, next_run_at = ?, last_run_at = ?, last_status = 'ok', last_error = NULL,
           last_object_keys = ?, last_trace_count = ?, lease_owner = NULL, lease_until = NULL WHERE project_id = ? AND lease_owner = ?`,
        [run.watermarkSeq, run.watermarkAt, run.nextRunAt, run.at, JSON.stringify(run.objectKeys), run.traceCount, projectId, owner],
      );
      return r.changes === 1;
    },
    async fail(projectId, owner, error, at, nextRunAt) {
      await db.run(
        `UPDATE export_schedules SET last_run_at = ?, last_status = 'error', last_error = ?, next_run_at = ?, lease_owner = NULL, lease_until = NULL
         WHERE project_id = ? AND lease_owner = ?`,
        [at, error.slice(0, 1000), nextRunAt, projectId, owner],
      );
    },
    horizon: (at) => eventHorizon(db, at),
    changes: (projectId, afterSeq, toSeq, limit) => traceChanges(db, projectId, afterSeq, toSeq, limit),
  };
}
