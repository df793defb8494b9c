import { AppError } from '@sightline/core';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db, Row, SqlDialect, WritableDb } from '../db.js';
import { createMutex } from '../mutex.js';

export interface SqliteOptions {
  /** Path of the database file. */
  file: string;
}

/** SQLite dialect capabilities. */
export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  jsonText: (column, key) => ({ sql: `json_extract(${column}, ?)`, params: [`$."${key.replace(/"/g, '""')}"`] }),
  ilike: 'LIKE',
  maxParams: 32000,
  bool: (v) => (v ? 1 : 0),
  lockKeys: async () => {},
  monthStartMs: (expr) => `CAST(strftime('%s', (${expr}) / 1000, 'unixepoch', 'start of month') AS INTEGER) * 1000`,
  jsonEntries: (column, alias) => `json_each(${column}) AS ${alias}`,
};

/**
 * Errors that say the database cannot take the write right now rather than that the statement
 * is wrong: a full disk, an I/O error, a lock held too long, no memory. They become a 503 with
 * Retry-After; SQLite has rolled the statement back, so nothing of the request was stored.
 */
const UNAVAILABLE = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|NOMEM|CANTOPEN|PROTOCOL)/;

function translate(err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof AppError || typeof code !== 'string' || !UNAVAILABLE.test(code)) return err;
  const what = code.startsWith('SQLITE_FULL') ? 'the disk is full' : (err as Error).message;
  return new AppError(503, 'storage_unavailable', `The database cannot take writes (${what}; ${code}); retry later`, { retryAfter: 5 });
}

/**
 * Opens a SQLite database in WAL mode with a writer connection (writes serialised through a
 * mutex, `synchronous=FULL` so a commit survives power loss) and a reader connection that only
 * ever sees committed data.
 */
export function openSqlite(options: SqliteOptions): WritableDb {
  if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
  const writer = new Database(options.file);
  writer.pragma('journal_mode = WAL');
  writer.pragma('synchronous = FULL');
  writer.pragma('busy_timeout = 5000');
  writer.pragma('foreign_keys = OFF');
  const reader = options.file === ':memory:' ? writer : new Database(options.file, { readonly: false });
  reader.pragma('busy_timeout = 5000');
  const mutex = createMutex();
  const cache = new Map<string, Database.Statement>();
  const prepare = (conn: Database.Database, sql: string) => {
    const key = (conn === writer ? 'w:' : 'r:') + sql;
    let stmt = cache.get(key);
    if (!stmt) {
      stmt = conn.prepare(sql);
      if (cache.size > 2000) cache.clear();
      cache.set(key, stmt);
    }
    return stmt;
  };
  const bind = (params: unknown[] = []) => params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
  const guard = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      throw translate(err);
    }
  };
  const on = (conn: Database.Database): Db => ({
    async all<T = Row>(sql: string, params?: unknown[]) {
      return guard(() => prepare(conn, sql).all(...bind(params)) as T[]);
    },
    async get<T = Row>(sql: string, params?: unknown[]) {
      return guard(() => prepare(conn, sql).get(...bind(params)) as T | undefined);
    },
    async run(sql: string, params?: unknown[]) {
      return guard(() => {
        const stmt = prepare(conn, sql);
        if (!stmt.reader) return { changes: stmt.run(...bind(params)).changes };
        stmt.all(...bind(params));
        return { changes: 0 };
      });
    },
  });
  const readDb = on(reader);
  const writeDb = on(writer);
  return {
    ...readDb,
    async transaction(fn) {
      return mutex.run(async () => {
        guard(() => writer.exec('BEGIN IMMEDIATE'));
        try {
          const result = await fn(writeDb);
          guard(() => writer.exec('COMMIT'));
          return result;
        } catch (err) {
          if (writer.inTransaction) writer.exec('ROLLBACK');
          throw err;
        }
      });
    },
    async close() {
      await mutex.run(async () => {
        if (reader !== writer) reader.close();
        writer.close();
      });
    },
  };
}
