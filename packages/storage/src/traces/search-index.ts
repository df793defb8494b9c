import type { Db, SqlDialect } from '../db.js';
import { escapeLike } from '../queries/where.js';
import { PG_SEARCH_TEXT, sqliteSearchText } from '../schema/migrations.js';

/**
 * Past this many index hits per table the word is common: the search walks the time index
 * instead, where a common word finds a page of matches within a few rows.
 */
export const SEARCH_CANDIDATE_LIMIT = 2000;

/** Trigrams a query is narrowed by; any subset of its trigrams gives a superset of its matches. */
const MAX_TRIGRAMS = 12;

/** The distinct trigrams of `text` (by code point, as FTS5 splits it; FTS5 folds their case itself), spread over it when there are many. */
export function trigrams(text: string): string[] {
  const chars = Array.from(text);
  const all = [...new Set(chars.slice(0, Math.max(0, chars.length - 2)).map((_, i) => chars.slice(i, i + 3).join('')))];
  if (all.length <= MAX_TRIGRAMS) return all;
  return Array.from({ length: MAX_TRIGRAMS }, (_, i) => all[Math.floor((i * (all.length - 1)) / (MAX_TRIGRAMS - 1))]);
}

/** Noted rows (search_pending) moved into SQLite's FTS5 index in one go: about one segment per this many rows. */
export const SEARCH_FLUSH_ROWS = 1000;

interface IndexSql {
  /** SQL of the ids (`id`) of a project's traces the index says may contain the search, with the number of index hits (`n`); its parameters. */
  traces(projectId: string, search: string, limit: number): { sql: string; params: unknown[] };
  /** The same for observations, as their traces' ids. */
  observations(projectId: string, search: string, limit: number): { sql: string; params: unknown[] };
  /**
   * Statements that move the noted rows into the index, when the engine keeps such notes: their
   * count (SQLite counts a b-tree's cells page by page: ≈ 3 µs for 50,000 notes), the key of the
   * n-th, the moves.
   */
  flush?: { pending: string; bound: string; statements: string[] };
}

/**
 * An FTS5 query that every row holding `search` (case-insensitively) matches: its trigrams, but
 * for those with a NUL character, which an FTS5 query string cannot hold (fewer trigrams only
 * match more rows).
 */
const ftsTrigrams = (search: string) => trigrams(search).filter((t) => !t.includes('\u0000'));
const ftsQuery = (search: string) => ftsTrigrams(search).map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND ');

const like = (search: string) => `%${escapeLike(search)}%`;

/**
 * SQLite: the FTS5 hits (capped before they are joined to their rows: the index holds every
 * project) and, in the same statement so from the same snapshot, the rows noted since the last
 * flush that hold the search — the index may not know their text yet, or still knows their old
 * text (an over-match the caller's check removes).
 */
function sqliteCandidates(table: string, alias: string, kind: number, id: string, extra: string) {
  const index = kind === 0 ? 'trace_search' : 'observation_search';
  const text = `${alias}.name LIKE ? ESCAPE '\\' OR ${alias}.input LIKE ? ESCAPE '\\' OR ${alias}.output LIKE ? ESCAPE '\\'`;
  return (projectId: string, search: string, limit: number) => ({
    sql: `SELECT ${id} AS id, s.n AS n FROM (SELECT rowid AS r, COUNT(*) OVER () AS n FROM (SELECT rowid FROM ${index} WHERE ${index} MATCH ? LIMIT ?)) s
        CROSS JOIN ${table} ${alias} ON ${alias}.rowid = s.r WHERE ${alias}.project_id = ?${extra}
      UNION ALL
      SELECT ${id}, 0 FROM search_pending p CROSS JOIN ${table} ${alias} ON ${alias}.rowid = p.row_id
        WHERE p.kind = ${kind} AND ${alias}.project_id = ?${extra} AND (${text})`,
    params: [ftsQuery(search), limit + 1, projectId, projectId, like(search), like(search), like(search)],
  });
}

/**
 * Statements moving the noted rows up to a bound `(kind, row_id) <= (?, ?)` into one FTS5 table.
 * Only rows up to the index's highest rowid can be in it: the rest (most of them, rows inserted
 * since the last flush) skip the delete, a lookup each in the index's row sizes.
 */
