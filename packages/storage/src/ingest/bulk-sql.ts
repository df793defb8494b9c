import type { Db, Row } from '../db.js';
import { columnArrayTypes } from '../postgres/column-types.js';
import { isPreparable, preparable } from '../postgres/prepared.js';

/** What bulk statements need of a dialect. */
export interface BulkDialect {
  name: 'sqlite' | 'postgres';
  maxParams: number;
}

/**
 * The rows' values in one array, row after row: a statement's parameters. `Array.prototype.flat`
 * costs ≈ 85 ns an element on Node 20 (≈ 3.5 µs for a row of 40 columns; bench/RESULTS.md), this
 * loop a few.
 */
export function flatten<T>(rows: readonly (readonly T[])[]): T[] {
  const out: T[] = [];
  for (const row of rows) for (let i = 0; i < row.length; i++) out.push(row[i]);
  return out;
}

/** Splits `rows` so that each statement binds at most `maxParams` parameters. */
export function chunk<T>(rows: T[], perRow: number, maxParams: number): T[][] {
  const size = Math.max(1, Math.floor(maxParams / perRow));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** A statement and its parameters. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** The ON CONFLICT clause of an upsert: every non-key column replaced by the new row's (`update`), or the row left as it is (`ignore`). */
function conflictClause(columns: readonly string[], conflict?: { keys: readonly string[]; action: 'update' | 'ignore' }): string {
  if (!conflict) return '';
  const target = `(${conflict.keys.join(', ')})`;
  const sets = columns.filter((c) => !conflict.keys.includes(c)).map((c) => `${c} = excluded.${c}`);
  return conflict.action === 'ignore' || sets.length === 0 ? ` ON CONFLICT ${target} DO NOTHING` : ` ON CONFLICT ${target} DO UPDATE SET ${sets.join(', ')}`;
}

const unnestTexts = new Map<string, string | null>();

/**
 * The rows of an INSERT as one array per column, `SELECT * FROM unnest(?::text[], ?::bigint[], …)`:
 * PostgreSQL, when every column's type is known (postgres/column-types.ts); null otherwise. The
 * text is the same whatever the number of rows (so it is prepared once per connection) and binds
 * one parameter per column, where a VALUES list binds one per value and is parsed and planned
 * anew for each row count. Each element goes through its column type's input function, as a
 * parameter of its own would; unnest keeps the rows' order.
 */
function unnestSource(d: BulkDialect, table: string, columns: readonly string[]): string | null {
  if (d.name !== 'postgres') return null;
  const key = `${table}\u0000${columns.join(',')}`;
  let text = unnestTexts.get(key);
  if (text === undefined) {
    const types = columnArrayTypes(table, columns);
    text = types && `SELECT * FROM unnest(${types.map((t) => `?::${t}`).join(', ')})`;
    unnestTexts.set(key, text);
  }
  return text;
}

/**
 * The values of `rows` one array per column, in row order, each as a PostgreSQL array literal
 * (`{"a","b\\"c",NULL,3}`): every element quoted, `"` and `\\` escaped, null and undefined NULL,
 * numbers, bigints and booleans as the driver writes a parameter of their own (their `toString`).
 * One pass over each string where the driver's own arrays take two. Null when a value is an
 * object (an array, a Buffer, a Date), which the driver sends otherwise: the caller falls back.
 */
export function columnArrays(rows: readonly unknown[][], width: number): string[] | null {
  const out: string[] = [];
  const items = new Array<string>(rows.length);
  for (let c = 0; c < width; c++) {
    for (let r = 0; r < rows.length; r++) {
      const v = rows[r][c];
      if (v === null || v === undefined) items[r] = 'NULL';
      else if (typeof v === 'string') items[r] = `"${v.includes('"') || v.includes('\\') ? v.replace(ESCAPED, '\\$&') : v}"`;
      else if (typeof v === 'object') return null;
      else items[r] = `"${String(v)}"`;
    }
    out.push(`{${items.join(',')}}`);
  }
  return out;
}

const ESCAPED = /["\\]/g;

const insertTexts = new Map<string, string>();

/**
 * `INSERT INTO table (columns) <rows> <suffix>` over `rows`, as statements: on PostgreSQL with
 * known column types one statement whatever the row count, its text fixed and preparable
 * (unnestSource); otherwise multi-row VALUES lists split to fit `maxParams`. `suffix` follows
 * the rows (ON CONFLICT …, RETURNING …) and must not hold placeholders.
 */
export function insertRowsStatements(d: BulkDialect, table: string, columns: readonly string[], rows: unknown[][], suffix = ''): Statement[] {
  if (rows.length === 0) return [];
  const source = unnestSource(d, table, columns);
  const arrays = source === null ? null : columnArrays(rows, columns.length);
  if (source !== null && arrays !== null) {
    const key = `${table}\u0000${columns.join(',')}\u0000${suffix}`;
    let sql = insertTexts.get(key);
    if (sql === undefined) insertTexts.set(key, (sql = preparable(`INSERT INTO ${table} (${columns.join(', ')}) ${source}${suffix}`)));
    return [{ sql, params: arrays }];
  }
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  return chunk(rows, columns.length, d.maxParams).map((part) => ({
    sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${part.map(() => tuple).join(', ')}${suffix}`,
    params: flatten(part),
  }));
}

/**
 * Multi-row INSERT statements (insertRowsStatements). With `conflict` they upsert: on a key
 * conflict every non-key column is replaced by the new row (`update`) or the row is left as it
 * is (`ignore`).
 */
export function insertStatements(
  d: BulkDialect,
  table: string,
  columns: readonly string[],
  rows: unknown[][],
  conflict?: { keys: readonly string[]; action: 'update' | 'ignore' },
): Statement[] {
  return insertRowsStatements(d, table, columns, rows, conflictClause(columns, conflict));
}

/** Multi-row INSERT (insertStatements), one statement per chunk. */
export async function insertRows(
  db: Db,
  d: BulkDialect,
  table: string,
  columns: readonly string[],
  rows: unknown[][],
  conflict?: { keys: readonly string[]; action: 'update' | 'ignore' },
): Promise<void> {
  for (const s of insertStatements(d, table, columns, rows, conflict)) await db.run(s.sql, s.params);
}

/**
 * Runs writes that return nothing, in order, and `reads` (SELECTs), which see the rows as they
 * were before the writes; returns the rows of the reads. On PostgreSQL, when all fit one
 * statement's parameters and there is at most one read, as one statement (each write a
 * data-modifying WITH, the read its main query): a statement is a round trip while a commit holds
 * its locks. The writes must not touch one row twice, nor read each other's rows (the parts of
 * one statement see the same snapshot); PostgreSQL runs them all. The statement is preparable
 * when every part is (prepared.ts): its text then depends only on which parts there are.
 */
export async function runAll(db: Db, d: BulkDialect, statements: Statement[], reads: Statement[] = []): Promise<Row[]> {
  const params = [...statements, ...reads].reduce((n, s) => n + s.params.length, 0);
  if (d.name !== 'postgres' || statements.length + reads.length < 2 || reads.length > 1 || params > d.maxParams) {
    const rows: Row[] = [];
    for (const s of reads) rows.push(...(await db.all<Row>(s.sql, s.params)));
    for (const s of statements) await db.run(s.sql, s.params);
    return rows;
  }
  const withs = statements.map((s, i) => `s${i} AS (${s.sql})`);
  const main = reads.length > 0 ? reads[0] : { sql: 'SELECT 1', params: [] };
  const sql = `${withs.length > 0 ? `WITH ${withs.join(', ')} ` : ''}${main.sql}`;
  return db.all<Row>(isPreparableAll([...statements, ...reads]) ? preparable(sql) : sql, [...statements.flatMap((s) => s.params), ...main.params]);
}

/** Whether every statement's text is preparable (prepared.ts), so that a statement made of them all is too. */
export function isPreparableAll(statements: readonly Statement[]): boolean {
  return statements.every((s) => isPreparable(s.sql));
}

/**
 * `column IN (…ids)` as a condition: on PostgreSQL `column = ANY(?)` with one array parameter
 * (a text that does not change with the number of ids), elsewhere a list of placeholders. Split
 * `ids` to fit the dialect's parameters first (inListChunks).
 */
export function inList(d: BulkDialect, column: string, ids: readonly unknown[]): { sql: string; params: unknown[] } {
  if (d.name === 'postgres') return { sql: `${column} = ANY(?)`, params: [ids] };
  return { sql: `${column} IN (${ids.map(() => '?').join(', ')})`, params: [...ids] };
}

/** `ids` split for inList, each part leaving `reserve` parameters for the rest of the statement: one part on PostgreSQL. */
export function inListChunks<T>(d: BulkDialect, ids: T[], reserve: number): T[][] {
  if (ids.length === 0) return [];
  return d.name === 'postgres' ? [ids] : chunk(ids, 1, Math.max(1, d.maxParams - reserve));
}

/** Loads rows of `table` whose `id` is in `ids` for one project, chunked. */
export async function selectByIds<T>(db: Db, d: BulkDialect, table: string, projectId: string, ids: string[]): Promise<T[]> {
  const out: T[] = [];
  for (const part of d.name === 'postgres' ? [ids] : chunk(ids, 1, Math.min(d.maxParams, 10000))) {
    const cond = inList(d, 'id', part);
    out.push(...(await db.all<T>(`SELECT * FROM ${table} WHERE project_id = ? AND ${cond.sql}`, [projectId, ...cond.params])));
  }
  return out;
}
