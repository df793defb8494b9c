import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db, Row, SqlDialect, WritableDb } from '../db.js';
import { createMutex } from '../mutex.js';
import { translateError } from './errors.js';
import { concat, joinArms } from '../queries/where.js';

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
  claimRows: '',
  mergeOrdered: (arms, orderBy) => concat('SELECT * FROM (', ...joinArms(arms), `) u ORDER BY ${orderBy}`),
};

/**
 * Page size of a new database file (an existing file keeps its own): a WAL commit writes each
 * page it changed as one frame of two `pwrite` calls, and ingestion changes whole runs of pages
 * (event bodies, observation texts) besides single index pages — 8 KiB pages take about 40 %
 * fewer calls per event than 4 KiB ones (bench/RESULTS.md).
 */
export const SQLITE_PAGE_SIZE = 8192;

/** Opens a writer connection: WAL, `synchronous=FULL` so a commit survives power loss, waits for locks. */
export function openWriter(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const writer = new Database(file);
  // Before WAL mode: only a file with no pages yet takes it.
  writer.pragma(`page_size = ${SQLITE_PAGE_SIZE}`);
  writer.pragma('journal_mode = WAL');
  writer.pragma('synchronous = FULL');
  writer.pragma('busy_timeout = 5000');
  writer.pragma('foreign_keys = OFF');
  return writer;
}

/** Runs `fn`, turning SQLite's errors into AppErrors (errors.ts). */
export function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw translateError(err);
  }
}

const bind = (params: unknown[] = []) => params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));

/** A `Db` over one connection, with a bounded prepared-statement cache. */
export function connectionDb(conn: Database.Database): Db {
  const cache = new Map<string, Database.Statement>();
  const arrays = new Map<string, Database.Statement>();
  // Raw (array) mode is a property of a prepared statement, so array reads keep their own cache.
  const prepare = (sql: string, raw = false) => {
    const own = raw ? arrays : cache;
    let stmt = own.get(sql);
    if (!stmt) {
      stmt = conn.prepare(sql);
      if (raw) stmt.raw(true);
      if (own.size > 1000) own.clear();
      own.set(sql, stmt);
    }
    return stmt;
  };
  return {
    async all<T = Row>(sql: string, params?: unknown[]) {
      return guard(() => prepare(sql).all(...bind(params)) as T[]);
    },
    async values(sql: string, params?: unknown[]) {
      return guard(() => prepare(sql, true).all(...bind(params)) as unknown[][]);
    },
    async get<T = Row>(sql: string, params?: unknown[]) {
      return guard(() => prepare(sql).get(...bind(params)) as T | undefined);
    },
    async run(sql: string, params?: unknown[]) {
      return guard(() => {
        const stmt = prepare(sql);
        if (!stmt.reader) return { changes: stmt.run(...bind(params)).changes };
        stmt.all(...bind(params));
        return { changes: 0 };
      });
    },
  };
}

/** Runs `fn` in a write transaction on `writer` (BEGIN IMMEDIATE … COMMIT, rolled back on error). */
export async function inTransaction<T>(writer: Database.Database, db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  guard(() => writer.exec('BEGIN IMMEDIATE'));
  try {
    const result = await fn(db);
    guard(() => writer.exec('COMMIT'));
    return result;
  } catch (err) {
    if (writer.inTransaction) writer.exec('ROLLBACK');
    throw err;
  }
}

/**
 * Opens a SQLite database in WAL mode with a writer connection (writes serialised through a
 * mutex) and a reader connection that only ever sees committed data.
 */
export function openSqlite(options: SqliteOptions): WritableDb {
  const writer = openWriter(options.file);
  const reader = options.file === ':memory:' ? writer : new Database(options.file, { readonly: false });
  reader.pragma('busy_timeout = 5000');
  const mutex = createMutex();
  const readDb = reader === writer ? connectionDb(writer) : connectionDb(reader);
  const writeDb = reader === writer ? readDb : connectionDb(writer);
  return {
    ...readDb,
    transaction: (fn) => mutex.run(() => inTransaction(writer, writeDb, fn)),
    async backupTo(destination) {
      if (existsSync(destination)) throw new Error(`${destination} already exists; choose a new file`);
      mkdirSync(dirname(destination), { recursive: true });
      // One read transaction on the reader connection: a consistent snapshot, no lock on writers (WAL).
      guard(() => reader.prepare('VACUUM INTO ?').run(destination));
    },
    async close() {
      await mutex.run(async () => {
        if (reader !== writer) reader.close();
        writer.close();
      });
    },
  };
}
