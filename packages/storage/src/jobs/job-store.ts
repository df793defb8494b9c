import type { Row, SqlDialect, WritableDb } from '../db.js';
import { json, num, str } from '../mappers.js';
import { pageParams, placeholders } from '../queries/where.js';
import type { Page, Paged } from '../types.js';
import type { ClaimRequest, JobQuery, JobRecord, JobState, NewJob } from './types.js';

/**
 * The durable job queue. A runner claims due jobs with a lease (its owner id and an expiry);
 * every later write of a claimed job is fenced on that lease, so a runner whose lease expired and
 * was taken over can no longer complete, retry or fail the job: only the current holder's outcome
 * is committed. Expired leases are claimable again, which is how a killed process's jobs run.
 */
export interface JobStore {
  /** Adds a job, unless the project has one with the same idempotency key: then that one is returned. */
  enqueue(job: NewJob): Promise<{ job: JobRecord; created: boolean }>;
  /**
   * Leases up to `limit` due jobs (queued and due, or running with an expired lease), oldest due
   * first, counting an attempt on each. Concurrent claimers never get the same job.
   */
  claim(request: ClaimRequest): Promise<JobRecord[]>;
  /** Extends the leases `owner` still holds on `ids`; returns how many it still holds. */
  renew(owner: string, ids: readonly string[], until: number, now: number): Promise<number>;
  /** Marks a job succeeded with its result; false when `owner` no longer holds its lease. */
  complete(id: string, owner: string, result: unknown, now: number): Promise<boolean>;
  /** Queues the job again at `runAt`, recording why the attempt failed; false without the lease. */
  retry(id: string, owner: string, runAt: number, error: string, now: number): Promise<boolean>;
  /** Marks a job failed for good with the reason; false without the lease. */
  fail(id: string, owner: string, error: string, now: number): Promise<boolean>;
  /** Gives a claimed job back without counting the attempt (a graceful shutdown that could not wait for it). */
  release(id: string, owner: string, now: number): Promise<boolean>;
  get(projectId: string, id: string): Promise<JobRecord | null>;
  /** Newest first. */
  list(projectId: string, query: JobQuery, page: Page): Promise<Paged<JobRecord>>;
}

const COLUMNS = [
  'id', 'project_id', 'kind', 'payload', 'state', 'run_at', 'attempts', 'max_attempts', 'lease_owner',
  'lease_expires_at', 'last_error', 'result', 'idempotency_key', 'created_at', 'updated_at', 'finished_at',
];
const LIST = COLUMNS.join(', ');
/** A job's result and error are kept readable but bounded. */
const MAX_ERROR = 2000;

const toJob = (r: Row): JobRecord => ({
  id: String(r.id),
  projectId: String(r.project_id),
  kind: String(r.kind),
  payload: json<unknown>(r.payload, null),
  state: String(r.state) as JobState,
  runAt: Number(r.run_at),
  attempts: Number(r.attempts),
  maxAttempts: Number(r.max_attempts),
  leaseOwner: str(r.lease_owner),
  leaseExpiresAt: num(r.lease_expires_at),
  lastError: str(r.last_error),
  result: json<unknown>(r.result, null),
  idempotencyKey: str(r.idempotency_key),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  finishedAt: num(r.finished_at),
});

const HELD = "id = ? AND state = 'running' AND lease_owner = ?";

