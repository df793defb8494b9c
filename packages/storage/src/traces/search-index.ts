import type { Db, SqlDialect, WritableDb } from '../db.js';
import { escapeLike } from '../queries/where.js';
import { pgSearchText } from '../schema/migrations.js';
import { addWords, LONG_WORD, longKey, MAX_EXPANSION, prefixEnd, projectSeed, type SearchWord, searchWords, wordKey, wordLength } from './search-words.js';

/**
 * Past this many index hits per table the word is common: the search walks the time index
 * instead, where a common word finds a page of matches within a few rows.
 */
export const SEARCH_CANDIDATE_LIMIT = 2000;

/** Noted rows (search_pending) moved into SQLite's FTS5 index in one go: about one segment per this many rows. */
export const SEARCH_FLUSH_ROWS = 1000;

/**
 * What a row must hold to match a search: every condition, each a set of word keys of which
 * the row must hold one (search-words.ts).
 */
type Conditions = number[][];

interface IndexSql {
  /** SQL of the ids (`id`) of a project's traces the index says may meet the conditions or noted rows holding `search`, with the number of index hits (`n`); its parameters. */
  traces(projectId: string, conditions: Conditions, search: string, limit: number): { sql: string; params: unknown[] };
  /** The same for observations, as their traces' ids. */
  observations(projectId: string, conditions: Conditions, search: string, limit: number): { sql: string; params: unknown[] };
  /** The number of noted rows, counted up to `cap` (SQLite counts them all: a b-tree's cells page by page, ≈ 3 µs for 50,000 notes). */
  pending(cap: number): { sql: string; params: unknown[] };
  /**
   * The number of noted rows as far as a search needs it: SQLite counts up to `cap`; PostgreSQL
   * reads its statistics' live rows (a count would walk the deletions of every step since the
   * last vacuum, ≈ 0.3 µs each; exactness does not depend on it).
   */
  noted(cap: number): { sql: string; params: unknown[] };
  /** Moves up to `atMost` noted rows into the index in the caller's transaction; the number moved, or null when another instance's step holds the index. */
  move(tx: Db, atMost: number, noted: number): Promise<number | null>;
  /** The project's vocabulary words (`word`) that have a prefix, suffix or infix, up to `limit`. */
  vocabulary(projectId: string, w: SearchWord, limit: number): { sql: string; params: unknown[] };
}

const like = (search: string) => `%${escapeLike(search)}%`;

/** The FTS5 token of a key (the `ascii` tokenizer keeps it whole). */
const ftsToken = (key: number) => `k${(key >>> 0).toString(36)}`;

/** An FTS5 query of the conditions: each a token or an OR of tokens, all ANDed. */
const ftsQuery = (conditions: Conditions) =>
  conditions.map((c) => (c.length === 1 ? ftsToken(c[0]) : `(${c.map(ftsToken).join(' OR ')})`)).join(' AND ');

/** The words of a step's rows: each row's keys, and the words seen, by project (for the vocabulary). */
class StepWords {
  private readonly seeds = new Map<string, number>();
  /** Project → key → folded word. */
  private readonly words = new Map<string, Map<number, string>>();
  /** Key → FTS5 token: a step's rows repeat most of their words. */
  private readonly tokens = new Map<number, string>();
  private readonly row = new Set<number>();

  private collect(projectId: string, texts: readonly unknown[]): Set<number> {
    let seed = this.seeds.get(projectId);
    if (seed === undefined) {
      seed = projectSeed(projectId);
      this.seeds.set(projectId, seed);
      this.words.set(projectId, new Map());
    }
    const words = this.words.get(projectId)!;
    this.row.clear();
    for (const t of texts) if (typeof t === 'string') addWords(seed, t, this.row, words);
    return this.row;
  }

  /** A row's keys as an FTS5 text of tokens (SQLite). */
  ftsBody(projectId: string, texts: readonly unknown[]): string {
    const parts: string[] = [];
    for (const key of this.collect(projectId, texts)) {
      let token = this.tokens.get(key);
      if (token === undefined) this.tokens.set(key, (token = ftsToken(key)));
      parts.push(token);
    }
    return parts.join(' ');
  }

  /** A row's keys as a sorted int4[] literal (PostgreSQL: sorted, an unchanged doc compares equal). */
  pgKeys(projectId: string, texts: readonly unknown[]): string {
    return `{${[...this.collect(projectId, texts)].sort((a, b) => a - b).join(',')}}`;
  }

