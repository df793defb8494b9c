/**
 * An error that tells the job runner whether trying again can help: a provider's rate limit or
 * outage can pass (retryable, maybe after `retryAfterMs`); a refused key or a bad request cannot.
 */
export class JobError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'JobError';
  }
}

/** Permanent: retrying the same input gives the same failure (a malformed payload, a missing connection). */
export const permanent = (message: string): JobError => new JobError(message, false);
