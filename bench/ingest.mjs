#!/usr/bin/env node
// Ingestion benchmark: how close does `POST /api/public/ingestion` get to the storage engine's
// own write rate? For each engine it measures, on fresh databases:
//   1. HTTP  — the built server as a child process, N concurrent clients over loopback POSTing
//              batches of realistic ~1 KB events; every answer must be 207 with 0 errors;
//   2. storage.ingest — the same events straight into `openStorage(...)`, one batch per call;
//   3. raw INSERT — the same events as plain multi-row INSERTs into a bare table
//              (better-sqlite3 with WAL + synchronous=FULL, as the server; or `pg`);
//   4. raw schema rows — the rows Sightline's schema ends up holding for these events (log rows
//              plus merged trace/observation rows, tags, sessions), precomputed, then written with
//              plain multi-row statements into the real migrated schema (see lib/schema-rows.mjs).
// Usage: npm run bench:ingest -- [--engine sqlite|postgres|both] [--events N] [--clients N] [--batch N]
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchArgs } from './lib/cli.mjs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { toEntityEvent, validateEvent } from '../packages/core/dist/index.js';
import { openStorage } from '../packages/storage/dist/index.js';
import { createDatabase } from './lib/pg-database.mjs';
import { AUTH, startServer } from './lib/server-process.mjs';
import { schemaBatches, writeBatch } from './lib/schema-rows.mjs';
import { makeBatches } from './lib/workload.mjs';

const { values: flags } = benchArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    events: { type: 'string', default: '100000' },
    clients: { type: 'string', default: '4' },
    batch: { type: 'string', default: '100' },
  },
});
const opts = { events: Number(flags.events), clients: Number(flags.clients), batch: Number(flags.batch) };
const engines = flags.engine === 'both' ? ['sqlite', 'postgres'] : [flags.engine];
if (!engines.every((e) => e === 'sqlite' || e === 'postgres')) throw new Error(`--engine: expected sqlite, postgres or both; got ${flags.engine}`);
for (const [k, v] of Object.entries(opts)) if (!Number.isInteger(v) || v < 1) throw new Error(`--${k}: expected a positive integer`);

let runCounter = 0;
const runPrefix = () => `b${Date.now().toString(36)}${runCounter++}`;
const tempDir = () => mkdtempSync(join(tmpdir(), 'sl-bench-'));
const warmupEvents = () => Math.min(opts.events, opts.batch * opts.clients * 5);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
}