  /** [project ids, words], one pair per distinct word of each project. */
  pairs(): [string[], string[]] {
    const projects: string[] = [];
    const words: string[] = [];
    for (const [p, m] of this.words) {
      for (const w of m.values()) {
        projects.push(p);
        words.push(w);
      }
    }
    return [projects, words];
  }
}

/**
 * SQLite: the FTS5 hits (capped before they are joined to their rows: the index holds every
 * project) and, in the same statement so from the same snapshot, the rows noted since the last
 * flush that hold the search — the index may not know their text yet, or still knows their old
 * text (an over-match the caller's check removes).
 */
function sqliteCandidates(table: string, alias: string, kind: number, id: string, extra: string) {
  const index = kind === 0 ? 'trace_search' : 'observation_search';
  const text = `${alias}.name LIKE ? ESCAPE '\\' OR ${alias}.input LIKE ? ESCAPE '\\' OR ${alias}.output LIKE ? ESCAPE '\\'`;
  return (projectId: string, conditions: Conditions, search: string, limit: number) => ({
    sql: `SELECT ${id} AS id, s.n AS n FROM (SELECT rowid AS r, COUNT(*) OVER () AS n FROM (SELECT rowid FROM ${index} WHERE ${index} MATCH ? LIMIT ?)) s
        CROSS JOIN ${table} ${alias} ON ${alias}.rowid = s.r WHERE ${alias}.project_id = ?${extra}
      UNION ALL
      SELECT ${id}, 0 FROM search_pending p CROSS JOIN ${table} ${alias} ON ${alias}.rowid = p.row_id
        WHERE p.kind = ${kind} AND ${alias}.project_id = ?${extra} AND (${text})`,
    params: [ftsQuery(conditions), limit + 1, projectId, projectId, like(search), like(search), like(search)],
  });
}

/**
 * SQLite: the noted rows up to a bound `(kind, row_id) <= (?, ?)` of one table move into its
 * FTS5 table. Only rows up to the index's highest rowid can be in it: the rest (most of them,
 * rows inserted since the last flush) skip the delete, a lookup each in the index's row sizes.
 * The rows' words are found here (search-words.ts) and written as one statement's JSON.
 */
async function sqliteFlush(tx: Db, table: string, index: string, kind: number, bound: number[], words: StepWords): Promise<void> {
  await tx.run(
    `DELETE FROM ${index} WHERE rowid IN (SELECT row_id FROM search_pending WHERE kind = ${kind} AND (kind, row_id) <= (?, ?)
       AND row_id <= (SELECT max(rowid) FROM ${index}))`,
    bound,
  );
  const rows = await tx.values(
    `SELECT x.rowid, x.project_id, x.name, x.input, x.output FROM search_pending p CROSS JOIN ${table} x ON x.rowid = p.row_id
       WHERE p.kind = ${kind} AND (p.kind, p.row_id) <= (?, ?)`,
    bound,
  );
  if (rows.length === 0) return;
  const insert = `INSERT INTO ${index} (rowid, body) VALUES (?, ?)`;
  for (const [rowid, projectId, name, input, output] of rows) await tx.run(insert, [rowid, words.ftsBody(String(projectId), [name, input, output])]);
}

/** Writes a step's words into the project vocabularies (those already there stay). */
async function writeVocabulary(tx: Db, engine: SqlDialect['name'], words: StepWords): Promise<void> {
  const [projects, list] = words.pairs();
  if (list.length === 0) return;
  if (engine === 'postgres') {
    await tx.run('INSERT INTO search_words (project_id, word) SELECT * FROM unnest(?::text[], ?::text[]) ON CONFLICT DO NOTHING', [projects, list]);
  } else {
    await tx.run(
      'INSERT INTO search_words (project_id, word) SELECT json_extract(value, \'$[0]\'), json_extract(value, \'$[1]\') FROM json_each(?) WHERE true ON CONFLICT DO NOTHING',
      [JSON.stringify(list.map((w, i) => [projects[i], w]))],
    );
  }
}

