import type { Db, SqlDialect, WritableDb } from '../db.js';
import { escapeLike } from '../queries/where.js';
import { pgSearchText, sqliteSearchText } from '../schema/migrations.js';

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
  /** The number of noted rows, counted up to `cap` (SQLite counts them all: a b-tree's cells page by page, ≈ 3 µs for 50,000 notes). */
  pending(cap: number): { sql: string; params: unknown[] };
  /** Moves up to `atMost` noted rows into the index in the caller's transaction; the number moved, or null when another instance's step holds the index. */
  move(tx: Db, atMost: number, noted: number): Promise<number | null>;
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

const SQLITE_MOVES = [
  ...sqliteFlush('traces', 'trace_search', 0), ...sqliteFlush('observations', 'observation_search', 1),
  'DELETE FROM search_pending WHERE (kind, row_id) <= (?, ?)',
];

/** SQLite: the first `atMost` noted rows in key order (the last one's key is the bound; kind 2 does not exist: past every row). */
async function sqliteMove(tx: Db, atMost: number, noted: number): Promise<number> {
  const last = noted > atMost ? await tx.get<{ kind: number; row_id: number }>('SELECT kind, row_id FROM search_pending ORDER BY kind, row_id LIMIT 1 OFFSET ?', [atMost - 1]) : undefined;
  const bound = last ? [Number(last.kind), Number(last.row_id)] : [2, 0];
  for (const statement of SQLITE_MOVES) await tx.run(statement, bound);
  return Math.min(noted, atMost);
}

/**
 * PostgreSQL: the candidates of the docs' trigram index (which answers the ILIKE itself and
 * rechecks each hit; it holds this project's rows among others', hence the project filter) and,
 * in the same statement so from the same snapshot, the project's noted rows that hold the search.
 */
function pgCandidates(table: string, alias: string, kind: number, id: string, docs: string, docId: string) {
  return (projectId: string, search: string, limit: number) => ({
    sql: `SELECT id, 0 AS n FROM (SELECT ${docId} AS id FROM ${docs} WHERE project_id = ? AND ${docId} IS NOT NULL AND body ILIKE ? ESCAPE '\\' LIMIT ?) d
      UNION ALL
      SELECT ${id}, 0 FROM search_pending p JOIN ${table} ${alias} ON ${alias}.project_id = p.project_id AND ${alias}.id = p.id
        WHERE p.kind = ${kind} AND p.project_id = ? AND ${id} IS NOT NULL AND ${pgSearchText(alias)} ILIKE ? ESCAPE '\\'`,
    params: [projectId, like(search), limit + 1, projectId, like(search)],
  });
}

/** The two ints of the advisory lock one step at a time holds, across instances ('SGLS', 0: a space apart from ingestion's key and bucket locks). */
const PG_STEP_LOCK = [0x53474c53, 0];

/**
 * PostgreSQL: one step, under a lock only one transaction at a time holds (a step of another
 * instance makes this one give way at once). Takes up to `atMost` notes, skipping those locked
 * by a commit still running (its text is not visible yet: the note stays for the next step), and
 * only then, in later statements and so from later snapshots, writes the docs of their rows:
 * every change committed before a note was taken is in the text written. A note whose row is
 * gone needs nothing: the deletion dropped its doc.
 */
async function pgMove(tx: Db, atMost: number): Promise<number | null> {
  const lock = await tx.get<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock(?::int, ?::int) AS ok', PG_STEP_LOCK);
  if (!lock?.ok) return null;
  const notes = await tx.all<{ kind: number; project_id: string; id: string }>(
    `DELETE FROM search_pending p USING (SELECT kind, project_id, id FROM search_pending LIMIT ? FOR UPDATE SKIP LOCKED) s
      WHERE p.kind = s.kind AND p.project_id = s.project_id AND p.id = s.id RETURNING p.kind, p.project_id, p.id`,
    [atMost],
  );
  const of = (kind: number) => {
    const rows = notes.filter((n) => Number(n.kind) === kind);
    return [rows.map((n) => n.project_id), rows.map((n) => n.id)];
  };
  const [traceProjects, traceIds] = of(0);
  if (traceIds.length > 0) {
    await tx.run(
      `INSERT INTO trace_search_docs (project_id, id, body)
        SELECT t.project_id, t.id, ${pgSearchText('t')} FROM unnest(?::text[], ?::text[]) AS k(project_id, id) JOIN traces t ON t.project_id = k.project_id AND t.id = k.id
        ON CONFLICT (project_id, id) DO UPDATE SET body = excluded.body WHERE trace_search_docs.body IS DISTINCT FROM excluded.body`,
      [traceProjects, traceIds],
    );
  }
  const [observationProjects, observationIds] = of(1);
  if (observationIds.length > 0) {
    await tx.run(
      `INSERT INTO observation_search_docs (project_id, id, trace_id, body)
        SELECT o.project_id, o.id, o.trace_id, ${pgSearchText('o')} FROM unnest(?::text[], ?::text[]) AS k(project_id, id) JOIN observations o ON o.project_id = k.project_id AND o.id = k.id
        ON CONFLICT (project_id, id) DO UPDATE SET trace_id = excluded.trace_id, body = excluded.body
        WHERE observation_search_docs.trace_id IS DISTINCT FROM excluded.trace_id OR observation_search_docs.body IS DISTINCT FROM excluded.body`,
      [observationProjects, observationIds],
    );
  }
  return notes.length;
}

