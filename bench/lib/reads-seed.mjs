// Bulk-loads a reads-benchmark project (reads-data.mjs) into a migrated database, writing every
// table ingestion writes (storage/src/ingest/apply-events.ts) with the values ingestion would
// give them, without the per-commit reads and locks that make storage.ingest slow at 1M traces:
//   - events: the same log rows (raw JSON text from the server's own processBatch);
//   - traces / observations / scores: each entity folded by core's foldEvents from all its
//     events, observations priced by priceObservation (the project has no models of its own),
//     merge states encoded as apply-events does;
//   - trace_tags; sessions (environment and time of the first trace by (timestamp, id));
//   - observation_rollups / trace_rollups / score_rollups: RollupDelta, the code ingestion runs;
//   - trace_totals / group_totals / session_users (where the schema has them): computed at the
//     end by the backfill statements of the migration that created them.
// "now" of each trace's commit is its last event's time + 2 s, as if the SDK had sent it live.
// bench/reads.mjs --verify checks, at a small size, that this equals storage.ingest's result.
import { encodeMergeState, foldEvents, priceObservation } from '../../packages/core/dist/index.js';
import { insertRows } from '../../packages/storage/dist/ingest/bulk-sql.js';
import {
  OBSERVATION_COLUMNS, observationValues, SCORE_COLUMNS, scoreValues, TRACE_COLUMNS, traceValues,
} from '../../packages/storage/dist/mappers.js';
import { RollupDelta } from '../../packages/storage/dist/metrics/rollup-delta.js';
import { observationSpec, scoreSpec, traceSpec } from '../../packages/storage/dist/metrics/rollup-specs.js';
import { migrationsFor } from '../../packages/storage/dist/schema/migrations.js';
import { processBatch } from '../../packages/server/dist/ingest/process-batch.js';
import { flushSearchIndex } from '../../packages/storage/dist/traces/search-index.js';

const LOG_COLUMNS = ['project_id', 'event_id', 'entity_kind', 'entity_id', 'trace_id', 'sort_key', 'body', 'received_at'];
const SESSION_COLUMNS = ['project_id', 'id', 'environment', 'created_at', 'first_trace_timestamp', 'first_trace_id'];
const TABLES = {
  trace: ['traces', TRACE_COLUMNS, traceValues],
  observation: ['observations', OBSERVATION_COLUMNS, observationValues],
  score: ['scores', SCORE_COLUMNS, scoreValues],
};

/** Each trace's latency as its rollup counts it (storage metrics/trace-latency.ts): MAX(end) − MIN(start) of its observations, null without an end. */
function latencies(observations) {
  const bounds = new Map();
  for (const o of observations) {
    const b = bounds.get(o.traceId) ?? { first: Infinity, lastEnd: null };
    b.first = Math.min(b.first, o.startTime);
    if (o.endTime !== null) b.lastEnd = b.lastEnd === null ? o.endTime : Math.max(b.lastEnd, o.endTime);
    bounds.set(o.traceId, b);
  }
  return new Map([...bounds].map(([id, b]) => [id, b.lastEnd === null ? null : b.lastEnd - b.first]));
}

/** apply-events' order of a session's traces: timestamp, then id by UTF-8 bytes. */
const before = (a, b) => a.ts < b.ts || (a.ts === b.ts && Buffer.compare(Buffer.from(a.id), Buffer.from(b.id)) < 0);