/** SQLite: the first `atMost` noted rows in key order (the last one's key is the bound; kind 2 does not exist: past every row). */
async function sqliteMove(tx: Db, atMost: number, noted: number): Promise<number> {
  const last = noted > atMost ? await tx.get<{ kind: number; row_id: number }>('SELECT kind, row_id FROM search_pending ORDER BY kind, row_id LIMIT 1 OFFSET ?', [atMost - 1]) : undefined;
  const bound = last ? [Number(last.kind), Number(last.row_id)] : [2, 0];
  const words = new StepWords();
  await sqliteFlush(tx, 'traces', 'trace_search', 0, bound, words);
  await sqliteFlush(tx, 'observations', 'observation_search', 1, bound, words);
  await writeVocabulary(tx, 'sqlite', words);
  await tx.run('DELETE FROM search_pending WHERE (kind, row_id) <= (?, ?)', bound);
  return Math.min(noted, atMost);
}

/**
 * PostgreSQL: the candidates of the docs' GIN index of word keys (`@>` every single key, `&&` one
 * of each set) and, in the same statement so from the same snapshot, the project's noted rows
 * that hold the search.
 */
function pgCandidates(table: string, alias: string, kind: number, id: string, docs: string, docId: string) {
  return (projectId: string, conditions: Conditions, search: string, limit: number) => {
    const all = conditions.filter((c) => c.length === 1).map((c) => c[0]);
    const some = conditions.filter((c) => c.length > 1);
    const keys = [...(all.length > 0 ? [' AND keys @> ?::int4[]'] : []), ...some.map(() => ' AND keys && ?::int4[]')].join('');
    return {
      sql: `SELECT id, 0 AS n FROM (SELECT ${docId} AS id FROM ${docs} WHERE project_id = ? AND ${docId} IS NOT NULL${keys} LIMIT ?) d
        UNION ALL
        SELECT ${id}, 0 FROM search_pending p JOIN ${table} ${alias} ON ${alias}.project_id = p.project_id AND ${alias}.id = p.id
          WHERE p.kind = ${kind} AND p.project_id = ? AND ${id} IS NOT NULL AND ${pgSearchText(alias)} ILIKE ? ESCAPE '\\'`,
      params: [projectId, ...(all.length > 0 ? [all] : []), ...some, limit + 1, projectId, like(search)],
    };
  };
}

/** The two ints of the advisory lock one step at a time holds, across instances ('SGLS', 0: a space apart from ingestion's key and bucket locks). */
const PG_STEP_LOCK = [0x53474c53, 0];

/**
 * PostgreSQL: one step, under a lock only one transaction at a time holds (a step of another
 * instance makes this one give way at once). Takes up to `atMost` notes, skipping those locked
 * by a commit still running (its text is not visible yet: the note stays for the next step), and
 * only then, in later statements and so from later snapshots, reads their rows and writes their
 * docs (the keys of their words) and words: every change committed before a note was taken is in
 * what is written. A note whose row is gone needs nothing: the deletion dropped its doc.
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
  const words = new StepWords();
  const [traceProjects, traceIds] = of(0);
  if (traceIds.length > 0) {
    const rows = await tx.values(
      'SELECT t.project_id, t.id, t.name, t.input, t.output FROM unnest(?::text[], ?::text[]) AS k(project_id, id) JOIN traces t ON t.project_id = k.project_id AND t.id = k.id',
      [traceProjects, traceIds],
    );
    const keys = rows.map(([p, , name, input, output]) => words.pgKeys(String(p), [name, input, output]));
    await tx.run(
      `INSERT INTO trace_search_docs (project_id, id, keys) SELECT k.project_id, k.id, k.keys::int4[] FROM unnest(?::text[], ?::text[], ?::text[]) AS k(project_id, id, keys)
        ON CONFLICT (project_id, id) DO UPDATE SET keys = excluded.keys WHERE trace_search_docs.keys IS DISTINCT FROM excluded.keys`,
      [rows.map((r) => r[0]), rows.map((r) => r[1]), keys],
    );
  }
  const [observationProjects, observationIds] = of(1);
  if (observationIds.length > 0) {
    const rows = await tx.values(
      `SELECT o.project_id, o.id, o.trace_id, o.name, o.input, o.output FROM unnest(?::text[], ?::text[]) AS k(project_id, id)
        JOIN observations o ON o.project_id = k.project_id AND o.id = k.id`,
      [observationProjects, observationIds],
    );
    const keys = rows.map(([p, , , name, input, output]) => words.pgKeys(String(p), [name, input, output]));
    await tx.run(
      `INSERT INTO observation_search_docs (project_id, id, trace_id, keys)
        SELECT k.project_id, k.id, k.trace_id, k.keys::int4[] FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS k(project_id, id, trace_id, keys)
        ON CONFLICT (project_id, id) DO UPDATE SET trace_id = excluded.trace_id, keys = excluded.keys
        WHERE observation_search_docs.trace_id IS DISTINCT FROM excluded.trace_id OR observation_search_docs.keys IS DISTINCT FROM excluded.keys`,
      [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), keys],
    );
  }
  await writeVocabulary(tx, 'postgres', words);
  return notes.length;
}

/**
 * A project's vocabulary words with a prefix (a range of its primary key), a suffix or an infix
 * (the trigram index of the words: SQLite's FTS5, PostgreSQL's pg_trgm; at least three
 * characters, which searchPlan ensures).
 */
