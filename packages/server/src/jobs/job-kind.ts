import type { JobRecord } from '@sightline/storage';

export interface JobContext {
  job: JobRecord;
  /** Aborted when the runner stops and cannot wait any longer; the job is then released, not failed. */
  signal: AbortSignal;
}

/**
 * A kind of job, registered with the runner by name. `run` returns the job's result (stored as
 * JSON with the completion) or throws: a JobError says whether another attempt can help.
 *
 * Exactly-once effects: the runner delivers a job at least once (a crash after the work but before
 * the completion commits runs it again), and commits only the current lease holder's outcome. So
 * a handler's durable writes must be idempotent on the job: derive their ids from `job.id`
 * (an evaluation's score id is built from the job id, and the job's idempotency key makes one job
 * per trace and rule), so a re-run writes the same row again instead of a second one.
 */
export interface JobKind {
  readonly name: string;
  /** Jobs with the same key share the runner's per-key concurrency limit (one key per LLM connection). */
  concurrencyKey?(job: JobRecord): string | null;
  run(payload: unknown, context: JobContext): Promise<unknown>;
}
