#!/usr/bin/env node
// Metrics benchmark: dashboard queries over 30 days and 10 million observations, answered from
// the rollups, plus one full scan for comparison. For each engine, on a fresh database:
//   1. load — generated traces and observations (bench/lib/metrics-data.mjs), fully merged and
//      priced, written in large transactions as base rows plus their rollups, computed by the
//      storage layer's own rollup code (RollupDelta, the code ingestion runs). storage.ingest
//      at this volume would mostly measure ingestion (see bench/ingest.mjs), not metrics;
//   2. query — each dashboard query through storage.metrics.query (the planner picks rollups),
//      once cold and then --runs times; the range is the last 30 days up to "now", so both
//      ends fall mid-hour and partial hours are read from the base tables.
// Usage: npm run bench:metrics -- [--engine sqlite|postgres|both] [--observations N] [--runs N]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchArgs } from './lib/cli.mjs';
import { insertRows } from '../packages/storage/dist/ingest/bulk-sql.js';
import { OBSERVATION_COLUMNS, observationValues, TRACE_COLUMNS, traceValues } from '../packages/storage/dist/mappers.js';
import { queryMetrics } from '../packages/storage/dist/metrics/query-metrics.js';
import { RollupDelta } from '../packages/storage/dist/metrics/rollup-delta.js';
import { observationSpec, traceSpec } from '../packages/storage/dist/metrics/rollup-specs.js';
import { openStorage } from '../packages/storage/dist/index.js';
import { openPostgres, postgresDialect } from '../packages/storage/dist/postgres/driver.js';
import { openSqlite, sqliteDialect } from '../packages/storage/dist/sqlite/driver.js';
import { createGenerator } from './lib/metrics-data.mjs';
import { createDatabase } from './lib/pg-database.mjs';

const { values: flags } = benchArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    observations: { type: 'string', default: '10000000' },
    runs: { type: 'string', default: '5' },
  },
});
const engines = flags.engine === 'both' ? ['sqlite', 'postgres'] : [flags.engine];
if (!engines.every((e) => e === 'sqlite' || e === 'postgres')) throw new Error(`--engine: expected sqlite, postgres or both; got ${flags.engine}`);
const OBSERVATIONS = Number(flags.observations);
const RUNS = Number(flags.runs);
const PROJECT = 'bench-project';
const DAY = 86_400_000;
// "Now": mid-hour, so the 30-day range starts and ends inside an hour.
const NOW = Date.UTC(2025, 5, 30, 14, 37, 12, 345);
const FROM = NOW - 30 * DAY;
const TRACES = Math.round(OBSERVATIONS / 4.8);

const m = (measure, aggregation) => ({ measure, aggregation });
const q = (over) => ({ view: 'observations', dimensions: [], metrics: [m('count', 'count')], filters: [], granularity: null, fromTimestamp: FROM, toTimestamp: NOW, orderBy: [], ...over });
const generations = [{ column: 'type', operator: '=', value: 'GENERATION', type: 'string' }];
const QUERIES = [
  ['observations over time, by day', q({ granularity: 'day' })],
  ['cost and tokens by model', q({ dimensions: ['providedModelName'], filters: generations, metrics: [m('totalCost', 'sum'), m('inputTokens', 'sum'), m('outputTokens', 'sum'), m('totalTokens', 'sum'), m('count', 'count')] })],
  ['latency p50/p95/p99 by model', q({ dimensions: ['providedModelName'], filters: generations, metrics: [m('latency', 'p50'), m('latency', 'p95'), m('latency', 'p99')] })],
  ['error rate: observations by level, by day', q({ dimensions: ['level'], granularity: 'day' })],
  ['trace count, by day', q({ view: 'traces', granularity: 'day' })],
  ['cost by model, by day', q({ dimensions: ['providedModelName'], granularity: 'day', metrics: [m('totalCost', 'sum')] })],
];
const SCAN = QUERIES[1];