/**
 * Each engine's index: SQLite's FTS5 trigram tables (migration 26), PostgreSQL's pg_trgm GIN
 * indexes of the search docs (migration 33); on both, plus the rows noted since they last moved.
 */
const INDEX_SQL: Record<SqlDialect['name'], IndexSql> = {
  sqlite: {
    traces: sqliteCandidates('traces', 't', 0, 't.id', ''),
    observations: sqliteCandidates('observations', 'o', 1, 'o.trace_id', ' AND o.trace_id IS NOT NULL'),
    pending: () => ({ sql: 'SELECT COUNT(*) AS n FROM search_pending', params: [] }),
    move: sqliteMove,
  },
  postgres: {
    traces: pgCandidates('traces', 't', 0, 't.id', 'trace_search_docs', 'id'),
    observations: pgCandidates('observations', 'o', 1, 'o.trace_id', 'observation_search_docs', 'trace_id'),
    // A bounded count: PostgreSQL's COUNT(*) visits every row (and its visibility).
    pending: (cap) => ({ sql: 'SELECT COUNT(*) AS n FROM (SELECT 1 FROM search_pending LIMIT ?) s', params: [cap] }),
    move: (tx, atMost) => pgMove(tx, atMost),
  },
};

/** At most this many noted rows are moved per transaction: a large deletion (retention) does not stall the next ingestion commit. */
export const SEARCH_FLUSH_MAX = 5000;

/** Noted rows moved into the index per transaction when it catches up in idle time, or when ingestion must because the backlog is full: ≈ 60 ms each (≈ 30 µs a row). */
export const SEARCH_STEP_ROWS = 2000;

/**
 * Noted rows ingestion leaves for idle time: below this backlog the index is written between
 * commits, when no ingestion waits (create-storage.ts), so a burst of ingestion does not pay for
 * indexing its text; at it, ingestion moves SEARCH_STEP_ROWS itself — on SQLite in each commit,
 * on PostgreSQL a step after the commits of every SEARCH_STEP_ROWS events (searchPacer).
 * Searches read the backlog directly (SQLite: about 1 ms per 1,000 observations noted), so they
 * stay exact; `SIGHTLINE_SEARCH_BACKLOG_ROWS` changes it (0: the index keeps up with every
 * commit, as before idle indexing).
 */
export const SEARCH_BACKLOG_ROWS: Record<SqlDialect['name'], number> = {
  sqlite: 50_000,
  // PostgreSQL reads each noted row through its table's key, several times SQLite's cost a row.
  postgres: 20_000,
};

/** The backlog ingestion leaves for idle time: SIGHTLINE_SEARCH_BACKLOG_ROWS, else the engine's SEARCH_BACKLOG_ROWS. Throws on a value that is not a whole number of rows. */
export function searchBacklogRows(env: NodeJS.ProcessEnv = process.env, engine: SqlDialect['name'] = 'sqlite'): number {
  const raw = env.SIGHTLINE_SEARCH_BACKLOG_ROWS;
  if (raw === undefined || raw.trim() === '') return SEARCH_BACKLOG_ROWS[engine];
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`SIGHTLINE_SEARCH_BACKLOG_ROWS must be a whole number of rows, 0 or more (got ${JSON.stringify(raw)})`);
  return n;
}

