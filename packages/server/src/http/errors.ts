import { AppError } from '@sightline/core';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from '../logger.js';

/** Langfuse's error class for each status: its `error` field, which the official clients print. */
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
  500: 'InternalServerError',
  503: 'ServiceUnavailableError',
};

/** Langfuse's OTel route answers `{error: <text>}`; OTLP exporters and the Langfuse SDKs show that text. */
const OTLP_PREFIX = '/api/public/otel/';

/**
 * The one error body of every route (the 207 of /ingestion is an answer, not an error: its
 * per-event entries keep Langfuse's `{id, status, message, error}`):
 *
 *   { message, code, error, errors? }
 *
 * - `message`: what failed, naming the field and the rule (what the UI and the clients show);
 * - `code`: the stable machine-readable `AppError` code (`invalid_request`, `storage_unavailable`, …);
 * - `error`: what Langfuse puts there, so its clients read what they expect: the validation
 *   issues when there are some, else the Langfuse class of the status (`InvalidRequestError`…);
 *   on the OTLP routes the message itself;
 * - `errors`: plain reasons, only where Langfuse lists them (a malformed ingestion envelope).
 *
 * A `retryAfter` becomes the `Retry-After` header.
 */
export interface ErrorBody {
  message: string;
  code: string;
  error: unknown;
  errors?: readonly string[];
  /** Structured context, where the Langfuse counterpart has it (the unstable evaluators API). */
  details?: Readonly<Record<string, unknown>>;
}

/** Renders any thrown value as the error body; unknown errors become a logged 500 without details. */
export function renderError(c: Context, err: unknown, logger: Logger): Response {
  if (!(err instanceof AppError)) {
    logger.error('unhandled error', { path: c.req.path, error: err instanceof Error ? err.stack : String(err) });
    return c.json({ message: 'Internal Server Error', code: 'internal', error: 'An unknown error occurred' } satisfies ErrorBody, 500);
  }
  if (err.status === 500) logger.error('internal error', { path: c.req.path, code: err.code, error: err.message });
  const { retryAfter, issues, errors, context } = err.details ?? {};
  if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));
  const error = c.req.path.startsWith(OTLP_PREFIX) ? err.message : (issues ?? CLASS_NAMES[err.status] ?? err.code);
  const body: ErrorBody = { message: err.message, code: err.code, error, ...(errors && { errors }), ...(context && { details: context }) };
  return c.json(body, err.status as ContentfulStatusCode);
}