const sqliteFlush = (table: string, index: string, kind: number) => [
  `DELETE FROM ${index} WHERE rowid IN (SELECT row_id FROM search_pending WHERE kind = ${kind} AND (kind, row_id) <= (?, ?)
     AND row_id <= (SELECT max(rowid) FROM ${index}))`,
  `INSERT INTO ${index} (rowid, body) SELECT x.rowid, ${sqliteSearchText('x')} FROM search_pending p CROSS JOIN ${table} x ON x.rowid = p.row_id
     WHERE p.kind = ${kind} AND (p.kind, p.row_id) <= (?, ?)`,
];

/**
 * Each engine's index (migration 26): SQLite's FTS5 trigram tables plus the rows noted since
 * their last flush; PostgreSQL's pg_trgm GIN index, which answers the ILIKE itself and rechecks
 * each hit.
 */
const INDEX_SQL: Record<SqlDialect['name'], IndexSql> = {
  sqlite: {
    traces: sqliteCandidates('traces', 't', 0, 't.id', ''),
    observations: sqliteCandidates('observations', 'o', 1, 'o.trace_id', ' AND o.trace_id IS NOT NULL'),
    flush: {
      pending: 'SELECT COUNT(*) AS n FROM search_pending',
      bound: 'SELECT kind, row_id FROM search_pending ORDER BY kind, row_id LIMIT 1 OFFSET ?',
      statements: [
        ...sqliteFlush('traces', 'trace_search', 0), ...sqliteFlush('observations', 'observation_search', 1),
        'DELETE FROM search_pending WHERE (kind, row_id) <= (?, ?)',
      ],
    },
  },
  postgres: {
    traces: (projectId, search, limit) => ({
      sql: `SELECT id, 0 AS n FROM traces WHERE project_id = ? AND ${PG_SEARCH_TEXT} ILIKE ? ESCAPE '\\' LIMIT ?`,
      params: [projectId, like(search), limit + 1],
    }),
    observations: (projectId, search, limit) => ({
      sql: `SELECT trace_id AS id, 0 AS n FROM observations WHERE project_id = ? AND trace_id IS NOT NULL AND ${PG_SEARCH_TEXT} ILIKE ? ESCAPE '\\' LIMIT ?`,
      params: [projectId, like(search), limit + 1],
    }),
  },
};

/** At most this many noted rows are moved per transaction: a large deletion (retention) does not stall the next ingestion commit. */
export const SEARCH_FLUSH_MAX = 5000;

/** Noted rows moved into the index per transaction when it catches up in idle time, or when ingestion must because the backlog is full: ≈ 60 ms each (≈ 30 µs a row). */
export const SEARCH_STEP_ROWS = 2000;

/**
 * Noted rows an ingestion commit leaves for idle time (SQLite): below this backlog the index is
 * written between commits, when no ingestion waits (create-storage.ts), so a burst of ingestion
 * does not pay for tokenising its text; at it, each commit moves SEARCH_STEP_ROWS itself.
 * Searches read the backlog directly (about 1 ms per 1,000 observations noted), so they stay
 * exact; `SIGHTLINE_SEARCH_BACKLOG_ROWS` changes it (0: each commit moves the backlog once
 * SEARCH_FLUSH_ROWS are noted, as before idle indexing).
 */
export const SEARCH_BACKLOG_ROWS = 50_000;

/** The backlog ingestion leaves for idle time: SIGHTLINE_SEARCH_BACKLOG_ROWS, else SEARCH_BACKLOG_ROWS. Throws on a value that is not a whole number of rows. */
export function searchBacklogRows(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SIGHTLINE_SEARCH_BACKLOG_ROWS;
  if (raw === undefined || raw.trim() === '') return SEARCH_BACKLOG_ROWS;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`SIGHTLINE_SEARCH_BACKLOG_ROWS must be a whole number of rows, 0 or more (got ${JSON.stringify(raw)})`);
  return n;
}

/**
 * Moves the rows noted since the last flush into the index once there are `atLeast` of them
 * (the first `atMost`, in key order), in the caller's transaction. Every commit stays
 * searchable at once whether or not it moves anything: searches read the noted rows directly.
 * Returns the rows left noted (0 on engines without notes).
 */
