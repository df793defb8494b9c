import type { Fragment } from './queries/where.js';
/** A row as the driver returns it. */
export type Row = Record<string, unknown>;

/**
 * The SQL executor that generic storage code talks to. SQL is written once with `?`
 * placeholders; each dialect translates. Dialect differences are expressed as capability
 * functions on `SqlDialect`, never as `if (dialect === ...)` in generic code.
 */
export interface Db {
  all<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * The rows as arrays of their values in the SELECT list's order. For reads of thousands of
   * wide rows: the drivers build an array much faster than a keyed row (better-sqlite3 makes
   * each keyed row a dictionary-mode object — 2–3× the CPU of the whole mapping at 35 columns).
   */
  values(sql: string, params?: unknown[]): Promise<unknown[][]>;
  get<T = Row>(sql: string, params?: unknown[]): Promise<T | undefined>;
  run(sql: string, params?: unknown[]): Promise<{ changes: number }>;
}

export interface WritableDb extends Db {
  /** Runs `fn` in one write transaction; serialised with other writers of this process. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * Writes a consistent copy of the whole database to a new file while writers keep going
   * (SQLite only: `VACUUM INTO` reads one snapshot). Absent where the engine has its own tools.
   */
  backupTo?(destination: string): Promise<void>;
}

export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  /** SQL for the text value of a top-level key of a JSON text column; the key is bound as the returned param. */
  jsonText(column: string, key: string): { sql: string; params: unknown[] };
  /** Case-insensitive LIKE operator. */
  readonly ilike: string;
  /** Max bound parameters per statement, for chunking bulk statements. */
  readonly maxParams: number;
  /** Serialises a boolean for a bound parameter. */
  bool(v: boolean): unknown;
  /**
   * Takes transaction-scoped locks on the given entity keys (sorted, so concurrent writers
   * never deadlock). A no-op where there is a single writer.
   */
  lockKeys(tx: Db, keys: string[]): Promise<void>;
  /** SQL for the start (epoch ms, UTC) of the calendar month holding the epoch-ms integer expression `expr`. */
  monthStartMs(expr: string): string;
  /**
   * A FROM item over the entries of a JSON object column, aliased `alias`, with columns `key`
   * (text) and `value` (cast it with `CAST(alias.value AS DOUBLE PRECISION)`).
   */
  jsonEntries(column: string, alias: string): string;
  /**
   * Suffix of a SELECT that claims queue rows: rows another transaction holds are skipped, not
   * waited for (PostgreSQL's `FOR UPDATE SKIP LOCKED`). Empty where one writer at a time already
   * makes a claim exclusive (SQLite's BEGIN IMMEDIATE).
   */
  readonly claimRows: string;
  /**
   * Ordered arms (`SELECT … FROM … WHERE …`, each readable in the order `orderBy` names by its
   * result columns, from an index) merged into one query in that order, read lazily so that a
   * LIMIT reads each arm only as far as the page needs. SQLite merges a compound SELECT whose
   * ORDER BY it pushes into the arms; PostgreSQL merges subqueries that carry their own ORDER BY,
   * each bounded by `armLimit` (without a bound it plans an arm for all of its rows and may sort
   * it).
   */
  mergeOrdered(arms: Fragment[], orderBy: string, armLimit: number): Fragment;
}

/** The numbered migrations of a dialect: `[number, name, sql]`. */
export type Migration = { version: number; name: string; sql: string };
