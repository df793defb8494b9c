import { randomUUID } from 'node:crypto';
import type { JobRecord, Storage } from '@sightline/storage';

export interface EnqueueRequest {
  projectId: string;
  kind: string;
  payload: unknown;
  /** Not before this time (epoch ms); default now. */
  runAt?: number;
  /** Default 5. */
  maxAttempts?: number;
  /** One job per key and project: enqueueing the key again returns the job already there. */
  idempotencyKey?: string | null;
}

/** Adds a job to the queue (durably: a runner in any instance will pick it up). */
export async function enqueueJob(storage: Storage, request: EnqueueRequest): Promise<{ job: JobRecord; created: boolean }> {
  const now = Date.now();
  return storage.jobs.enqueue({
    id: randomUUID(),
    projectId: request.projectId,
    kind: request.kind,
    payload: request.payload,
    runAt: request.runAt ?? now,
    maxAttempts: request.maxAttempts ?? 5,
    idempotencyKey: request.idempotencyKey ?? null,
    createdAt: now,
  });
}
