import { AppError, badRequest, unavailable } from '@sightline/core';

// The one place SQLite's errors become AppErrors (postgres/errors.ts is its counterpart).

/**
 * Errors that say the database cannot take the write right now rather than that the statement
 * is wrong: a full disk, an I/O error, a lock held too long, no memory. SQLite has rolled the
 * statement back, so nothing of the request was stored.
 */
const UNAVAILABLE = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|NOMEM|CANTOPEN|PROTOCOL)/;
/** A value or statement over one of SQLite's limits, which only what a request carried can reach. */
const OVER_LIMIT = /^SQLITE_(TOOBIG|MISMATCH)|^SQLITE_ERROR$/;
const OVER_LIMIT_MESSAGES = /too big|too many SQL variables|Expression tree is too large|parser stack overflow|pattern too complex|too many terms/i;

/**
 * SQLite's error as an AppError; anything it does not classify (a bug in our SQL) is passed on,
 * and becomes a logged 500 at the boundary.
 * - cannot write now (above): 503 + Retry-After, the request may be retried as it is;
 * - a unique or primary-key constraint: 409; any other constraint: 400;
 * - a value or statement over an engine limit: 400, the request carried what cannot be stored.
 */
export function translateError(err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof AppError || typeof code !== 'string') return err;
  const message = err instanceof Error ? err.message : String(err);
  if (UNAVAILABLE.test(code)) {
    const what = code.startsWith('SQLITE_FULL') ? 'the disk is full' : message;
    return unavailable('storage_unavailable', `The database cannot take writes (${what}; ${code}); retry later`, 5);
  }
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return new AppError(409, 'conflict', `A value must be unique and is taken (${message})`);
  if (code.startsWith('SQLITE_CONSTRAINT')) return badRequest(`A value cannot be stored: ${message} (${code})`);
  if (OVER_LIMIT.test(code) && (code !== 'SQLITE_ERROR' || OVER_LIMIT_MESSAGES.test(message))) return badRequest(`A value cannot be stored: ${message} (${code})`);
  return err;
}
