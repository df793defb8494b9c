import { AppError } from '@sightline/core';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from '../logger.js';

const CLASS_NAMES: Record<number, string> = {
  400: 'InvalidRequestError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'LangfuseNotFoundError',
  405: 'MethodNotAllowedError',
  409: 'LangfuseConflictError',
  413: 'PayloadTooLargeError',
  414: 'URITooLongError',
  429: 'TooManyRequestsError',
  503: 'ServiceUnavailableError',
};

/** Renders any thrown value as a JSON error response; unknown errors become a logged 500 without details. */
export function renderError(c: Context, err: unknown, logger: Logger): Response {
  if (err instanceof AppError) {
    const retryAfter = (err.details as { retryAfter?: number } | undefined)?.retryAfter;
    if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));
    const detail = retryAfter === undefined && err.details !== undefined ? err.details : (CLASS_NAMES[err.status] ?? err.code);
    return c.json({ message: err.message, error: detail }, err.status as ContentfulStatusCode);
  }
  logger.error('unhandled error', { path: c.req.path, error: err instanceof Error ? err.stack : String(err) });
  return c.json({ message: 'Internal Server Error', error: 'An unknown error occurred' }, 500);
}
