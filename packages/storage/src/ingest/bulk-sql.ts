import type { Db, Row } from '../db.js';

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
 * Runs writes that return nothing, in order, and `reads` (SELECTs), which see the rows as they
 * were before the writes; returns the rows of the reads. On PostgreSQL, when all fit one
 * statement's parameters and there is at most one read, as one statement (each write a
 * data-modifying WITH, the read its main query): a statement is a round trip while a commit holds
 * its locks. The writes must not touch one row twice, nor read each other's rows (the parts of
 * one statement see the same snapshot); PostgreSQL runs them all.
 */
export async function runAll(db: Db, d: { name: string; maxParams: number }, statements: Statement[], reads: Statement[] = []): Promise<Row[]> {
  const params = [...statements, ...reads].reduce((n, s) => n + s.params.length, 0);
  if (d.name !== 'postgres' || statements.length + reads.length < 2 || reads.length > 1 || params > d.maxParams) {
    const rows: Row[] = [];
    for (const s of reads) rows.push(...(await db.all<Row>(s.sql, s.params)));
    for (const s of statements) await db.run(s.sql, s.params);
    return rows;
  }
  const withs = statements.map((s, i) => `s${i} AS (${s.sql})`);
  const main = reads.length > 0 ? reads[0] : { sql: 'SELECT 1', params: [] };
  return db.all<Row>(`${withs.length > 0 ? `WITH ${withs.join(', ')} ` : ''}${main.sql}`, [...statements.flatMap((s) => s.params), ...main.params]);
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
