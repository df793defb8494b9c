import type { Migration, SqlDialect } from '../db.js';

/**
 * The numbered migrations of both engines, each written once. Both accept the same column type
 * names (SQLite maps BIGINT to its 64-bit INTEGER, DOUBLE PRECISION to REAL, BOOLEAN to NUMERIC
 * holding 0/1), and JSON is TEXT on both (`SqlDialect.jsonText` reads it), so the SQL is one
 * text except at the `differ(...)` pieces below, each saying why. Append new migrations; never
 * edit one that has shipped: deployed databases record them by version in `schema_migrations`,
 * and schema/migrations.test.ts holds every engine's shipped SQL to prove the rendering unchanged.
 */

type Engine = SqlDialect['name'];

/** A piece of SQL each engine spells its own way. */
interface PerEngine {
  readonly sqlite: string;
  readonly postgres: string;
}

/** Marks a real difference between the engines; give each use its reason. */
const differ = (sql: PerEngine): PerEngine => sql;

/** Migration SQL written once, rendered for an engine; the only interpolations are `differ` pieces. */
function sql(text: TemplateStringsArray, ...pieces: PerEngine[]): (engine: Engine) => string {
  return (engine) => text.reduce((out, part, i) => out + pieces[i - 1][engine] + part);
}

/**
 * The event log's arrival order (`ORDER BY seq` replays an entity's events): a 64-bit number
 * that only grows and is never handed out again, even after the newest rows are deleted.
 * SQLite needs AUTOINCREMENT for that (a bare INTEGER PRIMARY KEY may reuse the largest deleted
 * rowid); PostgreSQL's sequence behind BIGSERIAL never reuses a value.
 */
const eventSeq = differ({ sqlite: 'INTEGER PRIMARY KEY AUTOINCREMENT', postgres: 'BIGSERIAL PRIMARY KEY' });

/**
 * trace_rollups is read and upserted by its whole primary key and its rows are a few small
 * columns, so on SQLite it is stored in key order in one b-tree instead of a rowid table plus a
 * key index. PostgreSQL has no rowid (a table is a heap beside its primary-key index), so the
 * clause has no counterpart there. observation_rollups has been a rowid table since migration 3:
 * its rows carry histogram bins, and SQLite recommends WITHOUT ROWID for small rows only.
 */
const withoutRowid = differ({ sqlite: ' WITHOUT ROWID', postgres: '' });

/**
 * An observation's `total` usage as JSON text (totals/trace-totals.ts reads the same key): SQLite's
 * JSON path against PostgreSQL's jsonb operator; JSON is TEXT on both.
 */
const usageTotal = differ({ sqlite: `json_extract(o.usage_details, '$."total"')`, postgres: `(o.usage_details::jsonb ->> 'total')` });

/**
 * The same usage total without a table alias, for an index over it: the observations table's
 * tokens sort spells the expression the same way (observations/observation-table.ts), as an
 * engine uses an expression index only for a query that writes its expression.
 */
const usageTotalOfRow = differ({ sqlite: `json_extract(usage_details, '$."total"')`, postgres: `(usage_details::jsonb ->> 'total')` });

/**
 * The free-text search index of traces and observations (traces/search-index.ts reads and
 * maintains it): the text the search matches (name, input, output) of each row, indexed by
 * trigram. SQLite has FTS5's trigram tokenizer: a contentless table (the text is not stored
 * twice) with `detail=none` (row lists only, no positions: the cheapest to write; a search ANDs
 * the query's trigrams and checks every candidate with its own predicate), rows keyed by the
 * indexed row's rowid. FTS5 writes a segment per transaction, which costs several times more per
 * row for ingestion's small commits than for large ones, so triggers only note the rowid of each
 * inserted, changed or deleted row in `search_pending` (in the same transaction: every write and
 * delete path is covered), the noted rows move into the index in batches while ingestion is idle
 * (or in its commits once the backlog is large: traces/search-index.ts), and a search reads the
 * noted rows directly besides the index. PostgreSQL indexes the
 * same text with pg_trgm's GIN operator class, maintained by the engine itself (its pending list
 * batches the same way) — until migration 33 moved it out of the commit the same way; the
 * extension is trusted (any role with CREATE on the database may create it), otherwise a
 * superuser creates it once before this migration runs.
 */
export const sqliteSearchText = (row: string) => `COALESCE(${row}.name, '') || char(10) || COALESCE(${row}.input, '') || char(10) || COALESCE(${row}.output, '')`;

/**
 * Notes a row for the index once. Not `INSERT OR IGNORE`: an outer statement's conflict clause
 * overrides a trigger's (an upsert's key conflict would abort the ingestion commit).
 */
const notePending = (kind: number, row: string) =>
  `INSERT INTO search_pending (kind, row_id) SELECT ${kind}, ${row}.rowid WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE kind = ${kind} AND row_id = ${row}.rowid)`;

const searchTable = (table: string, index: string, kind: number) => `
CREATE VIRTUAL TABLE ${index} USING fts5(body, content='', contentless_delete=1, detail=none, tokenize='trigram case_sensitive 0');
INSERT INTO ${index} (rowid, body) SELECT rowid, ${sqliteSearchText(table)} FROM ${table};
CREATE TRIGGER ${index}_insert AFTER INSERT ON ${table} BEGIN
  ${notePending(kind, 'new')};
END;
CREATE TRIGGER ${index}_update AFTER UPDATE OF name, input, output ON ${table}
  WHEN new.name IS NOT old.name OR new.input IS NOT old.input OR new.output IS NOT old.output BEGIN
  ${notePending(kind, 'new')};
END;
CREATE TRIGGER ${index}_delete AFTER DELETE ON ${table} BEGIN
  ${notePending(kind, 'old')};
END`;

/** The same text as one expression of the row's columns, for PostgreSQL's expression index (search-index.ts writes it identically). */
export const PG_SEARCH_TEXT = "(COALESCE(name, '') || chr(10) || COALESCE(input, '') || chr(10) || COALESCE(output, ''))";

const searchIndex = differ({
  sqlite: `
CREATE TABLE search_pending (
  kind INTEGER NOT NULL,
  row_id INTEGER NOT NULL,
  PRIMARY KEY (kind, row_id)
) WITHOUT ROWID;
${searchTable('traces', 'trace_search', 0)};
${searchTable('observations', 'observation_search', 1)}`,
  postgres: `
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX trace_search ON traces USING gin (${PG_SEARCH_TEXT} gin_trgm_ops);
CREATE INDEX observation_search ON observations USING gin (${PG_SEARCH_TEXT} gin_trgm_ops)`,
});

/**
 * FTS5 merges a level's segments once `automerge` of them exist (default 4), part of the work at
 * each commit that writes the index: at 8 each indexed row is rewritten by fewer merges (about half
 * the merge work an ingestion flush's commit does, bench/RESULTS.md), while a search reads at most
 * seven segments per level instead of three (each a few index lookups per trigram). PostgreSQL's
 * GIN index has no such setting.
 */
