import type { Db, SqlDialect } from '../db.js';
import { escapeLike } from '../queries/where.js';
import { PG_SEARCH_TEXT } from '../schema/migrations.js';

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

interface IndexSql {
  /** SQL of the ids (`id`) of a project's rows the index says may contain the search; its parameters. */
  traces(projectId: string, search: string, limit: number): { sql: string; params: unknown[] };
  /** The same for observations, as their traces' ids (`id`). */
  observations(projectId: string, search: string, limit: number): { sql: string; params: unknown[] };
}

/** An FTS5 query that every row holding `search` (case-insensitively) matches: all its trigrams. */
const ftsQuery = (search: string) => trigrams(search).map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND ');

/**
 * Each engine's index (migration 24): SQLite's FTS5 trigram tables hold one row per indexed
 * row, keyed by its rowid and not by project, so the hits are capped before they are joined to
 * their rows; PostgreSQL's pg_trgm GIN index answers the ILIKE itself and rechecks each hit.
 */
const INDEX_SQL: Record<SqlDialect['name'], IndexSql> = {
  sqlite: {
    traces: (projectId, search, limit) => ({
      sql: `SELECT t.id AS id, s.n AS n FROM (SELECT rowid AS r, COUNT(*) OVER () AS n FROM (SELECT rowid FROM trace_search WHERE trace_search MATCH ? LIMIT ?)) s
        CROSS JOIN traces t ON t.rowid = s.r WHERE t.project_id = ?`,
      params: [ftsQuery(search), limit + 1, projectId],
    }),
    observations: (projectId, search, limit) => ({
      sql: `SELECT o.trace_id AS id, s.n AS n FROM (SELECT rowid AS r, COUNT(*) OVER () AS n FROM (SELECT rowid FROM observation_search WHERE observation_search MATCH ? LIMIT ?)) s
        CROSS JOIN observations o ON o.rowid = s.r WHERE o.project_id = ? AND o.trace_id IS NOT NULL`,
      params: [ftsQuery(search), limit + 1, projectId],
    }),
  },
  postgres: {
    traces: (projectId, search, limit) => ({
      sql: `SELECT id, 0 AS n FROM traces WHERE project_id = ? AND ${PG_SEARCH_TEXT} ILIKE ? ESCAPE '\\' LIMIT ?`,
      params: [projectId, `%${escapeLike(search)}%`, limit + 1],
    }),
    observations: (projectId, search, limit) => ({
      sql: `SELECT trace_id AS id, 0 AS n FROM observations WHERE project_id = ? AND trace_id IS NOT NULL AND ${PG_SEARCH_TEXT} ILIKE ? ESCAPE '\\' LIMIT ?`,
      params: [projectId, `%${escapeLike(search)}%`, limit + 1],
    }),
  },
};

/**
 * The ids of the traces a free-text search can match, read from the search index: every trace
 * whose name, input or output, or one of whose observations' name, input or output, contains
 * `search` (and the trace whose id is `search`), plus perhaps a few that do not — the caller
 * still applies the search's own predicate, so results are exact. Null when the index cannot
 * narrow the search: under three characters (no trigram) or a word with more than
 * SEARCH_CANDIDATE_LIMIT index hits; the search then scans the time range it is given.
 */
export async function searchCandidates(db: Db, d: SqlDialect, projectId: string, search: string, limit = SEARCH_CANDIDATE_LIMIT): Promise<string[] | null> {
  if (trigrams(search).length === 0) return null;
  const ids = new Set<string>([search]);
  for (const part of [INDEX_SQL[d.name].traces, INDEX_SQL[d.name].observations]) {
    const q = part(projectId, search, limit);
    const rows = await db.all<{ id: string; n: number }>(q.sql, q.params);
    // SQLite counts the index hits of every project (n); PostgreSQL's hits are this project's rows.
    if (rows.length > limit || Number(rows[0]?.n ?? 0) > limit) return null;
    for (const r of rows) ids.add(String(r.id));
  }
  return [...ids];
}