/**
 * Moves the rows noted since they last moved into the index once there are `atLeast` of them
 * (up to `atMost`), in the caller's transaction. Every commit stays searchable at once whether or
 * not it moves anything: searches read the noted rows directly. Returns the rows left noted (on
 * PostgreSQL counted up to atLeast + atMost; all of them when another instance's step holds the
 * index).
 */
export async function flushSearchIndex(tx: Db, d: SqlDialect, { atLeast = SEARCH_FLUSH_ROWS, atMost = SEARCH_FLUSH_MAX } = {}): Promise<number> {
  const index = INDEX_SQL[d.name];
  // A LIMIT takes a whole number: "all of them" (Infinity) is a billion rows.
  atMost = Math.min(atMost, 1e9);
  const count = index.pending(Math.min(Math.max(1, atLeast) + atMost, 2e9));
  const n = Number((await tx.get<{ n: number }>(count.sql, count.params))?.n ?? 0);
  if (n === 0 || n < atLeast) return n;
  const moved = await index.move(tx, atMost, n);
  return moved === null ? n : Math.max(0, n - moved);
}

/**
 * The index's share of an ingestion commit on SQLite: nothing while the backlog is under
 * `backlog` rows (idle time moves it: catchUpSearchIndex), else SEARCH_STEP_ROWS of it. With a
 * backlog of 0 the commit moves up to SEARCH_FLUSH_MAX rows once SEARCH_FLUSH_ROWS are noted.
 * PostgreSQL's commits leave it to searchPacer.
 */
export async function flushForIngestion(tx: Db, d: SqlDialect, backlog = searchBacklogRows()): Promise<number> {
  if (d.name !== 'sqlite') return 0;
  if (backlog === 0) return flushSearchIndex(tx, d);
  return flushSearchIndex(tx, d, { atLeast: Math.max(backlog, SEARCH_FLUSH_ROWS), atMost: SEARCH_STEP_ROWS });
}

/**
 * Noted rows worth a step in idle time: SQLite waits for SEARCH_FLUSH_ROWS (fewer make small
 * FTS5 segments, each costlier per row); PostgreSQL's GIN index takes any number.
 */
export const searchStepThreshold = (d: SqlDialect): number => (d.name === 'sqlite' ? SEARCH_FLUSH_ROWS : 1);

/** One step of catching up in idle time, in the caller's transaction: SEARCH_STEP_ROWS noted rows, once searchStepThreshold wait. Returns the rows left noted. */
export function catchUpSearchIndex(tx: Db, d: SqlDialect): Promise<number> {
  return flushSearchIndex(tx, d, { atLeast: searchStepThreshold(d), atMost: SEARCH_STEP_ROWS });
}

/** Rows noted and not yet in the index, counted up to `cap` on PostgreSQL: what idle time has to do. */
export async function searchBacklog(db: Db, d: SqlDialect, cap = SEARCH_FLUSH_ROWS): Promise<number> {
  const count = INDEX_SQL[d.name].pending(cap);
  return Number((await db.get<{ n: number }>(count.sql, count.params))?.n ?? 0);
}

/**
 * PostgreSQL's counterpart of flushForIngestion, called after each ingestion commit with its
 * number of events: once the commits of SEARCH_STEP_ROWS events have passed since the last look,
 * it counts the backlog (up to the bound: a few ms) and, at the bound, takes a step itself
 * before the commit's requests are answered — ingestion slows to the index's pace rather than
 * letting searches' share of noted rows grow. Any instance's step will do (a busy lock means
 * one runs). With a backlog of 0 every commit is followed by a step. A failed step is left to
 * idle time: the commit is stored, and its requests are not failed for it.
 */
export function searchPacer(db: WritableDb, d: SqlDialect, backlog = searchBacklogRows(process.env, d.name)): (events: number) => Promise<void> {
  let since = 0;
  return async (events) => {
    if (d.name !== 'postgres') return;
    since += events;
    if (backlog > 0 && since < SEARCH_STEP_ROWS) return;
    since = 0;
    try {
      await db.transaction((tx) =>
        backlog === 0 ? flushSearchIndex(tx, d, { atLeast: 1, atMost: SEARCH_FLUSH_MAX }) : flushSearchIndex(tx, d, { atLeast: backlog, atMost: SEARCH_STEP_ROWS }),
      );
    } catch {
      // Idle time tries again.
    }
  };
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