/** Trace k's ingestion events as what one commit would store: log rows and merged records. */
export function traceRows(projectId, workload, k) {
  const { events, end } = workload.traceEvents(k);
  const now = end + 2000;
  const batch = processBatch(events, 'full');
  if (batch.errors.length > 0) throw new Error(`seed: event rejected: ${JSON.stringify(batch.errors[0])}`);
  const groups = new Map();
  const log = batch.events.map((e, i) => {
    const key = `${e.kind}\u0000${e.entityId}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(e);
    return [projectId, e.eventId, e.kind, e.entityId, e.kind === 'trace' ? e.entityId : (e.change.traceId ?? null), e.sortKey, batch.raw[i], now];
  });
  const records = { trace: [], observation: [], score: [] };
  for (const evs of groups.values()) {
    let rec = foldEvents(undefined, evs, { projectId, now, createdAt: undefined });
    if (!rec) continue;
    if (evs[0].kind === 'observation') rec = priceObservation(rec, []);
    records[evs[0].kind].push(rec);
  }
  return { log, records, now, events };
}

/**
 * The tables the seed fills row by row: their secondary indexes are built once after the rows, not
 * kept up row by row. On PostgreSQL the search docs too (migrations 33, 34): their docs are written
 * in bulk after the rows (fillSearchDocs).
 */
const BULK_TABLES = ['events', 'traces', 'observations', 'scores', 'trace_tags', 'trace_search_docs', 'observation_search_docs'];

/** PostgreSQL's triggers that note each inserted row for the search index (migration 33). */
const NOTE_TRIGGERS = [['traces', 'traces_search_insert'], ['observations', 'observations_search_insert']];

/**
 * PostgreSQL: the seed's rows are not noted one by one (a trigger call and a key in
 * search_pending per row, 11 million at 1M traces); they are noted at once after the rows, as
 * migration 34 notes the rows present, and moved by the steps' own code in transactions of
 * 20,000 while the docs' GIN indexes are dropped (built after this from the docs) — the state
 * idle-time steps would reach, without millions of single-row GIN insertions.
 */
async function noteTriggers(db, enable) {
  for (const [table, trigger] of NOTE_TRIGGERS) await db.run(`ALTER TABLE ${table} ${enable ? 'ENABLE' : 'DISABLE'} TRIGGER ${trigger}`);
}

async function fillSearchDocs(db, dialect, projectId) {
  await db.transaction(async (tx) => {
    await tx.run('INSERT INTO search_pending (kind, project_id, id) SELECT 0, project_id, id FROM traces WHERE project_id = ? ON CONFLICT DO NOTHING', [projectId]);
    await tx.run('INSERT INTO search_pending (kind, project_id, id) SELECT 1, project_id, id FROM observations WHERE project_id = ? ON CONFLICT DO NOTHING', [projectId]);
  });
  while ((await db.transaction((tx) => flushSearchIndex(tx, dialect, { atLeast: 1, atMost: 20_000 }))) > 0);
}

/**
 * Drops the secondary (non-unique, non-constraint) indexes of BULK_TABLES and returns the
 * statements that create them again: a database seeded at 1M traces builds each index once from
 * sorted rows instead of inserting millions of random keys one by one (a GIN trigram index on
 * PostgreSQL most of all). Unique indexes stay: the seed relies on them as ingestion does.
 */
async function dropSecondaryIndexes(db, dialect) {
  const list = BULK_TABLES.map(() => '?').join(', ');
  const rows = dialect.name === 'sqlite'
    ? await db.all(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${list}) AND sql NOT LIKE 'CREATE UNIQUE%'`, BULK_TABLES)
    : await db.all(`SELECT i.indexname AS name, i.indexdef AS sql FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename IN (${list}) AND i.indexdef NOT LIKE 'CREATE UNIQUE%'
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`, BULK_TABLES);
  for (const r of rows) await db.run(`DROP INDEX ${r.name}`);
  return rows.map((r) => r.sql);
}

/**
 * Seeds `workload` into project `projectId` through `db` (a storage driver: openSqlite /
 * openPostgres) in transactions of `batch` traces. Returns row counts. With `deferIndexes` the
 * secondary indexes of the bulk tables are dropped first and built again after the rows (same
 * definitions, same final database; much faster at 1M traces).
 */
export async function seedProject(db, dialect, projectId, workload, { batch = 1000, onProgress, deferIndexes = false } = {}) {
  const recreate = deferIndexes ? await dropSecondaryIndexes(db, dialect) : [];
  const bulkDocs = deferIndexes && dialect.name === 'postgres';
  if (bulkDocs) await noteTriggers(db, false);
  const sessions = new Map();
  const counts = { traces: 0, observations: 0, scores: 0, events: 0 };
  for (let k0 = 0; k0 < workload.traces; k0 += batch) {
    const log = [];
    const records = { trace: [], observation: [], score: [] };
    for (let k = k0; k < Math.min(workload.traces, k0 + batch); k++) {
      const t = traceRows(projectId, workload, k);
      log.push(...t.log);
      for (const kind of Object.keys(records)) records[kind].push(...t.records[kind]);
      for (const trace of t.records.trace) {
        if (!trace.sessionId) continue;
        const s = sessions.get(trace.sessionId);
        const mine = { ts: trace.timestamp, id: trace.id, environment: trace.environment };
        if (!s) sessions.set(trace.sessionId, { createdAt: t.now, first: mine });
        else if (before(mine, s.first)) s.first = mine;
      }
    }
    await db.transaction(async (tx) => {
      await insertRows(tx, dialect, 'events', LOG_COLUMNS, log);
      for (const [kind, [table, columns, values]] of Object.entries(TABLES)) {
        await insertRows(tx, dialect, table, [...columns, 'merge_state'], records[kind].map((r) => [...values(r), encodeMergeState(r.merge)]));
      }
      const tags = records.trace.flatMap((t) => t.tags.map((tag) => [t.projectId, tag, t.id]));
      await insertRows(tx, dialect, 'trace_tags', ['project_id', 'tag', 'trace_id'], tags);
      const delta = new RollupDelta();
      const latency = latencies(records.observation);
      for (const t of records.trace) delta.add(traceSpec, projectId, { ...t, latency: latency.get(t.id) ?? null }, 1);
      for (const o of records.observation) delta.add(observationSpec, projectId, o, 1);
      for (const s of records.score) delta.add(scoreSpec, projectId, s, 1);
      await delta.flush(tx, dialect);
    });
    counts.traces += records.trace.length;
    counts.observations += records.observation.length;
    counts.scores += records.score.length;
    counts.events += log.length;
    onProgress?.(counts);
  }
  if (bulkDocs) {
    onProgress?.({ ...counts, indexing: 'search docs' });
    await fillSearchDocs(db, dialect, projectId);
    await noteTriggers(db, true);
  }
  for (const statement of recreate) {
    onProgress?.({ ...counts, indexing: statement });
    if (dialect.name === 'postgres') {
      await db.transaction(async (tx) => {
        await tx.run("SET LOCAL maintenance_work_mem = '1GB'");
        await tx.run(statement);
      });
    } else {
      await db.run(statement);
    }
  }
  const rows = [...sessions].map(([id, s]) => [projectId, id, s.first.environment, s.createdAt, s.first.ts, s.first.id]);
  await db.transaction((tx) => insertRows(tx, dialect, 'sessions', SESSION_COLUMNS, rows));
  counts.sessions = rows.length;
  // Totals derived from the rows above, as the migration that added them backfills them.
  const backfill = migrationsFor(dialect.name).flatMap((m) => m.sql.split(';')).map((s) => s.trim()).filter((s) => /^(INSERT INTO (trace_totals|group_totals|session_users|trace_score_means|group_score_sums|user_days|user_day_scores)|UPDATE trace_totals) /.test(s));
  await db.transaction(async (tx) => {
    for (const statement of backfill) await tx.run(statement);
  });
  return counts;
}