function vocabularySql(trigramFrom: string) {
  return (projectId: string, w: SearchWord, limit: number) => {
    if (w.mode === 'prefix') {
      const end = prefixEnd(w.word);
      return {
        sql: `SELECT word FROM search_words WHERE project_id = ? AND word >= ?${end === null ? '' : ' AND word < ?'} LIMIT ?`,
        params: [projectId, w.word, ...(end === null ? [] : [end]), limit],
      };
    }
    const pattern = w.mode === 'suffix' ? `%${w.word}` : `%${w.word}%`;
    return { sql: `${trigramFrom} LIMIT ?`, params: [pattern, projectId, limit] };
  };
}

/**
 * Each engine's index: SQLite's FTS5 tables of word keys, PostgreSQL's GIN indexes of the search
 * docs' keys (migration 34); on both, plus the rows noted since they last moved.
 */
const INDEX_SQL: Record<SqlDialect['name'], IndexSql> = {
  sqlite: {
    traces: sqliteCandidates('traces', 't', 0, 't.id', ''),
    observations: sqliteCandidates('observations', 'o', 1, 'o.trace_id', ' AND o.trace_id IS NOT NULL'),
    pending: () => ({ sql: 'SELECT COUNT(*) AS n FROM search_pending', params: [] }),
    move: sqliteMove,
    noted: (cap) => ({ sql: 'SELECT COUNT(*) AS n FROM (SELECT 1 FROM search_pending LIMIT ?) s', params: [cap] }),
    vocabulary: vocabularySql('SELECT w.word FROM search_word_trigrams f CROSS JOIN search_words w ON w.rowid = f.rowid WHERE f.word LIKE ? AND w.project_id = ?'),
  },
  postgres: {
    traces: pgCandidates('traces', 't', 0, 't.id', 'trace_search_docs', 'id'),
    observations: pgCandidates('observations', 'o', 1, 'o.trace_id', 'observation_search_docs', 'trace_id'),
    // A bounded count: PostgreSQL's COUNT(*) visits every row (and its visibility).
    pending: (cap) => ({ sql: 'SELECT COUNT(*) AS n FROM (SELECT 1 FROM search_pending LIMIT ?) s', params: [cap] }),
    move: (tx, atMost) => pgMove(tx, atMost),
    noted: () => ({ sql: "SELECT COALESCE(SUM(n_live_tup), 0) AS n FROM pg_stat_user_tables WHERE relid = to_regclass('search_pending')", params: [] }),
    vocabulary: vocabularySql('SELECT word FROM search_words WHERE word LIKE ? AND project_id = ?'),
  },
};

/** Noted rows whose text a step holds in memory at once. */
const SEARCH_MOVE_CHUNK = 5000;

/** At most this many noted rows are moved per transaction: a large deletion (retention) does not stall the next ingestion commit. */
export const SEARCH_FLUSH_MAX = 5000;

