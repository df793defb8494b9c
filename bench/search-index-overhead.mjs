#!/usr/bin/env node
// What the free-text search index (migration 24, storage/src/traces/search-index.ts) costs the
// write path: storage.ingest throughput on a database as migrated, against the same build on a
// database whose search index is dropped after migrating (SQLite: the six triggers that note rows
// for the FTS5 tables; PostgreSQL: the two pg_trgm GIN indexes). Everything else is the same code. Same
// workload as bench/ingest.mjs and bench/read-model-overhead.mjs (~1 KB events, 6 per trace, each
// with input and output text, batches of 100, 4 concurrent callers). The variants take turns
// (A B, then B A, …) on fresh databases so load from other processes hits both alike; medians and
// spreads are reported, with this Node process's CPU per event (all threads: SQLite commits on a
// worker thread) and, on PostgreSQL, the CPU of the server processes serving this database (/proc).
// With --index metadata the variant drops PostgreSQL's GIN index of traces' metadata (migration 30) instead.
// Usage: node bench/search-index-overhead.mjs [--engine sqlite|postgres|both] [--events N] [--rounds N] [--callers N] [--index search|metadata]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchArgs } from './lib/cli.mjs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openStorage } from '../packages/storage/dist/index.js';
import { createDatabase } from './lib/pg-database.mjs';
import { makeBatches, storageItems } from './lib/workload.mjs';

const { values: flags } = benchArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    events: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '5' },
    callers: { type: 'string', default: '4' },
    // PostgreSQL only: a third variant whose GIN indexes keep a pending list of this many kB (default 4096) before merging it.
    'pg-pending-kb': { type: 'string' },
    // `metadata`: the variant drops the PostgreSQL GIN index of traces' metadata (migration 30) instead.
    index: { type: 'string', default: 'search' },
  },
});
if (!['search', 'metadata'].includes(flags.index)) throw new Error(`--index: expected search or metadata; got ${flags.index}`);
const METADATA = flags.index === 'metadata';
if (METADATA && flags.engine !== 'postgres') throw new Error('--index metadata: PostgreSQL only (--engine postgres)');
const engines = flags.engine === 'both' ? ['sqlite', 'postgres'] : [flags.engine];
const EVENTS = Number(flags.events);
const ROUNDS = Number(flags.rounds);
const CALLERS = Number(flags.callers);

const DROP = {
  // The triggers that note rows for the index: with none noted, ingestion never writes the FTS5 tables (it still counts the notes once per commit).
  sqlite: ['trace_search', 'observation_search'].flatMap((t) => ['insert', 'update', 'delete'].map((op) => `DROP TRIGGER ${t}_${op}`)),
  postgres: METADATA ? ['DROP INDEX traces_metadata'] : ['DROP INDEX trace_search', 'DROP INDEX observation_search'],
};
const PENDING_KB = flags['pg-pending-kb'] ? Number(flags['pg-pending-kb']) : null;
const TUNED = `with search index, GIN pending list ${PENDING_KB} kB`;
const variantsOf = (engine) => ({
  'with search index': false,
  'without search index': true,
  ...(engine === 'postgres' && PENDING_KB ? { [TUNED]: 'tune' } : {}),
});

let run = 0;
function items() {
  return storageItems(makeBatches(`s${run++}`, EVENTS, 100));
}

async function dropSearchIndex(engine, where, how) {
  if (how === 'tune') DROP.tune = ['trace_search', 'observation_search'].map((i) => `ALTER INDEX ${i} SET (gin_pending_list_limit = ${PENDING_KB})`);
  if (engine === 'sqlite') {
    const db = new Database(where);
    for (const s of DROP.sqlite) db.exec(s);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: where });
  await client.connect();
  try {
    for (const s of how === 'tune' ? DROP.tune : DROP.postgres) await client.query(s);
  } finally {
    await client.end();
  }
}

const TICKS = 100; // USER_HZ (getconf CLK_TCK) on Linux
async function backendCpu(monitor) {
  const { rows } = await monitor.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  const out = new Map();
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) / TICKS);
    } catch { /* the backend ended */ }
  }
  return out;
}

