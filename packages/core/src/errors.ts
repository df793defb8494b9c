/** One failed rule of a validated input: where (`path`) and what (`message`), as zod reports it. */
export interface ValidationIssue {
  code: string;
  path: readonly PropertyKey[];
  message: string;
}

/** What an error may carry beyond its message; the HTTP renderer turns each into a header or body field. */
export interface AppErrorDetails {
  /** Seconds after which the same request may succeed (a `Retry-After` header). */
  retryAfter?: number;
  /** Each failed rule of a validated input. */
  issues?: readonly ValidationIssue[];
  /** Plain-text reasons, for answers whose Langfuse counterpart lists them (the ingestion envelope). */
  errors?: readonly string[];
  /** Structured context rendered as the body's `details` (the unstable evaluators API: field, variable, allowedValues…). */
  context?: Readonly<Record<string, unknown>>;
}

/**
 * The one error type of Sightline. It carries an HTTP status and a stable machine-readable
 * `code`; its message names the field and the rule that failed.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: AppErrorDetails,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, issues?: readonly ValidationIssue[]): AppError =>
  new AppError(400, 'invalid_request', message, issues && { issues });
export const notFound = (message: string): AppError => new AppError(404, 'not_found', message);
/** The request may succeed as it is after `retryAfter` seconds: the database or a queue cannot take it now. */
export const unavailable = (code: string, message: string, retryAfter: number): AppError => new AppError(503, code, message, { retryAfter });