async function load(db, dialect) {
  const gen = createGenerator({ projectId: PROJECT, from: FROM, to: NOW, traces: TRACES });
  const BATCH = 4000;
  let observations = 0;
  for (let k = 0; k < TRACES; k += BATCH) {
    const traces = [];
    const obs = [];
    for (let i = k; i < Math.min(TRACES, k + BATCH); i++) {
      const t = gen.trace(i);
      traces.push(t.trace);
      obs.push(...t.observations);
    }
    await db.transaction(async (tx) => {
      await insertRows(tx, dialect, 'traces', TRACE_COLUMNS, traces.map(traceValues));
      await insertRows(tx, dialect, 'observations', OBSERVATION_COLUMNS, obs.map(observationValues));
      const delta = new RollupDelta();
      // No trace_totals are loaded here, so traces have no latency (as a scan would read it).
      for (const t of traces) delta.add(traceSpec, PROJECT, { ...t, latency: null }, 1);
      for (const o of obs) delta.add(observationSpec, PROJECT, o, 1);
      await delta.flush(tx, dialect);
    });
    observations += obs.length;
    if ((k / BATCH) % 50 === 0) process.stderr.write(`  loaded ${observations.toLocaleString('en-US')} observations\r`);
  }
  process.stderr.write('\n');
  return { traces: TRACES, observations };
}

async function timeQuery(storage, query, path) {
  const t0 = performance.now();
  const result = await storage.metrics.query(PROJECT, query, path);
  return { ms: performance.now() - t0, result };
}

async function benchEngine(engine) {
  const dir = mkdtempSync(join(tmpdir(), 'sl-metrics-'));
  const pg = engine === 'postgres' ? await createDatabase() : null;
  const file = join(dir, 'sightline.db');
  const options = pg ? { databaseUrl: pg.url } : { sqliteFile: file };
  try {
    // Migrate (and mark the empty rollups current), then bulk-load through the storage layer's driver.
    await (await openStorage(options)).close();
    const db = pg ? openPostgres({ connectionString: pg.url }) : openSqlite({ file });
    const t0 = performance.now();
    const loaded = await load(db, pg ? postgresDialect : sqliteDialect);
    const loadSeconds = (performance.now() - t0) / 1000;
    if (pg) await db.run('ANALYZE');
    const pgSize = pg ? Number((await db.get('SELECT pg_database_size(current_database()) AS s')).s) : 0;
    await db.close();
    const size = pg ? pgSize : statSync(file).size;

    const storage = await openStorage(options);
    const rows = [];
    for (const [name, query] of QUERIES) {
      const cold = await timeQuery(storage, query);
      const times = [];
      for (let i = 0; i < RUNS; i++) times.push((await timeQuery(storage, query)).ms);
      times.sort((a, b) => a - b);
      rows.push({ name, path: cold.result.path, rows: cold.result.data.length, cold: cold.ms, median: times[Math.floor(times.length / 2)], max: times[times.length - 1] });
    }
    await storage.close();
    // The same query forced onto the base tables, on a connection without the server's 30 s statement bound.
    const scanDb = pg ? openPostgres({ connectionString: pg.url, queryTimeoutMillis: 3_600_000 }) : openSqlite({ file });
    const s0 = performance.now();
    const scanned = await queryMetrics(scanDb, pg ? postgresDialect : sqliteDialect, PROJECT, SCAN[1], 'scan');
    const scan = { ms: performance.now() - s0, result: scanned };
    await scanDb.close();
    return { loaded, loadSeconds, rows, scan: { name: SCAN[0], ms: scan.ms, rows: scan.result.data.length }, size };
  } finally {
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
console.log('# Metrics benchmark');
console.log('');
console.log(`- machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${fmt(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}`);
console.log(`- data: ${OBSERVATIONS.toLocaleString('en-US')} observations target in ${TRACES.toLocaleString('en-US')} traces over 30 days; range queried: ${new Date(FROM).toISOString()} → ${new Date(NOW).toISOString()}`);
console.log(`- each query: 1 cold run, then ${RUNS} runs (median and max reported)`);
console.log(`- load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' / ')} (other processes share the CPUs)`);
for (const engine of engines) {
  const r = await benchEngine(engine);
  console.log('');
  console.log(`## ${engine}: ${r.loaded.observations.toLocaleString('en-US')} observations, ${r.loaded.traces.toLocaleString('en-US')} traces; loaded in ${fmt(r.loadSeconds)} s (${fmt(r.loaded.observations / r.loadSeconds, 0)} obs/s with rollups); database ${fmt(r.size / 2 ** 30, 2)} GiB`);
  console.log('');
  console.log('| query | path | rows | cold ms | median ms | max ms |');
  console.log('|---|---|---:|---:|---:|---:|');
  for (const row of r.rows) console.log(`| ${row.name} | ${row.path} | ${row.rows} | ${fmt(row.cold)} | ${fmt(row.median)} | ${fmt(row.max)} |`);
  console.log(`| ${r.scan.name} (forced full scan) | scan | ${r.scan.rows} | ${fmt(r.scan.ms)} | – | – |`);
}
console.log('');
console.log(`Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' / ')}`);