async function once(engine, drop) {
  const dir = mkdtempSync(join(tmpdir(), 'sl-searchidx-'));
  const pgdb = engine === 'postgres' ? await createDatabase() : null;
  const options = pgdb ? { databaseUrl: pgdb.url } : { sqliteFile: join(dir, 'sightline.db') };
  await (await openStorage(options)).close(); // migrate
  if (drop) await dropSearchIndex(engine, pgdb ? pgdb.url : options.sqliteFile, drop);
  const storage = await openStorage(options);
  try {
    for (const item of items().slice(0, 10)) await storage.ingest([item]);
    const work = items();
    let next = 0;
    const monitor = pgdb ? new pg.Client({ connectionString: pgdb.url }) : null;
    await monitor?.connect();
    const pg0 = monitor ? await backendCpu(monitor) : null;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await Promise.all(Array.from({ length: CALLERS }, async () => {
      while (next < work.length) await storage.ingest([work[next++]]);
    }));
    const cpu = process.cpuUsage(cpu0);
    const seconds = (performance.now() - t0) / 1000;
    let pgCpuPerEvent = NaN;
    if (monitor) {
      const pg1 = await backendCpu(monitor);
      await monitor.end();
      pgCpuPerEvent = ([...pg1].reduce((n, [pid, s]) => n + s - (pg0.get(pid) ?? 0), 0) * 1e6) / EVENTS;
    }
    return { rate: EVENTS / seconds, cpuPerEvent: (cpu.user + cpu.system) / EVENTS, pgCpuPerEvent };
  } finally {
    await storage.close();
    await pgdb?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const load = () => loadavg().map((l) => l.toFixed(2)).join(' / ');
console.log(METADATA ? '# Metadata index on the write path (variant "without search index" = without traces_metadata)' : '# Search index on the write path');
console.log('');
console.log(`- date: ${new Date().toISOString()}; machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; load average at start ${load()}`);
console.log(`- storage.ingest, ${CALLERS} concurrent callers, ${EVENTS.toLocaleString('en-US')} events per run in batches of 100, ${ROUNDS} rounds per variant, alternating`);
console.log('');
console.log('| engine | with search index (events/s, median) | without | throughput cost | spread with / without (min–max) | Node CPU µs/event with / without | PostgreSQL CPU µs/event with / without | runs with / without (events/s, in order) |');
console.log('|---|---:|---:|---:|---|---:|---:|---|');
const notes = [];
for (const engine of engines) {
  const variants = variantsOf(engine);
  const runs = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? Object.keys(variants) : Object.keys(variants).reverse();
    for (const name of order) runs[name].push(await once(engine, variants[name]));
    process.stderr.write(`  ${engine}: round ${r + 1}/${ROUNDS} (load ${load()})\n`);
  }
  const [w, wo, tuned] = Object.keys(variants).map((name) => median(runs[name].map((x) => x.rate)));
  if (tuned) notes.push(`- ${engine}: ${TUNED}: ${fmt(tuned)} events/s median (${((1 - tuned / wo) * 100).toFixed(1)}% below without); runs ${runs[TUNED].map((x) => fmt(x.rate)).join(', ')}; PostgreSQL CPU ${median(runs[TUNED].map((x) => x.pgCpuPerEvent)).toFixed(1)} µs/event`);
  const each = (f) => Object.keys(variants).slice(0, 2).map((name) => f(runs[name])).join(' / ');
  console.log(
    `| ${engine} | ${fmt(w)} | ${fmt(wo)} | ${((1 - w / wo) * 100).toFixed(1)}% | ${each((xs) => `${fmt(Math.min(...xs.map((x) => x.rate)))}–${fmt(Math.max(...xs.map((x) => x.rate)))}`)} | ` +
      `${each((xs) => median(xs.map((x) => x.cpuPerEvent)).toFixed(1))} | ${engine === 'postgres' ? each((xs) => median(xs.map((x) => x.pgCpuPerEvent)).toFixed(1)) : '–'} | ${each((xs) => xs.map((x) => fmt(x.rate)).join(', '))} |`,
  );
}
console.log('');
for (const n of notes) console.log(n);
console.log(`Load average at the end: ${load()}`);
