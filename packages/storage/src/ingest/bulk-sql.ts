import type { Db } from '../db.js';

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

/**
 * Multi-row INSERT statements, split to fit `maxParams`. With `conflict` they upsert: on a key
 * conflict every non-key column is replaced by the new row (`update`) or the row is left as it
 * is (`ignore`).
 */
export function insertStatements(
  maxParams: number,
  table: string,
  columns: readonly string[],
  rows: unknown[][],
  conflict?: { keys: readonly string[]; action: 'update' | 'ignore' },
): Statement[] {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  let suffix = '';
  if (conflict) {
    const target = `(${conflict.keys.join(', ')})`;
    const sets = columns.filter((c) => !conflict.keys.includes(c)).map((c) => `${c} = excluded.${c}`);
    suffix = conflict.action === 'ignore' || sets.length === 0 ? ` ON CONFLICT ${target} DO NOTHING` : ` ON CONFLICT ${target} DO UPDATE SET ${sets.join(', ')}`;
  }
  return chunk(rows, columns.length, maxParams).map((part) => ({
    sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${part.map(() => tuple).join(', ')}${suffix}`,
    params: part.flat(),
  }));
}

/** Multi-row INSERT (insertStatements), one statement per chunk. */
export async function insertRows(
  db: Db,
  maxParams: number,
  table: string,
  columns: readonly string[],
  rows: unknown[][],
  conflict?: { keys: readonly string[]; action: 'update' | 'ignore' },
): Promise<void> {
  for (const s of insertStatements(maxParams, table, columns, rows, conflict)) await db.run(s.sql, s.params);
}

/**
 * Runs writes that return nothing, in order. On PostgreSQL, when they fit one statement's
 * parameters, as one statement (each a data-modifying WITH): a statement is a round trip while
 * a commit holds its locks. The writes must not touch one row twice, nor read each other's
 * rows (the parts of one statement see the same snapshot); PostgreSQL runs them all.
 */
export async function runAll(db: Db, d: { name: string; maxParams: number }, statements: Statement[]): Promise<void> {
  const params = statements.reduce((n, s) => n + s.params.length, 0);
  if (d.name !== 'postgres' || statements.length < 2 || params > d.maxParams) {
    for (const s of statements) await db.run(s.sql, s.params);
    return;
  }
  await db.run(`WITH ${statements.map((s, i) => `s${i} AS (${s.sql})`).join(', ')} SELECT 1`, statements.flatMap((s) => s.params));
}

/** Loads rows of `table` whose `id` is in `ids` for one project, chunked. */
export async function selectByIds<T>(db: Db, maxParams: number, table: string, projectId: string, ids: string[]): Promise<T[]> {
  const out: T[] = [];
  for (const part of chunk(ids, 1, Math.min(maxParams, 10000))) {
    const sql = `SELECT * FROM ${table} WHERE project_id = ? AND id IN (${part.map(() => '?').join(', ')})`;
    out.push(...(await db.all<T>(sql, [projectId, ...part])));
  }
  return out;
}