const searchMerges = differ({
  sqlite: `
INSERT INTO trace_search (trace_search, rank) VALUES ('automerge', 8);
INSERT INTO observation_search (observation_search, rank) VALUES ('automerge', 8)`,
  postgres: '',
});

/**
 * The public traces list's metadata filter (`stringObject` `=` a plain string) is a containment
 * test on PostgreSQL (queries/filter-sql.ts): this index finds a rare value's traces without
 * walking the project, and the statistics ANALYZE keeps on its expression let the planner walk
 * the time index for a common value instead of reading every trace (its default guess for
 * `metadata::jsonb ->> key` was 0.5 % of the rows, so a bounded count read the whole table).
 * jsonb_path_ops: one hashed entry per path and value, smaller than the default operator class.
 * ANALYZE gathers those statistics at once rather than at the next autoanalyze of a big table.
 * SQLite reads metadata per trace as before (json_extract; no index of JSON values).
 */
/**
 * The traces list filtered by level ERROR walks traces newest first and asks each whether its
 * kept error count is above zero (traces/search-traces.ts). On PostgreSQL that probe was a
 * primary-key lookup plus a heap fetch of the trace_totals row, four buffers per trace walked
 * (≈ 760 for a page at 6.5 % of traces with errors): a partial index of the traces with errors
 * answers it from a small index alone (1M traces: 14.6 → 4.4 ms for the statement, bench/RESULTS.md).
 * Its upkeep falls only on traces with errors. SQLite keeps trace_totals in its primary key's
 * b-tree (WITHOUT ROWID), so its lookup already reads the count with the key: no index there.
 */
const traceErrorsIndex = differ({
  sqlite: '',
  postgres: `
CREATE INDEX trace_totals_errors ON trace_totals (project_id, trace_id) WHERE error_count > 0`,
});

/** PostgreSQL's search text of a row under an alias, as PG_SEARCH_TEXT (the step writing search docs and the search reading noted rows spell it so). */
export const pgSearchText = (row: string) => `(COALESCE(${row}.name, '') || chr(10) || COALESCE(${row}.input, '') || chr(10) || COALESCE(${row}.output, ''))`;

/** The statement trigger's function that drops the deleted rows' notes and search docs (`gone`: the deleted rows). */
const pgSearchForget = (table: string, docs: string, kind: number) => `CREATE FUNCTION search_forget_${table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_pending p USING gone g WHERE p.kind = ${kind} AND p.project_id = g.project_id AND p.id = g.id;
  DELETE FROM ${docs} d USING gone g WHERE d.project_id = g.project_id AND d.id = g.id;
  RETURN NULL;
END $$`;

/**
 * PostgreSQL's search index written outside the ingestion commit, as SQLite's is since migration
 * 26 (traces/search-index.ts): the GIN trigram index of each row's text cost about 120 µs per
 * event inside every commit (bench/RESULTS.md, pg-search-deferred), where noting the row costs
 * about 5. A GIN index over the rows' own columns cannot be written later, so the text goes into
 * `trace_search_docs` / `observation_search_docs` (an observation's doc keeps its trace id) with
 * the index on them, filled from the rows present here. Ingestion's writes note the rows whose
 * text (or trace) changed in `search_pending`, the same statement's triggers: the note's upsert
 * locks the note row (DO UPDATE … WHERE false writes nothing), so a step that moves notes into
 * docs skips a note whose change is not yet committed and never writes a stale text (the step
 * reads rows in a later statement than the one that took the notes). A deletion drops the
 * row's note and doc at once, a statement at a time (retention deletes in bulk).
 */
const searchDocs = differ({
  sqlite: '',
  postgres: `
CREATE TABLE search_pending (
  kind SMALLINT NOT NULL,
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (kind, project_id, id)
);
CREATE TABLE trace_search_docs (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE TABLE observation_search_docs (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  trace_id TEXT,
  body TEXT NOT NULL,
  PRIMARY KEY (project_id, id)
);
INSERT INTO trace_search_docs (project_id, id, body) SELECT t.project_id, t.id, ${pgSearchText('t')} FROM traces t;
INSERT INTO observation_search_docs (project_id, id, trace_id, body) SELECT o.project_id, o.id, o.trace_id, ${pgSearchText('o')} FROM observations o;
DROP INDEX trace_search;
DROP INDEX observation_search;
CREATE INDEX trace_search ON trace_search_docs USING gin (body gin_trgm_ops);
CREATE INDEX observation_search ON observation_search_docs USING gin (body gin_trgm_ops);
CREATE FUNCTION search_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_pending (kind, project_id, id) VALUES (TG_ARGV[0]::smallint, NEW.project_id, NEW.id)
    ON CONFLICT (kind, project_id, id) DO UPDATE SET kind = excluded.kind WHERE false;
  RETURN NULL;
END $$;
${pgSearchForget('traces', 'trace_search_docs', 0)};
${pgSearchForget('observations', 'observation_search_docs', 1)};
CREATE TRIGGER traces_search_insert AFTER INSERT ON traces FOR EACH ROW EXECUTE FUNCTION search_note('0');
CREATE TRIGGER traces_search_update AFTER UPDATE OF name, input, output ON traces FOR EACH ROW
  WHEN (NEW.name IS DISTINCT FROM OLD.name OR NEW.input IS DISTINCT FROM OLD.input OR NEW.output IS DISTINCT FROM OLD.output)
  EXECUTE FUNCTION search_note('0');
CREATE TRIGGER traces_search_delete AFTER DELETE ON traces REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION search_forget_traces();
CREATE TRIGGER observations_search_insert AFTER INSERT ON observations FOR EACH ROW EXECUTE FUNCTION search_note('1');
CREATE TRIGGER observations_search_update AFTER UPDATE OF name, input, output, trace_id ON observations FOR EACH ROW
  WHEN (NEW.name IS DISTINCT FROM OLD.name OR NEW.input IS DISTINCT FROM OLD.input OR NEW.output IS DISTINCT FROM OLD.output OR NEW.trace_id IS DISTINCT FROM OLD.trace_id)
  EXECUTE FUNCTION search_note('1');
CREATE TRIGGER observations_search_delete AFTER DELETE ON observations REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION search_forget_observations()`,
});

/**
 * The search index by word instead of trigram (traces/search-index.ts, search-words.ts): a row's
 * text is indexed by the keys of its distinct words, hashed with its project's id — on real
 * English about a quarter of the entries of its distinct trigrams, and integer keys, so a step
 * costs a fraction of what it did (bench/RESULTS.md) — and a project's vocabulary of words
 * (`search_words`, with a trigram index of its own) turns the parts of words a substring search
 * holds into the words that have them. SQLite: FTS5 tables of key tokens (`ascii` keeps each
 * whole) in place of the trigram tables, the vocabulary's trigrams in an FTS5 table over it
 * (external content: LIKE checks each hit against the word). PostgreSQL: int4[] docs under
 * GIN in place of the texts under pg_trgm; the vocabulary in byte order (COLLATE "C": a prefix
 * is a range of its key). The words are found in the step's code, so every row present is noted
 * here and indexed by the steps that follow (searches read noted rows directly meanwhile).
 */
