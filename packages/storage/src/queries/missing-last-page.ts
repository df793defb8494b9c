import type { Db, Row } from '../db.js';
import type { Fragment } from './where.js';

/**
 * A sort whose value some rows lack, read as two segments so that each reads in the order of an
 * index: the rows with a value (`expr IS NOT NULL … ORDER BY expr, id`, the order of a
 * `(project_id, expr, id)` index in both directions on both engines), then the rows without one
 * (`ORDER BY id`) — missing values last in both directions, as a missing figure is neither large
 * nor small. A single `ORDER BY expr NULLS LAST` would not do: PostgreSQL keeps NULLs after
 * every value in an index and SQLite before, so one direction always sorted the whole match.
 */
export interface MissingLastQuery {
  /** `SELECT … ORDER BY expr dir, id dir` over the rows with a value; no LIMIT. */
  valued: Fragment;
  /** `SELECT … ORDER BY id dir` over the rows without one; no LIMIT. Absent when every row has a value. */
  missing?: Fragment;
  /** `SELECT COUNT(*) AS n` of the valued rows: read only for a page that starts past all of them. */
  countValued: Fragment;
}

/**
 * One offset page across both segments (`limit` + 1 rows read, to tell whether more follow). The
 * valued segment's length is known from the page that reaches its end, so it is counted only when
 * a page starts beyond it.
 */
export async function missingLastPage(db: Db, q: MissingLastQuery, page: number, limit: number): Promise<{ rows: Row[]; hasMore: boolean }> {
  const offset = Math.max(0, (page - 1) * limit);
  const first = await db.all<Row>(`${q.valued.sql} LIMIT ? OFFSET ?`, [...q.valued.params, limit + 1, offset]);
  if (first.length > limit || !q.missing) return { rows: first.slice(0, limit), hasMore: first.length > limit };
  const valuedCount = first.length > 0 || offset === 0 ? offset + first.length : Number((await db.get<{ n: number }>(q.countValued.sql, q.countValued.params))?.n ?? 0);
  const rest = await db.all<Row>(`${q.missing.sql} LIMIT ? OFFSET ?`, [...q.missing.params, limit + 1 - first.length, Math.max(0, offset - valuedCount)]);
  const rows = [...first, ...rest];
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}
