/**
 * The one error type of Sightline. It carries an HTTP status and a stable machine-readable
 * `code`; its message names the field and the rule that failed.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: unknown): AppError =>
  new AppError(400, 'invalid_request', message, details);
export const notFound = (message: string): AppError => new AppError(404, 'not_found', message);