const searchWordIndex = differ({
  sqlite: `
DROP TABLE trace_search;
DROP TABLE observation_search;
CREATE VIRTUAL TABLE trace_search USING fts5(body, content='', contentless_delete=1, detail=none, tokenize='ascii');
CREATE VIRTUAL TABLE observation_search USING fts5(body, content='', contentless_delete=1, detail=none, tokenize='ascii');
INSERT INTO trace_search (trace_search, rank) VALUES ('automerge', 8);
INSERT INTO observation_search (observation_search, rank) VALUES ('automerge', 8);
CREATE TABLE search_words (
  project_id TEXT NOT NULL,
  word TEXT NOT NULL,
  UNIQUE (project_id, word)
);
CREATE VIRTUAL TABLE search_word_trigrams USING fts5(word, content='search_words', content_rowid='rowid', tokenize='trigram case_sensitive 0');
CREATE TRIGGER search_words_insert AFTER INSERT ON search_words BEGIN
  INSERT INTO search_word_trigrams (rowid, word) VALUES (new.rowid, new.word);
END;
DELETE FROM search_pending;
INSERT INTO search_pending (kind, row_id) SELECT 0, rowid FROM traces;
INSERT INTO search_pending (kind, row_id) SELECT 1, rowid FROM observations`,
  postgres: `
DROP TABLE trace_search_docs;
DROP TABLE observation_search_docs;
CREATE TABLE trace_search_docs (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  keys INT4[] NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE TABLE observation_search_docs (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  trace_id TEXT,
  keys INT4[] NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX trace_search ON trace_search_docs USING gin (keys);
CREATE INDEX observation_search ON observation_search_docs USING gin (keys);
CREATE TABLE search_words (
  project_id TEXT NOT NULL,
  word TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (project_id, word)
);
CREATE INDEX search_word_trigrams ON search_words USING gin (word gin_trgm_ops);
INSERT INTO search_pending (kind, project_id, id) SELECT 0, project_id, id FROM traces ON CONFLICT DO NOTHING;
INSERT INTO search_pending (kind, project_id, id) SELECT 1, project_id, id FROM observations ON CONFLICT DO NOTHING`,
});

const traceMetadataIndex = differ({
  sqlite: '',
  postgres: `
CREATE INDEX traces_metadata ON traces USING gin ((metadata::jsonb) jsonb_path_ops);
ANALYZE traces`,
});

interface SchemaMigration {
  version: number;
  name: string;
  sql: (engine: Engine) => string;
}

