// Checks the reads benchmark's bulk seed against real ingestion: the same small project is
// bulk-seeded into one database and sent through storage.ingest (one item per trace, the
// trace's events in order, 25 traces per commit) into another; then every table ingestion
// writes is compared row by row, leaving out only wall-clock columns (when a row was written)
// and rollup revision counters, plus a few reads through the storage facade.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../packages/storage/dist/index.js';
import { openPostgres, postgresDialect } from '../../packages/storage/dist/postgres/driver.js';
import { openSqlite, sqliteDialect } from '../../packages/storage/dist/sqlite/driver.js';
import { processBatch } from '../../packages/server/dist/ingest/process-batch.js';
import { createDatabase } from './pg-database.mjs';
import { createReadsWorkload } from './reads-data.mjs';
import { seedProject } from './reads-seed.mjs';

const TABLES = {
  traces: 'project_id, id',
  observations: 'project_id, id',
  scores: 'project_id, id',
  trace_tags: 'project_id, tag, trace_id',
  sessions: 'project_id, id',
  events: 'project_id, entity_kind, entity_id, event_id',
  observation_rollups: 'project_id, grain, bucket, group_key',
  trace_rollups: 'project_id, grain, bucket, group_key',
};
// Tables later migrations added, compared where the schema has them.
const LATER_TABLES = {
  trace_totals: 'project_id, trace_id',
  group_totals: 'project_id, kind, id',
  session_users: 'project_id, session_id, user_id',
  trace_score_means: 'project_id, name, trace_id',
  group_score_sums: 'project_id, kind, name, id',
  user_days: 'project_id, user_id, day',
  user_day_scores: 'project_id, user_id, day, name',
  score_rollups: 'project_id, grain, bucket, group_key',
};
const WALL_CLOCK = new Set(['created_at', 'updated_at', 'received_at', 'seq', 'rev']);
const PROJECT = 'verify-project';

async function open(engine) {
  if (engine === 'postgres') {
    const pg = await createDatabase();
    return { options: { databaseUrl: pg.url }, db: () => openPostgres({ connectionString: pg.url }), dialect: postgresDialect, drop: pg.drop };
  }
  const dir = mkdtempSync(join(tmpdir(), 'sl-reads-verify-'));
  const file = join(dir, 'sightline.db');
  return { options: { sqliteFile: file }, db: () => openSqlite({ file }), dialect: sqliteDialect, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

async function dump(db) {
  const out = {};
  // The schema's indexes too: the seed drops and rebuilds secondary indexes (deferIndexes).
  const sqliteIndexes = await db.all("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").catch(() => null);
  out.indexes = sqliteIndexes ?? (await db.all('SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname'));
  const present = async (table) => db.get(`SELECT 1 FROM ${table} LIMIT 1`).then(() => true, () => false);
  const later = Object.entries(LATER_TABLES);
  for (const [table, order] of [...Object.entries(TABLES), ...(await Promise.all(later.map(async (t) => ((await present(t[0])) ? [t] : [])))).flat()]) {
    const rows = await db.all(`SELECT * FROM ${table} ORDER BY ${order}`);
    out[table] = rows.map((r) => {
      const row = Object.fromEntries(Object.entries(r).filter(([k]) => !WALL_CLOCK.has(k)));
      // Exact sums in two halves (metrics/exact-sum.ts) compare by value: a backfill sums the halves apart, ingestion writes them normalised.
      if ('cost_hi' in row) row.cost = String((BigInt(row.cost_hi) << 32n) + BigInt(row.cost_lo));
      delete row.cost_hi;
      delete row.cost_lo;
      return row;
    });
  }
  return out;
}

/** Storage-facade reads whose answers must not depend on how the rows got there (wall-clock fields dropped). */
async function reads(storage, workload) {
  const clean = (x) => JSON.parse(JSON.stringify(x, (k, v) => (k === 'createdAt' || k === 'updatedAt' ? undefined : v)));
  const byId = (rows, key = 'id') => [...rows].sort((a, b) => (a[key] < b[key] ? -1 : 1));
  const sessions = await storage.sessions.summaries(PROJECT, { page: 1, limit: 100000 });
  const users = await storage.users.list(PROJECT, { page: 1, limit: 100000 });
  const traces = await storage.traces.list(PROJECT, { page: 1, limit: 100, withObservations: true, withScores: true, withMetrics: true });
  const big = await storage.observations.ofTraces(PROJECT, [`${workload.prefix}-big5000`]);
  return clean({ sessions: byId(sessions.rows), sessionTotal: sessions.totalItems, users, traces, big: big.length });
}

function firstDifference(a, b, path = '') {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[k], b[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return `${path}: bulk ${JSON.stringify(a)?.slice(0, 300)} ≠ ingested ${JSON.stringify(b)?.slice(0, 300)}`;
}

/** Throws on the first difference; resolves to the row counts compared. */
export async function verifySeed(engine, traces = 1500, steps = 0) {
  const workload = createReadsWorkload({ traces, now: Date.now(), prefix: 'v', steps });
  const bulk = await open(engine);
  const ingested = await open(engine);
  try {
    await (await openStorage(bulk.options)).close();
    const db = bulk.db();
    await seedProject(db, bulk.dialect, PROJECT, workload, { batch: 200, deferIndexes: true });
    await db.close();

    const storage = await openStorage(ingested.options);
    for (let k0 = 0; k0 < traces; k0 += 25) {
      const items = [];
      for (let k = k0; k < Math.min(traces, k0 + 25); k++) {
        const b = processBatch(workload.traceEvents(k).events, 'full');
        items.push({ projectId: PROJECT, events: b.events, raw: b.raw });
      }
      await storage.ingest(items);
    }
    const expected = await reads(storage, workload);
    await storage.close();
    const bulkStorage = await openStorage(bulk.options);
    const actual = await reads(bulkStorage, workload);
    await bulkStorage.close();

    const [a, b] = [bulk.db(), ingested.db()];
    const [tablesA, tablesB] = [await dump(a), await dump(b)];
    await a.close();
    await b.close();
    const diff = firstDifference(tablesA, tablesB, 'tables') ?? firstDifference(actual, expected, 'reads');
    if (diff) throw new Error(`bulk seed differs from storage.ingest on ${engine}: ${diff}`);
    return Object.fromEntries(Object.entries(tablesA).map(([t, rows]) => [t, rows.length]));
  } finally {
    await bulk.drop();
    await ingested.drop();
  }
}