export function createJobStore(db: WritableDb, d: SqlDialect): JobStore {
  const get = async (projectId: string, id: string) => {
    const r = await db.get(`SELECT ${LIST} FROM jobs WHERE project_id = ? AND id = ?`, [projectId, id]);
    return r ? toJob(r) : null;
  };
  const fenced = async (sql: string, params: unknown[]) => (await db.transaction((tx) => tx.run(sql, params))).changes > 0;
  return {
    async enqueue(job) {
      const { changes } = await db.transaction((tx) =>
        tx.run(`INSERT INTO jobs (${LIST}) VALUES (${placeholders(COLUMNS.length)}) ON CONFLICT DO NOTHING`, [
          job.id, job.projectId, job.kind, JSON.stringify(job.payload ?? null), 'queued', job.runAt, 0, job.maxAttempts,
          null, null, null, null, job.idempotencyKey, job.createdAt, job.createdAt, null,
        ]),
      );
      const stored = changes > 0 || job.idempotencyKey === null
        ? await get(job.projectId, job.id)
        : toJob((await db.get(`SELECT ${LIST} FROM jobs WHERE project_id = ? AND idempotency_key = ?`, [job.projectId, job.idempotencyKey]))!);
      if (!stored) throw new Error(`job ${job.id} was neither stored nor found`);
      return { job: stored, created: changes > 0 };
    },
    async claim({ owner, now, leaseMs, limit, kinds }) {
      if (limit <= 0 || kinds.length === 0) return [];
      const claimable = `((state = 'queued' AND run_at <= ?) OR (state = 'running' AND lease_expires_at < ?)) AND kind IN (${placeholders(kinds.length)})`;
      // An idle queue is the common case: a plain read answers it without a write transaction
      // (on SQLite, without taking the single writer's lock every poll).
      if (!(await db.get(`SELECT 1 AS due FROM jobs WHERE ${claimable} LIMIT 1`, [now, now, ...kinds]))) return [];
      const rows = await db.transaction((tx) =>
        tx.all(
          `UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = ?, lease_expires_at = ?, updated_at = ?
           WHERE id IN (SELECT id FROM jobs WHERE ${claimable} ORDER BY run_at, id LIMIT ?${d.claimRows}) RETURNING ${LIST}`,
          [owner, now + leaseMs, now, now, now, ...kinds, limit],
        ),
      );
      return rows.map(toJob).sort((a, b) => a.runAt - b.runAt || (a.id < b.id ? -1 : 1));
    },
    async renew(owner, ids, until, now) {
      if (ids.length === 0) return 0;
      const { changes } = await db.transaction((tx) =>
        tx.run(`UPDATE jobs SET lease_expires_at = ?, updated_at = ? WHERE state = 'running' AND lease_owner = ? AND id IN (${placeholders(ids.length)})`, [until, now, owner, ...ids]),
      );
      return changes;
    },
    complete: (id, owner, result, now) =>
      fenced(`UPDATE jobs SET state = 'succeeded', result = ?, lease_owner = NULL, lease_expires_at = NULL, finished_at = ?, updated_at = ? WHERE ${HELD}`, [
        JSON.stringify(result ?? null), now, now, id, owner,
      ]),
    retry: (id, owner, runAt, error, now) =>
      fenced(`UPDATE jobs SET state = 'queued', run_at = ?, last_error = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = ? WHERE ${HELD}`, [
        runAt, error.slice(0, MAX_ERROR), now, id, owner,
      ]),
    fail: (id, owner, error, now) =>
      fenced(`UPDATE jobs SET state = 'failed', last_error = ?, lease_owner = NULL, lease_expires_at = NULL, finished_at = ?, updated_at = ? WHERE ${HELD}`, [
        error.slice(0, MAX_ERROR), now, now, id, owner,
      ]),
    release: (id, owner, now) =>
      fenced(`UPDATE jobs SET state = 'queued', attempts = attempts - 1, lease_owner = NULL, lease_expires_at = NULL, updated_at = ? WHERE ${HELD}`, [now, id, owner]),
    get,
    async list(projectId, query, { page, limit }) {
      const conds = ['project_id = ?'];
      const params: unknown[] = [projectId];
      for (const [column, value] of [['state', query.state], ['kind', query.kind]] as const) {
        if (value === undefined) continue;
        conds.push(`${column} = ?`);
        params.push(value);
      }
      const where = conds.join(' AND ');
      const total = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM jobs WHERE ${where}`, params);
      const rows = await db.all(`SELECT ${LIST} FROM jobs WHERE ${where} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`, [...params, ...pageParams(page, limit)]);
      return { rows: rows.map(toJob), totalItems: Number(total?.n ?? 0) };
    },
  };
}