/** Noted rows moved into the index per transaction when it catches up in idle time, or when ingestion must because the backlog is full: ≈ 80 ms on SQLite (≈ 40 µs a row of English), ≈ 370 ms on PostgreSQL (≈ 185; bench/RESULTS.md). */
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
  // PostgreSQL reads each noted row through its table's key and matches its text, ≈ 15 µs a row
  // of English (bench/RESULTS.md): 20,000 noted rows cost a search ≈ 280 ms, at the 300 ms target.
  postgres: 10_000,
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
  // In chunks: a step reads its rows' text into memory to find their words.
  let moved = 0;
  while (moved < atMost) {
    const chunk = Math.min(atMost - moved, SEARCH_MOVE_CHUNK);
    const m = await index.move(tx, chunk, n - moved);
    if (m === null) return n;
    moved += m;
    if (m < chunk) break;
  }
  return Math.max(0, n - moved);
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
 * Noted rows past which a search stops reading them and scans its time range instead: twice the
 * backlog's bound, at least 20,000 (≈ 300 ms of noted rows on PostgreSQL, ≈ 20 on SQLite). Only
 * an upgrade that notes every row (migration 34), or steps that keep failing, get there; the scan
 * is exact too, and the steps bring the backlog back under it.
 */
export const searchScanBacklog = (d: SqlDialect, env: NodeJS.ProcessEnv = process.env): number => Math.max(2 * searchBacklogRows(env, d.name), 20_000);

/**
 * The conditions of a search (search-words.ts): a whole word's key; for a prefix, suffix or
 * infix, the keys of the project's vocabulary words that have it, or the LONG key. A partial
 * word under three characters (no trigram finds its words) or with more than MAX_EXPANSION
 * words does not narrow the search; null when no word does. Also the number of words each
 * expansion found, to tell whether the vocabulary grew since.
 */
async function searchPlan(db: Db, d: SqlDialect, projectId: string, search: string): Promise<{ conditions: Conditions; found: number[] } | null> {
  const seed = projectSeed(projectId);
  const long = longKey(seed);
  const conditions: Conditions = [];
  const found: number[] = [];
  for (const w of searchWords(search)) {
    const length = wordLength(w.word);
    if (length > LONG_WORD) conditions.push([long]);
    else if (w.mode === 'exact') conditions.push([wordKey(seed, w.word)]);
    else if (w.mode === 'prefix' || length >= 3) {
      const q = INDEX_SQL[d.name].vocabulary(projectId, w, MAX_EXPANSION + 1);
      const words = await db.all<{ word: string }>(q.sql, q.params);
      found.push(words.length);
      if (words.length <= MAX_EXPANSION) conditions.push([...words.map((r) => wordKey(seed, String(r.word))), long]);
    }
  }
  return conditions.length > 0 ? { conditions, found } : null;
}

/**
 * The ids of the traces a free-text search can match, read from the search index: every trace
 * whose name, input or output, or one of whose observations' name, input or output, contains
 * `search` (and the trace whose id is `search`), plus perhaps a few that do not — the caller
 * still applies the search's own predicate, so results are exact. Null when the index cannot
 * narrow the search (searchPlan) or it has more than SEARCH_CANDIDATE_LIMIT index hits in a
 * table; the search then scans the time range it is given.
 *
 * The vocabulary is read in other statements than the docs, so from other snapshots: a step
 * committing in between could write a doc whose new word the expansion missed. Words are only
 * ever added, so reading the expansions again after the docs and finding no more words proves
 * that none came before the docs were read; otherwise the search is planned again.
 */
export async function searchCandidates(
  db: Db,
  d: SqlDialect,
  projectId: string,
  search: string,
  limit = SEARCH_CANDIDATE_LIMIT,
  scanPast = searchScanBacklog(d),
): Promise<string[] | null> {
  // Far past its bound (an upgrade noted every row), reading the noted rows costs more than the scan.
  const count = INDEX_SQL[d.name].noted(scanPast + 1);
  if (Number((await db.get<{ n: number }>(count.sql, count.params))?.n ?? 0) > scanPast) return null;
  let plan = await searchPlan(db, d, projectId, search);
  for (let attempt = 0; plan && attempt < 3; attempt++) {
    const ids = new Set<string>([search]);
    for (const part of [INDEX_SQL[d.name].traces, INDEX_SQL[d.name].observations]) {
      const q = part(projectId, plan.conditions, search, limit);
      const rows = await db.all<{ id: string; n: number }>(q.sql, q.params);
      // SQLite counts the index hits of every project (n); PostgreSQL's hits are this project's rows.
      if (rows.length > limit || rows.some((r) => Number(r.n) > limit)) return null;
      for (const r of rows) ids.add(String(r.id));
    }
    if (plan.found.length === 0) return [...ids];
    const again = await searchPlan(db, d, projectId, search);
    if (again && again.found.every((n, i) => n === plan!.found[i])) return [...ids];
    plan = again;
  }
  return null;
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
