import type { Db } from '../db.js';

/** Splits `rows` so that each statement binds at most `maxParams` parameters. */
export function chunk<T>(rows: T[], perRow: number, maxParams: number): T[][] {
  const size = Math.max(1, Math.floor(maxParams / perRow));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Multi-row INSERT. With `conflict` it upserts: on a key conflict every non-key column is
 * replaced by the new row (`update`) or the row is left as it is (`ignore`).
 */
export async function insertRows(
  db: Db,
  maxParams: number,
  table: string,
  columns: readonly string[],
  rows: unknown[][],
  conflict?: { keys: readonly string[]; action: 'update' | 'ignore' },
): Promise<void> {
  if (rows.length === 0) return;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  let suffix = '';
  if (conflict) {
    const target = `(${conflict.keys.join(', ')})`;
    const sets = columns.filter((c) => !conflict.keys.includes(c)).map((c) => `${c} = excluded.${c}`);
    suffix = conflict.action === 'ignore' || sets.length === 0 ? ` ON CONFLICT ${target} DO NOTHING` : ` ON CONFLICT ${target} DO UPDATE SET ${sets.join(', ')}`;
  }
  for (const part of chunk(rows, columns.length, maxParams)) {
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${part.map(() => tuple).join(', ')}${suffix}`;
    await db.run(sql, part.flat());
  }
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