const schema: SchemaMigration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: sql`
CREATE TABLE projects (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL,
  public_key TEXT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL,
  display_secret TEXT NOT NULL,
  note TEXT,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX api_keys_project ON api_keys (project_id);
CREATE TABLE traces (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  timestamp BIGINT NOT NULL,
  name TEXT,
  input TEXT,
  output TEXT,
  session_id TEXT,
  user_id TEXT,
  environment TEXT NOT NULL,
  metadata TEXT NOT NULL,
  release TEXT,
  version TEXT,
  public BOOLEAN NOT NULL,
  bookmarked BOOLEAN NOT NULL,
  tags TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  last_event_key TEXT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX traces_time ON traces (project_id, timestamp);
CREATE INDEX traces_user ON traces (project_id, user_id);
CREATE INDEX traces_session ON traces (project_id, session_id);
CREATE INDEX traces_name ON traces (project_id, name);
CREATE TABLE trace_tags (
  project_id TEXT NOT NULL,
  tag TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  PRIMARY KEY (project_id, tag, trace_id)
);
CREATE INDEX trace_tags_trace ON trace_tags (project_id, trace_id);
CREATE TABLE observations (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  trace_id TEXT,
  parent_observation_id TEXT,
  type TEXT NOT NULL,
  name TEXT,
  environment TEXT NOT NULL,
  start_time BIGINT NOT NULL,
  end_time BIGINT,
  completion_start_time BIGINT,
  version TEXT,
  input TEXT,
  output TEXT,
  metadata TEXT NOT NULL,
  level TEXT NOT NULL,
  status_message TEXT,
  model TEXT,
  model_parameters TEXT,
  prompt_name TEXT,
  prompt_version INTEGER,
  usage_details TEXT NOT NULL,
  provided_cost_details TEXT NOT NULL,
  cost_details TEXT NOT NULL,
  total_cost DOUBLE PRECISION,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  last_event_key TEXT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX observations_trace ON observations (project_id, trace_id, start_time);
CREATE INDEX observations_time ON observations (project_id, start_time);
CREATE TABLE scores (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  string_value TEXT,
  data_type TEXT NOT NULL,
  source TEXT NOT NULL,
  trace_id TEXT,
  observation_id TEXT,
  session_id TEXT,
  dataset_run_id TEXT,
  timestamp BIGINT NOT NULL,
  comment TEXT,
  metadata TEXT NOT NULL,
  config_id TEXT,
  queue_id TEXT,
  execution_trace_id TEXT,
  environment TEXT NOT NULL,
  author_user_id TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  last_event_key TEXT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX scores_trace ON scores (project_id, trace_id);
CREATE INDEX scores_time ON scores (project_id, timestamp);
CREATE TABLE sessions (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  environment TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX sessions_time ON sessions (project_id, created_at);
CREATE TABLE events (
  seq ${eventSeq},
  project_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  entity_kind TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  trace_id TEXT,
  sort_key TEXT NOT NULL,
  body TEXT NOT NULL,
  received_at BIGINT NOT NULL
);
CREATE INDEX events_entity ON events (project_id, entity_kind, entity_id);
CREATE INDEX events_trace ON events (project_id, trace_id);
`,
  },
  {
    version: 2,
    name: 'observation pricing and project models',
    sql: sql`
ALTER TABLE observations ADD COLUMN provided_usage_details TEXT NOT NULL DEFAULT '{}';
ALTER TABLE observations ADD COLUMN model_id TEXT;
ALTER TABLE observations ADD COLUMN pricing_tier_id TEXT;
ALTER TABLE observations ADD COLUMN pricing_tier_name TEXT;
ALTER TABLE observations ADD COLUMN input_price DOUBLE PRECISION;
ALTER TABLE observations ADD COLUMN output_price DOUBLE PRECISION;
ALTER TABLE observations ADD COLUMN total_price DOUBLE PRECISION;
CREATE TABLE models (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL,
  model_name TEXT NOT NULL,
  match_pattern TEXT NOT NULL,
  start_date BIGINT,
  unit TEXT,
  tokenizer_id TEXT,
  tokenizer_config TEXT,
  pricing_tiers TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX models_project ON models (project_id);
`,
  },
  {
    version: 3,
    name: 'metrics rollups',
    sql: sql`
CREATE TABLE rollup_state (
  id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL
);
CREATE TABLE observation_rollups (
  project_id TEXT NOT NULL,
  grain BIGINT NOT NULL,
  bucket BIGINT NOT NULL,
  group_key BIGINT NOT NULL,
  environment TEXT NOT NULL,
  type TEXT NOT NULL,
  name TEXT,
  model TEXT,
  level TEXT NOT NULL,
  cnt BIGINT NOT NULL,
  input_tokens DOUBLE PRECISION NOT NULL,
  output_tokens DOUBLE PRECISION NOT NULL,
  total_tokens DOUBLE PRECISION NOT NULL,
  input_cost BIGINT NOT NULL,
  output_cost BIGINT NOT NULL,
  total_cost BIGINT NOT NULL,
  latency_n BIGINT NOT NULL,
  latency_sum BIGINT NOT NULL,
  ttft_n BIGINT NOT NULL,
  ttft_sum BIGINT NOT NULL,
  streaming_n BIGINT NOT NULL,
  streaming_sum BIGINT NOT NULL,
  latency_bins TEXT NOT NULL,
  ttft_bins TEXT NOT NULL,
  rev BIGINT NOT NULL,
  PRIMARY KEY (project_id, grain, bucket, group_key)
);
CREATE TABLE trace_rollups (
  project_id TEXT NOT NULL,
  grain BIGINT NOT NULL,
  bucket BIGINT NOT NULL,
  group_key BIGINT NOT NULL,
  environment TEXT NOT NULL,
  name TEXT,
  cnt BIGINT NOT NULL,
  rev BIGINT NOT NULL,
  PRIMARY KEY (project_id, grain, bucket, group_key)
)${withoutRowid};
`,
  },
  {
    version: 4,
    name: 'observation start time: explicit or inferred',
    sql: sql`
ALTER TABLE observations ADD COLUMN start_time_explicit BOOLEAN NOT NULL DEFAULT TRUE;
`,
  },
  {
    version: 5,
    name: 'web UI accounts, project memberships and sign-in sessions',
    sql: sql`
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT,
  password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE memberships (
  project_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  role TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);
CREATE TABLE ui_sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX ui_sessions_user ON ui_sessions (user_id);
CREATE INDEX traces_updated ON traces (project_id, updated_at)
`,
  },
  {
    version: 6,
    name: 'drop the event-log index by trace id (deletes go by entity)',
    sql: sql`
DROP INDEX events_trace;
`,
  },
  {
    version: 7,
    name: 'merge states (late events merge without a replay) and each session dated by its earliest trace',
    sql: sql`
ALTER TABLE traces ADD COLUMN merge_state TEXT;
ALTER TABLE observations ADD COLUMN merge_state TEXT;
ALTER TABLE scores ADD COLUMN merge_state TEXT;
ALTER TABLE sessions ADD COLUMN first_trace_timestamp BIGINT;
ALTER TABLE sessions ADD COLUMN first_trace_id TEXT;
UPDATE sessions SET first_trace_id = (
  SELECT t.id FROM traces t WHERE t.project_id = sessions.project_id AND t.session_id = sessions.id ORDER BY t.timestamp, t.id LIMIT 1
);
UPDATE sessions SET
  first_trace_timestamp = (SELECT t.timestamp FROM traces t WHERE t.project_id = sessions.project_id AND t.id = sessions.first_trace_id),
  environment = (SELECT t.environment FROM traces t WHERE t.project_id = sessions.project_id AND t.id = sessions.first_trace_id)
WHERE first_trace_id IS NOT NULL;
`,
  },
  {
    version: 8,
    name: 'observation rollups: cost and latency sums in two 64-bit halves, exact past 2^63 (metrics/exact-sum.ts)',
    sql: sql`
DROP TABLE observation_rollups;
CREATE TABLE observation_rollups (
  project_id TEXT NOT NULL,
  grain BIGINT NOT NULL,
  bucket BIGINT NOT NULL,
  group_key BIGINT NOT NULL,
  environment TEXT NOT NULL,
  type TEXT NOT NULL,
  name TEXT,
  model TEXT,
  level TEXT NOT NULL,
  cnt BIGINT NOT NULL,
  input_tokens DOUBLE PRECISION NOT NULL,
  output_tokens DOUBLE PRECISION NOT NULL,
  total_tokens DOUBLE PRECISION NOT NULL,
  input_cost_hi BIGINT NOT NULL,
  input_cost_lo BIGINT NOT NULL,
  output_cost_hi BIGINT NOT NULL,
  output_cost_lo BIGINT NOT NULL,
  total_cost_hi BIGINT NOT NULL,
  total_cost_lo BIGINT NOT NULL,
  latency_n BIGINT NOT NULL,
  latency_sum_hi BIGINT NOT NULL,
  latency_sum_lo BIGINT NOT NULL,
  ttft_n BIGINT NOT NULL,
  ttft_sum_hi BIGINT NOT NULL,
  ttft_sum_lo BIGINT NOT NULL,
  streaming_n BIGINT NOT NULL,
  streaming_sum_hi BIGINT NOT NULL,
  streaming_sum_lo BIGINT NOT NULL,
  latency_bins TEXT NOT NULL,
  ttft_bins TEXT NOT NULL,
  rev BIGINT NOT NULL,
  PRIMARY KEY (project_id, grain, bucket, group_key)
);
DELETE FROM rollup_state;
`,
  },
  {
    version: 9,
    name: 'traces by session and time, so a session finds its first trace by index',
    sql: sql`
DROP INDEX traces_session;
CREATE INDEX traces_session ON traces (project_id, session_id, timestamp);
`,
  },
  {
    version: 10,
    name: 'prompts: versions, labels (unique per name), tags and type per name, a revision counter per project for caches',
    sql: sql`
CREATE TABLE prompt_names (
  project_id TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  PRIMARY KEY (project_id, name)
);
CREATE TABLE prompts (
  project_id TEXT NOT NULL,
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  id TEXT NOT NULL,
  prompt TEXT NOT NULL,
  config TEXT NOT NULL,
  commit_message TEXT,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, name, version)
);
CREATE INDEX prompts_id ON prompts (project_id, id);
CREATE INDEX prompts_updated ON prompts (project_id, updated_at);
CREATE TABLE prompt_labels (
  project_id TEXT NOT NULL,
  name TEXT NOT NULL,
  label TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (project_id, name, label)
);
CREATE INDEX prompt_labels_version ON prompt_labels (project_id, name, version);
CREATE TABLE prompt_tags (
  project_id TEXT NOT NULL,
  name TEXT NOT NULL,
  tag TEXT NOT NULL,
  PRIMARY KEY (project_id, name, tag)
);
CREATE TABLE prompt_revisions (
  project_id TEXT PRIMARY KEY,
  rev BIGINT NOT NULL
);
`,
  },
  {
    version: 11,
    name: 'generations by prompt version and time, so per-prompt metrics read only that prompt\'s generations',
    sql: sql`
CREATE INDEX observations_prompt ON observations (project_id, prompt_name, prompt_version, start_time) WHERE prompt_name IS NOT NULL;
`,
  },
  {
    version: 12,
    name: 'datasets: items with their version history (valid_from/valid_to), runs unique by name per dataset, run items; scores by dataset run',
    sql: sql`
CREATE TABLE datasets (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  metadata TEXT,
  input_schema TEXT,
  expected_output_schema TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE UNIQUE INDEX datasets_name ON datasets (project_id, name);
CREATE TABLE dataset_items (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  dataset_id TEXT NOT NULL,
  status TEXT NOT NULL,
  input TEXT,
  expected_output TEXT,
  metadata TEXT,
  source_trace_id TEXT,
  source_observation_id TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX dataset_items_list ON dataset_items (project_id, dataset_id, status, created_at);
CREATE INDEX dataset_items_source ON dataset_items (project_id, source_trace_id);
CREATE TABLE dataset_item_versions (
  project_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  valid_from BIGINT NOT NULL,
  valid_to BIGINT,
  dataset_id TEXT NOT NULL,
  status TEXT NOT NULL,
  input TEXT,
  expected_output TEXT,
  metadata TEXT,
  source_trace_id TEXT,
  source_observation_id TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, item_id, valid_from)
);
CREATE INDEX dataset_item_versions_at ON dataset_item_versions (project_id, dataset_id, valid_from);
CREATE TABLE dataset_runs (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  dataset_id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  metadata TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE UNIQUE INDEX dataset_runs_name ON dataset_runs (project_id, dataset_id, name);
CREATE INDEX dataset_runs_created ON dataset_runs (project_id, created_at);
CREATE TABLE dataset_run_items (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  dataset_item_id TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  observation_id TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX dataset_run_items_run ON dataset_run_items (project_id, run_id, created_at);
CREATE INDEX dataset_run_items_item ON dataset_run_items (project_id, dataset_item_id);
CREATE INDEX dataset_run_items_time ON dataset_run_items (project_id, created_at);
CREATE INDEX scores_dataset_run ON scores (project_id, dataset_run_id);
`,
  },
  {
    version: 13,
    name: 'media: one row per content hash per project, linked to the traces, observations and fields that reference it',
    sql: sql`
CREATE TABLE media (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  content_type TEXT NOT NULL,
  content_length BIGINT NOT NULL,
  blob_key TEXT NOT NULL,
  uploaded_at BIGINT,
  upload_http_status INTEGER,
  upload_http_error TEXT,
  upload_time_ms BIGINT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE TABLE media_links (
  project_id TEXT NOT NULL,
  owner_kind TEXT NOT NULL,
  owner_id TEXT NOT NULL,
  observation_id TEXT NOT NULL,
  field TEXT NOT NULL,
  media_id TEXT NOT NULL,
  dataset_id TEXT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, owner_kind, owner_id, observation_id, field, media_id)
);
CREATE INDEX media_links_media ON media_links (project_id, media_id);
`,
  },
  {
    version: 14,
    name: 'evaluation by people: score configs, comments on traces/observations/sessions/prompts, annotation queues with items and assignments',
    sql: sql`
CREATE TABLE score_configs (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  data_type TEXT NOT NULL,
  is_archived BOOLEAN NOT NULL,
  min_value DOUBLE PRECISION,
  max_value DOUBLE PRECISION,
  categories TEXT,
  description TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX score_configs_created ON score_configs (project_id, created_at);
CREATE TABLE comments (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  content TEXT NOT NULL,
  author_user_id TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX comments_object ON comments (project_id, object_type, object_id, created_at);
CREATE INDEX comments_created ON comments (project_id, created_at);
CREATE TABLE annotation_queues (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  score_config_ids TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX annotation_queues_created ON annotation_queues (project_id, created_at);
CREATE UNIQUE INDEX annotation_queues_name ON annotation_queues (project_id, name);
CREATE TABLE annotation_queue_items (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  queue_id TEXT NOT NULL,
  object_id TEXT NOT NULL,
  object_type TEXT NOT NULL,
  status TEXT NOT NULL,
  completed_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX annotation_queue_items_queue ON annotation_queue_items (project_id, queue_id, created_at);
CREATE TABLE annotation_queue_assignments (
  project_id TEXT NOT NULL,
  queue_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, queue_id, user_id)
);
`,
  },
  {
    version: 15,
    name: 'per-trace, per-session and per-user totals kept at ingestion (sessions and users lists read a page, not the project); backfilled',
    sql: sql`
CREATE TABLE trace_totals (
  project_id TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  observation_count BIGINT NOT NULL,
  error_count BIGINT NOT NULL,
  total_tokens DOUBLE PRECISION NOT NULL,
  cost_hi BIGINT NOT NULL,
  cost_lo BIGINT NOT NULL,
  PRIMARY KEY (project_id, trace_id)
)${withoutRowid};
CREATE TABLE group_totals (
  project_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  trace_count BIGINT NOT NULL,
  first_trace BIGINT NOT NULL,
  last_trace BIGINT NOT NULL,
  observation_count BIGINT NOT NULL,
  error_count BIGINT NOT NULL,
  total_tokens DOUBLE PRECISION NOT NULL,
  cost_hi BIGINT NOT NULL,
  cost_lo BIGINT NOT NULL,
  PRIMARY KEY (project_id, kind, id)
);
CREATE INDEX group_totals_last ON group_totals (project_id, kind, last_trace DESC, id);
CREATE TABLE session_users (
  project_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  trace_count BIGINT NOT NULL,
  PRIMARY KEY (project_id, session_id, user_id)
)${withoutRowid};
DROP INDEX traces_user;
CREATE INDEX traces_user ON traces (project_id, user_id, timestamp);
INSERT INTO trace_totals (project_id, trace_id, observation_count, error_count, total_tokens, cost_hi, cost_lo)
SELECT o.project_id, o.trace_id, COUNT(*), SUM(CASE WHEN o.level = 'ERROR' THEN 1 ELSE 0 END),
  COALESCE(SUM(CAST(${usageTotal} AS DOUBLE PRECISION)), 0),
  COALESCE(SUM(CAST(FLOOR(ROUND(CAST(o.total_cost AS DOUBLE PRECISION) * 1000000000000) / CAST(4294967296 AS DOUBLE PRECISION)) AS BIGINT)), 0),
  COALESCE(SUM(CAST(ROUND(CAST(o.total_cost AS DOUBLE PRECISION) * 1000000000000)
    - FLOOR(ROUND(CAST(o.total_cost AS DOUBLE PRECISION) * 1000000000000) / CAST(4294967296 AS DOUBLE PRECISION)) * CAST(4294967296 AS DOUBLE PRECISION) AS BIGINT)), 0)
FROM observations o WHERE o.trace_id IS NOT NULL GROUP BY o.project_id, o.trace_id;
INSERT INTO group_totals (project_id, kind, id, trace_count, first_trace, last_trace, observation_count, error_count, total_tokens, cost_hi, cost_lo)
SELECT t.project_id, 'session', t.session_id, COUNT(*), MIN(t.timestamp), MAX(t.timestamp), COALESCE(SUM(x.observation_count), 0),
  COALESCE(SUM(x.error_count), 0), COALESCE(SUM(x.total_tokens), 0), COALESCE(SUM(x.cost_hi), 0), COALESCE(SUM(x.cost_lo), 0)
FROM traces t LEFT JOIN trace_totals x ON x.project_id = t.project_id AND x.trace_id = t.id
WHERE t.session_id IS NOT NULL GROUP BY t.project_id, t.session_id;
INSERT INTO group_totals (project_id, kind, id, trace_count, first_trace, last_trace, observation_count, error_count, total_tokens, cost_hi, cost_lo)
SELECT t.project_id, 'user', t.user_id, COUNT(*), MIN(t.timestamp), MAX(t.timestamp), COALESCE(SUM(x.observation_count), 0),
  COALESCE(SUM(x.error_count), 0), COALESCE(SUM(x.total_tokens), 0), COALESCE(SUM(x.cost_hi), 0), COALESCE(SUM(x.cost_lo), 0)
FROM traces t LEFT JOIN trace_totals x ON x.project_id = t.project_id AND x.trace_id = t.id
WHERE t.user_id IS NOT NULL GROUP BY t.project_id, t.user_id;
INSERT INTO session_users (project_id, session_id, user_id, trace_count)
SELECT project_id, session_id, user_id, COUNT(*) FROM traces
WHERE session_id IS NOT NULL AND user_id IS NOT NULL GROUP BY project_id, session_id, user_id
`,
  },
  {
    version: 16,
    name: 'retention: a per-project period in days, one sweeper lease per project; queue items found by the object they review',
    sql: sql`
ALTER TABLE projects ADD COLUMN retention_days INTEGER;
CREATE TABLE retention_leases (
  project_id TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX annotation_queue_items_object ON annotation_queue_items (project_id, object_type, object_id)
`,
  },
  {
    version: 17,
    name: 'sorting the traces, observations, sessions and users lists by latency, cost, tokens and score: per-trace time bounds and latency kept at ingestion (backfilled), indexes for each sort',
    sql: sql`
ALTER TABLE trace_totals ADD COLUMN first_start BIGINT;
ALTER TABLE trace_totals ADD COLUMN last_start BIGINT;
ALTER TABLE trace_totals ADD COLUMN last_end BIGINT;
ALTER TABLE trace_totals ADD COLUMN latency_ms BIGINT;
UPDATE trace_totals SET
  first_start = (SELECT MIN(o.start_time) FROM observations o WHERE o.project_id = trace_totals.project_id AND o.trace_id = trace_totals.trace_id),
  last_start = (SELECT MAX(o.start_time) FROM observations o WHERE o.project_id = trace_totals.project_id AND o.trace_id = trace_totals.trace_id),
  last_end = (SELECT MAX(o.end_time) FROM observations o WHERE o.project_id = trace_totals.project_id AND o.trace_id = trace_totals.trace_id);
UPDATE trace_totals SET latency_ms = CASE WHEN last_end IS NOT NULL AND last_end > last_start THEN last_end ELSE last_start END - first_start;
CREATE INDEX trace_totals_latency ON trace_totals (project_id, latency_ms, trace_id);
CREATE INDEX trace_totals_tokens ON trace_totals (project_id, total_tokens, trace_id);
CREATE INDEX trace_totals_cost ON trace_totals (project_id, (CAST(cost_hi AS DOUBLE PRECISION) * 4294967296 + cost_lo), trace_id);
CREATE INDEX group_totals_traces ON group_totals (project_id, kind, trace_count, id);
CREATE INDEX group_totals_tokens ON group_totals (project_id, kind, total_tokens, id);
CREATE INDEX group_totals_cost ON group_totals (project_id, kind, (CAST(cost_hi AS DOUBLE PRECISION) * 4294967296 + cost_lo), id);
CREATE INDEX group_totals_duration ON group_totals (project_id, kind, (last_trace - first_trace), id);
CREATE INDEX group_totals_first ON group_totals (project_id, kind, first_trace, id);
CREATE INDEX scores_name_trace ON scores (project_id, name, trace_id, value);
CREATE INDEX observations_type_time ON observations (project_id, type, start_time, id);
CREATE INDEX observations_cost ON observations (project_id, total_cost, id);
CREATE INDEX observations_latency ON observations (project_id, (end_time - start_time), id)
`,
  },
  {
    version: 18,
    name: 'scheduled trace exports to the blob store: one schedule per project, its watermark in the event log and its run lease',
    sql: sql`
CREATE TABLE export_schedules (
  project_id TEXT NOT NULL,
  frequency TEXT NOT NULL,
  formats TEXT NOT NULL,
  enabled BOOLEAN NOT NULL,
  watermark_seq BIGINT NOT NULL,
  watermark_at BIGINT,
  next_run_at BIGINT NOT NULL,
  lease_owner TEXT,
  lease_until BIGINT,
  last_run_at BIGINT,
  last_status TEXT,
  last_error TEXT,
  last_object_keys TEXT,
  last_trace_count BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project_id)
);
CREATE INDEX export_schedules_due ON export_schedules (next_run_at);
`,
  },
  {
    version: 19,
    name: 'custom dashboards: saved per project, each with its charts as a JSON definition',
    sql: sql`
CREATE TABLE dashboards (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  definition TEXT NOT NULL,
  created_by TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE INDEX dashboards_updated ON dashboards (project_id, updated_at);
`,
  },
  {
    version: 20,
    name: 'LLM connections (secrets stored encrypted by the server) and the durable job queue (leases, retries, idempotency keys)',
    sql: sql`
CREATE TABLE llm_connections (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  provider TEXT NOT NULL,
  adapter TEXT NOT NULL,
  secret_key TEXT NOT NULL,
  display_secret_key TEXT NOT NULL,
  base_url TEXT,
  custom_models TEXT NOT NULL,
  with_default_models BOOLEAN NOT NULL,
  extra_headers TEXT,
  extra_header_keys TEXT NOT NULL,
  config TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE UNIQUE INDEX llm_connections_provider ON llm_connections (project_id, provider);
CREATE TABLE jobs (
  id TEXT NOT NULL PRIMARY KEY,
  project_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL,
  run_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL,
  max_attempts INTEGER NOT NULL,
  lease_owner TEXT,
  lease_expires_at BIGINT,
  last_error TEXT,
  result TEXT,
  idempotency_key TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  finished_at BIGINT
);
CREATE UNIQUE INDEX jobs_idempotency ON jobs (project_id, idempotency_key);
CREATE INDEX jobs_due ON jobs (state, run_at);
CREATE INDEX jobs_lease ON jobs (state, lease_expires_at);
CREATE INDEX jobs_project ON jobs (project_id, created_at)
`,
  },
  {
    version: 21,
    name: 'evaluators (versioned LLM-as-a-judge definitions) and evaluation rules (target, filters, sampling, delay, variable mapping)',
    sql: sql`
CREATE TABLE evaluators (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  type TEXT NOT NULL,
  description TEXT,
  prompt TEXT NOT NULL,
  variables TEXT NOT NULL,
  provider TEXT,
  model TEXT,
  model_params TEXT NOT NULL,
  output TEXT NOT NULL,
  score_name TEXT NOT NULL,
  score_config_id TEXT,
  template_id TEXT,
  default_mapping TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE UNIQUE INDEX evaluators_name_version ON evaluators (project_id, name, version);
CREATE TABLE evaluation_rules (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  evaluator_id TEXT NOT NULL,
  target TEXT NOT NULL,
  filter TEXT NOT NULL,
  mapping TEXT NOT NULL,
  sampling DOUBLE PRECISION NOT NULL,
  delay_ms BIGINT NOT NULL,
  enabled BOOLEAN NOT NULL,
  status TEXT NOT NULL,
  paused_reason TEXT,
  paused_message TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, id)
);
CREATE UNIQUE INDEX evaluation_rules_name ON evaluation_rules (project_id, name);
CREATE INDEX evaluation_rules_evaluator ON evaluation_rules (project_id, evaluator_id);
CREATE INDEX evaluation_rules_active ON evaluation_rules (status, enabled)
`,
  },
  {
    version: 22,
    name: 'evaluation watermarks: per rule, how far the scanner has queued new targets, and its scan lease',
    sql: sql`
CREATE TABLE evaluation_watermarks (
  project_id TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  watermark_seq BIGINT NOT NULL,
  watermark_at BIGINT NOT NULL,
  watermark_id TEXT NOT NULL,
  lease_owner TEXT,
  lease_until BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, rule_id)
)
`,
  },
  {
    version: 23,
    name: 'observations table sorted by tokens through an index; sessions and users sorted by a score name: session scores by name; a reviewer\'s skipped queue items, kept for the next visit',
    sql: sql`
CREATE INDEX observations_tokens ON observations (project_id, (CAST(${usageTotalOfRow} AS DOUBLE PRECISION)), id);
CREATE INDEX scores_name_session ON scores (project_id, name, session_id, value);
CREATE TABLE annotation_queue_skips (
  project_id TEXT NOT NULL,
  queue_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  skipped_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, queue_id, user_id, item_id)
)${withoutRowid};
CREATE INDEX annotation_queue_skips_item ON annotation_queue_skips (project_id, item_id)
`,
  },
  {
    version: 24,
    name: 'traces sorted by a score name a page at a time: per trace and name the sum, count and mean of its scores, kept at ingestion (backfilled); traces by environment in time order',
    sql: sql`
CREATE TABLE trace_score_means (
  project_id TEXT NOT NULL,
  name TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  value_sum DOUBLE PRECISION NOT NULL,
  value_count BIGINT NOT NULL,
  mean DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (project_id, name, trace_id)
)${withoutRowid};
CREATE INDEX trace_score_means_mean ON trace_score_means (project_id, name, mean, trace_id);
INSERT INTO trace_score_means (project_id, name, trace_id, value_sum, value_count, mean)
SELECT project_id, name, trace_id, SUM(value), COUNT(*), SUM(value) / COUNT(*) FROM scores WHERE trace_id IS NOT NULL GROUP BY project_id, name, trace_id;
CREATE INDEX traces_environment ON traces (project_id, environment, timestamp)
`,
  },
  {
    version: 25,
    name: 'score rollups: per time bucket, environment, name, source, data type and category, the count and the exact sum of score values; trace rollups with trace latency sums and bins (the dashboard reads both instead of the scores and traces tables); each built on open (metrics/rollup-maintain.ts, parts 2 and 3)',
    sql: sql`
CREATE TABLE score_rollups (
  project_id TEXT NOT NULL,
  grain BIGINT NOT NULL,
  bucket BIGINT NOT NULL,
  group_key BIGINT NOT NULL,
  environment TEXT NOT NULL,
  name TEXT NOT NULL,
  source TEXT NOT NULL,
  data_type TEXT NOT NULL,
  string_value TEXT,
  cnt BIGINT NOT NULL,
  value_sum_hi BIGINT NOT NULL,
  value_sum_lo BIGINT NOT NULL,
  rev BIGINT NOT NULL,
  PRIMARY KEY (project_id, grain, bucket, group_key)
)${withoutRowid};
DROP TABLE trace_rollups;
CREATE TABLE trace_rollups (
  project_id TEXT NOT NULL,
  grain BIGINT NOT NULL,
  bucket BIGINT NOT NULL,
  group_key BIGINT NOT NULL,
  environment TEXT NOT NULL,
  name TEXT,
  cnt BIGINT NOT NULL,
  latency_n BIGINT NOT NULL,
  latency_sum_hi BIGINT NOT NULL,
  latency_sum_lo BIGINT NOT NULL,
  latency_bins TEXT NOT NULL,
  rev BIGINT NOT NULL,
  PRIMARY KEY (project_id, grain, bucket, group_key)
)
`,
  },
  {
    version: 26,
    name: 'free-text trace search through a trigram index of the name, input and output of traces and observations (built for the rows present)',
    sql: sql`${searchIndex}`,
  },
  {
    version: 27,
    name: 'the SQLite search index merges its segments eight at a time instead of four (about half the merge work per ingestion flush)',
    sql: sql`${searchMerges}`,
  },
  {
    version: 28,
    name: 'observations sorted by latency, cost and tokens through indexes led by type that hold only the rows with the figure: a type filter reads its own run of the index, and a row without the figure (spans and events without cost or tokens, an observation not yet ended) writes no entry',
    sql: sql`
DROP INDEX observations_latency;
DROP INDEX observations_cost;
DROP INDEX observations_tokens;
CREATE INDEX observations_latency ON observations (project_id, type, (end_time - start_time), id) WHERE (end_time - start_time) IS NOT NULL;
CREATE INDEX observations_cost ON observations (project_id, type, total_cost, id) WHERE total_cost IS NOT NULL;
CREATE INDEX observations_tokens ON observations (project_id, type, (CAST(${usageTotalOfRow} AS DOUBLE PRECISION)), id) WHERE CAST(${usageTotalOfRow} AS DOUBLE PRECISION) IS NOT NULL
`,
  },
  {
    version: 29,
    name: 'sessions and users sorted by a score name a page at a time: per group and name the count and exact sum of its scores, kept at ingestion (backfilled)',
    sql: sql`
CREATE TABLE group_score_sums (
  project_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  id TEXT NOT NULL,
  value_count BIGINT NOT NULL,
  value_sum_hi BIGINT NOT NULL,
  value_sum_lo BIGINT NOT NULL,
  mean DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (project_id, kind, name, id)
)${withoutRowid};
CREATE INDEX group_score_sums_mean ON group_score_sums (project_id, kind, name, mean, id);
INSERT INTO group_score_sums (project_id, kind, name, id, value_count, value_sum_hi, value_sum_lo, mean)
SELECT project_id, kind, name, id, n, hi, lo, (CAST(hi AS DOUBLE PRECISION) * 4294967296 + lo) / 1000000 / n FROM (
  SELECT project_id, kind, name, id, COUNT(*) AS n, CAST(SUM(hi) AS BIGINT) AS hi, CAST(SUM(lo) AS BIGINT) AS lo FROM (
    SELECT s.project_id, 'session' AS kind, s.name, t.session_id AS id, s.hi, s.lo FROM (SELECT project_id, trace_id, name, CAST(FLOOR(ROUND(CAST(value AS DOUBLE PRECISION) * 1000000) / CAST(4294967296 AS DOUBLE PRECISION)) AS BIGINT) AS hi, CAST(ROUND(CAST(value AS DOUBLE PRECISION) * 1000000) - FLOOR(ROUND(CAST(value AS DOUBLE PRECISION) * 1000000) / CAST(4294967296 AS DOUBLE PRECISION)) * CAST(4294967296 AS DOUBLE PRECISION) AS BIGINT) AS lo FROM scores WHERE trace_id IS NOT NULL) s
      JOIN traces t ON t.project_id = s.project_id AND t.id = s.trace_id WHERE t.session_id IS NOT NULL
    UNION ALL
    SELECT s.project_id, 'user', s.name, t.user_id, s.hi, s.lo FROM (SELECT project_id, trace_id, name, CAST(FLOOR(ROUND(CAST(value AS DOUBLE PRECISION) * 1000000) / CAST(4294967296 AS DOUBLE PRECISION)) AS BIGINT) AS hi, CAST(ROUND(CAST(value AS DOUBLE PRECISION) * 1000000) - FLOOR(ROUND(CAST(value AS DOUBLE PRECISION) * 1000000) / CAST(4294967296 AS DOUBLE PRECISION)) * CAST(4294967296 AS DOUBLE PRECISION) AS BIGINT) AS lo FROM scores WHERE trace_id IS NOT NULL) s
      JOIN traces t ON t.project_id = s.project_id AND t.id = s.trace_id WHERE t.user_id IS NOT NULL
    UNION ALL
    SELECT project_id, 'session', name, session_id, CAST(FLOOR(ROUND(CAST(value AS DOUBLE PRECISION) * 1000000) / CAST(4294967296 AS DOUBLE PRECISION)) AS BIGINT), CAST(ROUND(CAST(value AS DOUBLE PRECISION) * 1000000) - FLOOR(ROUND(CAST(value AS DOUBLE PRECISION) * 1000000) / CAST(4294967296 AS DOUBLE PRECISION)) * CAST(4294967296 AS DOUBLE PRECISION) AS BIGINT) FROM scores WHERE trace_id IS NULL AND session_id IS NOT NULL
  ) u GROUP BY project_id, kind, name, id
) g
`,
  },
  {
    version: 30,
    name: 'PostgreSQL: the traces list filtered by a metadata value through a GIN index of the metadata (containment), with statistics that let the planner walk the time index for a common value',
    sql: sql`${traceMetadataIndex}`,
  },
  {
    version: 31,
    name: 'a user\'s page by day from totals kept at ingestion: per user and UTC day of their traces, the count, tokens and cost of the traces and the count and exact sum of their numeric and boolean scores by name (backfilled)',
    sql: sql`
CREATE TABLE user_days (
  project_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  day BIGINT NOT NULL,
  trace_count BIGINT NOT NULL,
  total_tokens DOUBLE PRECISION NOT NULL,
  cost_hi BIGINT NOT NULL,
  cost_lo BIGINT NOT NULL,
  PRIMARY KEY (project_id, user_id, day)
)${withoutRowid};
CREATE TABLE user_day_scores (
  project_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  day BIGINT NOT NULL,
  name TEXT NOT NULL,
  value_count BIGINT NOT NULL,
  value_sum_hi BIGINT NOT NULL,
  value_sum_lo BIGINT NOT NULL,
  PRIMARY KEY (project_id, user_id, day, name)
)${withoutRowid};
INSERT INTO user_days (project_id, user_id, day, trace_count, total_tokens, cost_hi, cost_lo)
SELECT t.project_id, t.user_id, CASE WHEN t.timestamp >= 0 THEN t.timestamp / 86400000 ELSE -((86399999 - t.timestamp) / 86400000) END AS d, COUNT(*),
  COALESCE(SUM(x.total_tokens), 0), COALESCE(SUM(x.cost_hi), 0), COALESCE(SUM(x.cost_lo), 0)
FROM traces t LEFT JOIN trace_totals x ON x.project_id = t.project_id AND x.trace_id = t.id
WHERE t.user_id IS NOT NULL GROUP BY t.project_id, t.user_id, CASE WHEN t.timestamp >= 0 THEN t.timestamp / 86400000 ELSE -((86399999 - t.timestamp) / 86400000) END;
INSERT INTO user_day_scores (project_id, user_id, day, name, value_count, value_sum_hi, value_sum_lo)
SELECT project_id, user_id, d, name, COUNT(*), CAST(SUM(hi) AS BIGINT), CAST(SUM(lo) AS BIGINT) FROM (
  SELECT t.project_id, t.user_id, CASE WHEN t.timestamp >= 0 THEN t.timestamp / 86400000 ELSE -((86399999 - t.timestamp) / 86400000) END AS d, s.name,
    CAST(FLOOR(ROUND(CAST(s.value AS DOUBLE PRECISION) * 1000000) / CAST(4294967296 AS DOUBLE PRECISION)) AS BIGINT) AS hi,
    CAST(ROUND(CAST(s.value AS DOUBLE PRECISION) * 1000000) - FLOOR(ROUND(CAST(s.value AS DOUBLE PRECISION) * 1000000) / CAST(4294967296 AS DOUBLE PRECISION)) * CAST(4294967296 AS DOUBLE PRECISION) AS BIGINT) AS lo
  FROM scores s JOIN traces t ON t.project_id = s.project_id AND t.id = s.trace_id
  WHERE t.user_id IS NOT NULL AND s.data_type <> 'CATEGORICAL'
) u GROUP BY project_id, user_id, d, name
`,
  },
  {
    version: 32,
    name: 'PostgreSQL: the traces list filtered by level ERROR probes a partial index of the traces with errors instead of each trace\'s totals row',
    sql: sql`${traceErrorsIndex}`,
  },
  {
    version: 33,
    name: 'PostgreSQL: the search index written outside ingestion commits — rows noted at commit move into search docs with their own trigram index while ingestion is idle (or a step per 2,000 events once the backlog is full), and searches read the noted rows besides the index',
    sql: sql`${searchDocs}`,
  },
  {
    version: 34,
    name: 'the search index by word: each row\'s distinct words as keys hashed with its project (SQLite FTS5, PostgreSQL GIN over int4[]) and each project\'s vocabulary for the parts of words a substring holds; every row present is noted and indexed again by the steps',
    sql: sql`${searchWordIndex}`,
  },
];

/** The migrations as `engine` runs them. */
export function migrationsFor(engine: Engine): Migration[] {
  return schema.map((m) => ({ version: m.version, name: m.name, sql: m.sql(engine) }));
}