export async function flushSearchIndex(tx: Db, d: SqlDialect, { atLeast = SEARCH_FLUSH_ROWS, atMost = SEARCH_FLUSH_MAX } = {}): Promise<number> {
  const flush = INDEX_SQL[d.name].flush;
  if (!flush) return 0;
  const n = Number((await tx.get<{ n: number }>(flush.pending))?.n ?? 0);
  if (n === 0 || n < atLeast) return n;
  // The last noted row moved: the atMost-th in key order, or past every row (kind 2 does not exist).
  const last = n > atMost ? await tx.get<{ kind: number; row_id: number }>(flush.bound, [atMost - 1]) : undefined;
  const bound = last ? [Number(last.kind), Number(last.row_id)] : [2, 0];
  for (const statement of flush.statements) await tx.run(statement, bound);
  return Math.max(0, n - atMost);
}

/**
 * The index's share of an ingestion commit: nothing while the backlog is under `backlog` rows
 * (idle time moves it: catchUpSearchIndex), else SEARCH_STEP_ROWS of it. With a backlog of 0
 * the commit moves up to SEARCH_FLUSH_MAX rows once SEARCH_FLUSH_ROWS are noted.
 */
export function flushForIngestion(tx: Db, d: SqlDialect, backlog = searchBacklogRows()): Promise<number> {
  if (backlog === 0) return flushSearchIndex(tx, d);
  return flushSearchIndex(tx, d, { atLeast: Math.max(backlog, SEARCH_FLUSH_ROWS), atMost: SEARCH_STEP_ROWS });
}

/** One step of catching up in idle time, in the caller's transaction: SEARCH_STEP_ROWS noted rows, once SEARCH_FLUSH_ROWS wait (fewer make small segments, each costlier per row). Returns the rows left noted. */
export function catchUpSearchIndex(tx: Db, d: SqlDialect): Promise<number> {
  return flushSearchIndex(tx, d, { atLeast: SEARCH_FLUSH_ROWS, atMost: SEARCH_STEP_ROWS });
}

/** Rows noted and not yet in the index (0 on engines without notes): what idle time has to do. */
export async function searchBacklog(db: Db, d: SqlDialect): Promise<number> {
  const flush = INDEX_SQL[d.name].flush;
  if (!flush) return 0;
  return Number((await db.get<{ n: number }>(flush.pending))?.n ?? 0);
}

/**
 * The ids of the traces a free-text search can match, read from the search index: every trace
 * whose name, input or output, or one of whose observations' name, input or output, contains
 * `search` (and the trace whose id is `search`), plus perhaps a few that do not — the caller
 * still applies the search's own predicate, so results are exact. Null when the index cannot
 * narrow the search: under three characters (no trigram) or a word with more than
 * SEARCH_CANDIDATE_LIMIT index hits; the search then scans the time range it is given.
 */
export async function searchCandidates(db: Db, d: SqlDialect, projectId: string, search: string, limit = SEARCH_CANDIDATE_LIMIT): Promise<string[] | null> {
  if (ftsTrigrams(search).length === 0) return null;
  const ids = new Set<string>([search]);
  for (const part of [INDEX_SQL[d.name].traces, INDEX_SQL[d.name].observations]) {
    const q = part(projectId, search, limit);
    const rows = await db.all<{ id: string; n: number }>(q.sql, q.params);
    // SQLite counts the index hits of every project (n); PostgreSQL's hits are this project's rows.
    if (rows.length > limit || rows.some((r) => Number(r.n) > limit)) return null;
    for (const r of rows) ids.add(String(r.id));
  }
  return [...ids];
}

/**
 * The traces a search reads, as the FROM item `t`: all of them, or only the candidates, looked
 * up one by one by key. Written as a CROSS JOIN from the candidates (a VALUES list: both engines
 * name its column `column1`) because SQLite keeps that order, where it would otherwise walk the
 * project's time index for the sort and test each trace against the list (without statistics
 * its planner takes a project for a few rows).
 */
export function searchedTraces(projectId: string, candidates: readonly string[] | null | undefined): { sql: string; params: unknown[] } {
  if (!candidates) return { sql: 'traces t', params: [] };
  const values = candidates.map(() => '(?)').join(', ');
  return {
    sql: `(SELECT s.* FROM (SELECT column1 AS id FROM (VALUES ${values}) v) c CROSS JOIN traces s WHERE s.project_id = ? AND s.id = c.id) t`,
    params: [...candidates, projectId],
  };
}