function summarize(events, ms, latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { events, seconds: ms / 1000, rate: events / (ms / 1000), p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}

/** Runs `work(i)` for i in 0..n-1 with `concurrency` workers; returns each call's latency (ms) and the total time. */
async function timed(n, concurrency, work) {
  const latencies = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const t0 = performance.now();
      await work(i);
      latencies.push(performance.now() - t0);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return { ms: performance.now() - t0, latencies };
}

// ---- 1. HTTP ---------------------------------------------------------------------------------

async function postBatches(url, batches) {
  const bodies = batches.map((b) => JSON.stringify({ batch: b }));
  return timed(bodies.length, opts.clients, async (i) => {
    const res = await fetch(`${url}/api/public/ingestion`, {
      method: 'POST',
      headers: { authorization: AUTH, 'content-type': 'application/json' },
      body: bodies[i],
    });
    const text = await res.text();
    const body = res.status === 207 ? JSON.parse(text) : null;
    if (!body || body.errors.length !== 0 || body.successes.length !== batches[i].length) {
      throw new Error(`batch ${i}: expected 207 with ${batches[i].length} successes and 0 errors, got ${res.status} ${text.slice(0, 500)}`);
    }
  });
}

async function benchHttp(engine) {
  const dataDir = tempDir();
  const db = engine === 'postgres' ? await createDatabase() : null;
  let server;
  try {
    server = await startServer({ dataDir, databaseUrl: db?.url });
    await postBatches(server.url, makeBatches(runPrefix(), warmupEvents(), opts.batch));
    const batches = makeBatches(runPrefix(), opts.events, opts.batch);
    const { ms, latencies } = await postBatches(server.url, batches);
    return summarize(opts.events, ms, latencies);
  } catch (err) {
    if (server) console.error(server.output());
    throw err;
  } finally {
    await server?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---- 2. storage.ingest -------------------------------------------------------------------------

/** The server's own per-request preparation: validate, normalise, keep the raw JSON. */
function toItems(batches) {
  return batches.map((batch) => {
    const item = { projectId: 'bench-project', events: [], raw: [] };
    for (const raw of batch) {
      const v = validateEvent(raw);
      if (!v.ok) throw new Error(`workload event ${v.id} is invalid: ${v.error}`);
      const entity = toEntityEvent(v.event);
      if (entity) {
        item.events.push(entity);
        item.raw.push(JSON.stringify(raw));
      }
    }
    return item;
  });
}

async function benchStorage(engine) {
  const dataDir = tempDir();
  const db = engine === 'postgres' ? await createDatabase() : null;
  const storage = await openStorage(db ? { databaseUrl: db.url } : { sqliteFile: join(dataDir, 'sightline.db') });
  try {
    const warm = toItems(makeBatches(runPrefix(), warmupEvents(), opts.batch));
    await timed(warm.length, opts.clients, (i) => storage.ingest([warm[i]]));
    const items = toItems(makeBatches(runPrefix(), opts.events, opts.batch));
    const { ms, latencies } = await timed(items.length, opts.clients, (i) => storage.ingest([items[i]]));
    return summarize(opts.events, ms, latencies);
  } finally {
    await storage.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---- 3. raw INSERT into a bare table -------------------------------------------------------------

const RAW_COLUMNS = ['project_id', 'event_id', 'entity_kind', 'entity_id', 'trace_id', 'sort_key', 'body', 'received_at'];
const rawTable = (seq) => `CREATE TABLE raw_events (seq ${seq}, ${RAW_COLUMNS.map((c) => `${c} ${c === 'received_at' ? 'BIGINT NOT NULL' : c === 'trace_id' ? 'TEXT' : 'TEXT NOT NULL'}`).join(', ')})`;

/** One event-log row per event, as the storage layer's `events` table holds them. */
function rawRows(items) {
  const now = Date.now();
  return items.map((item) =>
    item.events.map((e, i) => [item.projectId, e.eventId, e.kind, e.entityId, e.kind === 'trace' ? e.entityId : (e.change.traceId ?? null), e.sortKey, item.raw[i], now]),
  );
}

async function benchRawSqlite() {
  const dir = tempDir();
  const db = new Database(join(dir, 'raw.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(rawTable('INTEGER PRIMARY KEY AUTOINCREMENT'));
    const statements = new Map();
    const insert = db.transaction((rows) => {
      let stmt = statements.get(rows.length);
      if (!stmt) {
        const tuple = `(${RAW_COLUMNS.map(() => '?').join(', ')})`;
        stmt = db.prepare(`INSERT INTO raw_events (${RAW_COLUMNS.join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`);
        statements.set(rows.length, stmt);
      }
      stmt.run(rows.flat());
    });
    const warm = rawRows(toItems(makeBatches(runPrefix(), warmupEvents(), opts.batch)));
    for (const rows of warm) insert(rows);
    const batches = rawRows(toItems(makeBatches(runPrefix(), opts.events, opts.batch)));
    // better-sqlite3 is synchronous: one writer, one batch per transaction, no concurrency to add.
    const { ms, latencies } = await timed(batches.length, 1, async (i) => insert(batches[i]));
    return summarize(opts.events, ms, latencies);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchRawPostgres() {
  const db = await createDatabase();
  const pool = new pg.Pool({ connectionString: db.url, max: opts.clients });
  // The database is dropped with FORCE at the end; an idle connection being cut then is expected.
  pool.on('error', () => {});
  try {
    await pool.query(rawTable('BIGSERIAL PRIMARY KEY'));
    const insert = (rows) => {
      let n = 0;
      const tuples = rows.map((r) => `(${r.map(() => `$${++n}`).join(', ')})`);
      return pool.query(`INSERT INTO raw_events (${RAW_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, rows.flat());
    };
    const warm = rawRows(toItems(makeBatches(runPrefix(), warmupEvents(), opts.batch)));
    await timed(warm.length, opts.clients, (i) => insert(warm[i]));
    const batches = rawRows(toItems(makeBatches(runPrefix(), opts.events, opts.batch)));
    const { ms, latencies } = await timed(batches.length, opts.clients, (i) => insert(batches[i]));
    return summarize(opts.events, ms, latencies);
  } finally {
    await pool.end();
    await db.drop();
  }
}

// ---- 4. the same rows, into Sightline's own schema ----------------------------------------------

async function benchSchemaRows(engine) {
  const dataDir = tempDir();
  const db = engine === 'postgres' ? await createDatabase() : null;
  // Migrate the schema through the storage layer, then write to it without it.
  const storage = await openStorage(db ? { databaseUrl: db.url } : { sqliteFile: join(dataDir, 'sightline.db') });
  await storage.close();
  const warm = schemaBatches(toItems(makeBatches(runPrefix(), warmupEvents(), opts.batch)));
  const batches = schemaBatches(toItems(makeBatches(runPrefix(), opts.events, opts.batch)));
  try {
    if (!db) {
      const sqlite = new Database(join(dataDir, 'sightline.db'));
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = FULL');
      const cache = new Map();
      const exec = async (sql, params) => {
        let stmt = cache.get(sql);
        if (!stmt) cache.set(sql, (stmt = sqlite.prepare(sql)));
        stmt.run(params);
      };
      const write = async (b) => {
        sqlite.exec('BEGIN IMMEDIATE');
        await writeBatch(b, exec, false);
        sqlite.exec('COMMIT');
      };
      for (const b of warm) await write(b);
      const { ms, latencies } = await timed(batches.length, 1, (i) => write(batches[i]));
      sqlite.close();
      return summarize(opts.events, ms, latencies);
    }
    const pool = new pg.Pool({ connectionString: db.url, max: opts.clients });
    pool.on('error', () => {});
    const write = async (b) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await writeBatch(b, (sql, params) => client.query(sql, params), true);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    };
    try {
      // Batches of one trace can land in any order across connections; in-order writes keep rows consistent.
      for (const b of warm) await write(b);
      const { ms, latencies } = await timed(batches.length, 1, (i) => write(batches[i]));
      return summarize(opts.events, ms, latencies);
    } finally {
      await pool.end();
    }
  } finally {
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---- report ------------------------------------------------------------------------------------

const fmt = (n, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const sample = makeBatches('size', 600, 600)[0];
const bytesPerEvent = sample.reduce((n, e) => n + JSON.stringify(e).length, 0) / sample.length;

console.log(`# Ingestion benchmark`);
console.log('');
console.log(`- machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${fmt(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}`);
console.log(`- workload: ${opts.events.toLocaleString('en-US')} events (${fmt(bytesPerEvent, 0)} B/event on average; 6 per trace), batches of ${opts.batch}, ${opts.clients} concurrent clients`);
const load = () => loadavg().map((n) => fmt(n, 2)).join(' / ');
console.log(`- load average (1/5/15 min) at start: ${load()} — other processes compete for the CPUs when it is near or above the CPU count`);
console.log(`- warm-up before each measurement: ${warmupEvents().toLocaleString('en-US')} events (not counted)`);
console.log('');
console.log('| engine | path | events/s | p50 ms | p99 ms | time s |');
console.log('|---|---|---:|---:|---:|---:|');
const ratios = [];
for (const engine of engines) {
  const rows = [
    [`HTTP ingestion (${opts.clients} clients)`, await benchHttp(engine)],
    [`storage.ingest (${opts.clients} callers)`, await benchStorage(engine)],
    [engine === 'sqlite' ? 'raw INSERT, better-sqlite3 (1 writer)' : `raw INSERT, pg (${opts.clients} connections)`, engine === 'sqlite' ? await benchRawSqlite() : await benchRawPostgres()],
    ['raw schema rows (1 writer)', await benchSchemaRows(engine)],
  ];
  for (const [path, r] of rows) {
    console.log(`| ${engine} | ${path} | ${fmt(r.rate, 0)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.seconds, 2)} |`);
  }
  const [http, storage, raw, schema] = rows.map(([, r]) => r.rate);
  ratios.push(
    `- ${engine}: HTTP ingestion / raw schema rows = ${fmt(http / schema, 2)}; HTTP ingestion / raw INSERT (bare table) = ${fmt(http / raw, 2)}; HTTP ingestion / storage.ingest = ${fmt(http / storage, 2)}`,
  );
}
console.log('');
console.log('Ratios (events/s):');
for (const line of ratios) console.log(line);
console.log('');
console.log(`Load average at the end: ${load()}`);
