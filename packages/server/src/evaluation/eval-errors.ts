import { AppError } from '@sightline/core';

/**
 * The unstable evaluators API's error codes (Langfuse's `unstablePublicApiErrorCode`) that
 * Sightline raises; clients branch on them, `details` says which field and which values.
 */
export type EvalErrorCode =
  | 'invalid_body'
  | 'invalid_query'
  | 'invalid_filter_value'
  | 'invalid_json_path'
  | 'invalid_variable_mapping'
  | 'missing_variable_mapping'
  | 'duplicate_variable_mapping'
  | 'resource_not_found'
  | 'name_conflict'
  | 'evaluator_preflight_failed'
  | 'conflict';

const STATUS: Record<EvalErrorCode, number> = {
  invalid_body: 400,
  invalid_query: 400,
  invalid_filter_value: 400,
  invalid_json_path: 400,
  invalid_variable_mapping: 400,
  missing_variable_mapping: 400,
  duplicate_variable_mapping: 400,
  resource_not_found: 404,
  name_conflict: 409,
  conflict: 409,
  evaluator_preflight_failed: 422,
};

/** An AppError of the evaluators API: its status follows from `code`; `details` becomes the body's `details`. */
export function evalError(code: EvalErrorCode, message: string, details?: Record<string, unknown>): AppError {
  return new AppError(STATUS[code], code, message, details && { context: details });
}

/** Re-raises a body or query parse failure with the unstable API's code, keeping its issues as `details.issues`. */
export function asInvalid(err: unknown, code: 'invalid_body' | 'invalid_query'): unknown {
  if (!(err instanceof AppError) || err.status !== 400 || err.code !== 'invalid_request') return err;
  const issues = err.details?.issues;
  return new AppError(400, code, err.message, { ...err.details, context: { issues: issues ?? null } });
}
