import { AppError, badRequest, unavailable } from '@sightline/core';

// The one place PostgreSQL's errors become AppErrors (sqlite/errors.ts is its counterpart).

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|Connection ended/i;
/**
 * SQLSTATEs that say this database cannot be used right now, whatever the statement: classes 08
 * (connection exception), 53 (insufficient resources), 57P (shutdown, cannot connect now,
 * database dropped); 55000 (the database is not accepting connections: ALLOW_CONNECTIONS false),
 * 3D000 (the database does not exist: dropped), 28000/28P01 (the role or its password was
 * refused), 25006 (read-only: a standby after failover) and 58030 (I/O error).
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P|55000$|3D000$|28000$|28P01$|25006$|58030$)/;

const sqlState = (err: unknown): string => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
};
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Whether an error means the database is unreachable, refusing us, going away or overloaded
 * rather than that the statement was wrong: network errors, pg's own connection/timeout errors,
 * and the SQLSTATEs above.
 */
export function isUnavailable(err: unknown): boolean {
  const code = sqlState(err);
  if (CONNECTION_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code)) return true;
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' && CONNECTION_MESSAGES.test(message);
}

/** Deadlock detected (40P01) or serialization failure (40001): the transaction may simply be run again. */
export const isConflict = (err: unknown): boolean => err instanceof AppError && err.code === 'storage_conflict';

/**
 * PostgreSQL's error as an AppError; anything it does not classify (a bug in our SQL) is passed
 * on, and becomes a logged 500 at the boundary.
 * - unavailable (above): 503 + Retry-After, the request may be retried as it is;
 * - deadlock / serialization failure: 503 `storage_conflict` (transactions are retried first);
 * - class 22 (data exception: out of range, invalid text, untranslatable character) and 54
 *   (a value or statement over an engine limit): 400, the request carried what cannot be stored;
 * - 23505 unique violation: 409; other class 23 (integrity constraint): 400.
 */
export function translateError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const code = sqlState(err);
  const message = messageOf(err);
  if (isUnavailable(err)) return unavailable('storage_unavailable', `The database is unavailable (${message}); retry later`, 2);
  if (code === '40P01' || code === '40001') return unavailable('storage_conflict', `The database aborted the transaction (${message}); retry later`, 1);
  if (code === '23505') return new AppError(409, 'conflict', `A value must be unique and is taken (${message})`);
  if (/^(22|23|54)/.test(code)) return badRequest(`A value cannot be stored: ${message} (SQLSTATE ${code})`);
  return err;
}
