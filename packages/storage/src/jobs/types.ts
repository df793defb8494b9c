/** queued → running → succeeded | failed; a retry or a released lease goes back to queued. */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed';
export const JOB_STATES: readonly JobState[] = ['queued', 'running', 'succeeded', 'failed'];

/** One unit of background work, durable in the database. */
export interface JobRecord {
  id: string;
  projectId: string;
  /** The registered handler that runs it. */
  kind: string;
  payload: unknown;
  state: JobState;
  /** Not claimed before this time (epoch ms): the delay, or the backoff after a failed attempt. */
  runAt: number;
  /** Claims so far, the current one included (a claim lost to a crash counts). */
  attempts: number;
  maxAttempts: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  lastError: string | null;
  result: unknown;
  /** Unique per project: enqueueing the same key again returns the existing job. */
  idempotencyKey: string | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export interface NewJob {
  id: string;
  projectId: string;
  kind: string;
  payload: unknown;
  runAt: number;
  maxAttempts: number;
  idempotencyKey: string | null;
  createdAt: number;
}

export interface ClaimRequest {
  /** Who holds the leases (one id per runner). */
  owner: string;
  now: number;
  leaseMs: number;
  limit: number;
  /** Only jobs of these kinds (the ones this runner has handlers for). */
  kinds: readonly string[];
}

export interface JobQuery {
  state?: JobState;
  kind?: string;
}
