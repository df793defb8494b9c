#!/usr/bin/env node
// What the read model costs the write path (issue 18, point 3: at most 15 %): storage.ingest
// throughput with the built storage package as is, against the same build without the read model:
//   - a copy of the storage package (bench/tmp/) whose applyEvents keeps no totals — no
//     `trace_totals` / `group_totals` / `session_users` upserts, no time-bound recomputes, no
//     extra trace locks for observations — and
//   - a database whose read-model indexes (migrations 15 and 17: the sort indexes on
//     trace_totals, group_totals, scores and observations) are dropped after migrating.
// Everything else (event log, merge, pricing, sessions, rollups, the other indexes) is the same
// code. A third variant, the build as is on a database without those indexes, splits the cost
// between the totals and the indexes. Same workload as bench/ingest.mjs (~1 KB events, 6 per
// trace, batches of 100). The variants take turns (A B C, then C B A, …) on fresh databases, so
// load from other processes hits all alike; medians and the spread (min–max) are reported, with the CPU time of this Node process
// (with --path http: of the server process) per event (all threads; SQLite commits run on a worker thread) and, on PostgreSQL, the CPU of the
// database server processes serving this run (read from /proc: PostgreSQL must run on this machine).
// Usage: node bench/read-model-overhead.mjs [--engine sqlite|postgres|both] [--events N] [--rounds N] [--callers N] [--path storage|http]
//        [--baseline <a storage dist/ directory, e.g. the branch point's build>] [--no-totals-only]
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchArgs } from './lib/cli.mjs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createDatabase } from './lib/pg-database.mjs';
import { AUTH, startServer } from './lib/server-process.mjs';
import { makeBatches, storageItems } from './lib/workload.mjs';

const { values: flags } = benchArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    events: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '5' },
    callers: { type: 'string', default: '4' },
    path: { type: 'string', default: 'storage' },
    // A built storage package (its dist/ directory) to run as a fourth variant, "baseline": e.g.
    // the branch point's build, so before and after are measured in one run against one "without".
    baseline: { type: 'string' },
    // Leaves out the "totals, no read-model indexes" variant (fewer runs when only the cost is wanted).
    'no-totals-only': { type: 'boolean', default: false },
  },
});
if (!['storage', 'http'].includes(flags.path)) throw new Error(`--path: expected storage or http; got ${flags.path}`);
const HTTP = flags.path === 'http';
const engines = flags.engine === 'both' ? ['sqlite', 'postgres'] : [flags.engine];
const EVENTS = Number(flags.events);
const ROUNDS = Number(flags.rounds);
const CALLERS = Number(flags.callers);

/** The read model's indexes (migrations 15 and 17); the tables stay, empty, in the variant without it. */
const READ_MODEL_INDEXES = [
  'group_totals_last', 'trace_totals_latency', 'trace_totals_tokens', 'trace_totals_cost', 'group_totals_traces',
  'group_totals_tokens', 'group_totals_cost', 'group_totals_duration', 'group_totals_first', 'scores_name_trace',
  'observations_type_time', 'observations_cost', 'observations_latency',
];

// The copy lives inside the repository so that its imports of @sightline/core resolve as usual.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const copy = join(root, 'bench', 'tmp', 'storage-without-read-model');
rmSync(copy, { recursive: true, force: true });
cpSync(join(root, 'packages', 'storage', 'dist'), join(copy, 'dist'), { recursive: true });
writeFileSync(join(copy, 'package.json'), JSON.stringify({ type: 'module' }));
const applyFile = join(copy, 'dist', 'ingest', 'apply-events.js');
let source = readFileSync(applyFile, 'utf8');
const patches = [
  // No trace locks for observations, no trace rows read for their sessions and users.
  ['    const observed = observedTraces(groups);\n', '    const observed = new Map();\n'],
  ['    const totals = totalsChange(changed, current);\n', ''],
  ['    const late = totals.tracesTouched().filter((k) => !locked.has(k));\n', '    const late = [];\n'],
  ['    await totals.apply(tx, dialect, memberships);\n', ''],
];
for (const [from, to] of patches) {
  if (!source.includes(from)) throw new Error(`${applyFile}: ${JSON.stringify(from.trim())} was not found; rebuild (npx tsc -b) and check the patches`);
  source = source.replace(from, to);
}
writeFileSync(applyFile, source);

const current = await import(pathToFileURL(join(root, 'packages', 'storage', 'dist', 'index.js')).href);
const copyIndex = pathToFileURL(join(copy, 'dist', 'index.js')).href;
const variants = {
  'with read model': { mod: current, dropIndexes: false },
  'without read model': { mod: await import(copyIndex), dropIndexes: true, serverStorage: copyIndex },
  // Splits the cost: the totals maintenance alone, without the read model's indexes.
  'totals, no read-model indexes': { mod: current, dropIndexes: true },
};
if (flags['no-totals-only']) delete variants['totals, no read-model indexes'];
if (flags.baseline) {
  const baseline = join(root, 'bench', 'tmp', 'storage-baseline');
  rmSync(baseline, { recursive: true, force: true });
  cpSync(flags.baseline, join(baseline, 'dist'), { recursive: true });
  writeFileSync(join(baseline, 'package.json'), JSON.stringify({ type: 'module' }));
  const index = pathToFileURL(join(baseline, 'dist', 'index.js')).href;
  variants['baseline with read model'] = { mod: await import(index), dropIndexes: false, serverStorage: index };
}
const NAMES = Object.keys(variants);

let run = 0;
function items() {
  if (HTTP) return makeBatches(`m${run++}`, EVENTS, 100);
  return storageItems(makeBatches(`m${run++}`, EVENTS, 100));
}

async function dropReadModelIndexes(engine, where) {
  const statements = READ_MODEL_INDEXES.map((name) => `DROP INDEX ${name}`);
  if (engine === 'sqlite') {
    const db = new Database(where);
    for (const s of statements) db.exec(s);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: where });
  await client.connect();
  try {
    for (const s of statements) await client.query(s);
  } finally {
    await client.end();
  }
}

/** CPU seconds (user + system) of this database's server processes, by pid: PostgreSQL's share of the work (it runs on this machine). */
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
const TICKS = 100; // USER_HZ (getconf CLK_TCK) on Linux

/** CPU seconds (user + system, all threads) of a process on this machine: the server's, over HTTP. */
function processCpu(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** The HTTP path: the built server as a child process (on the copy of the storage package for the variant without the read model), 4 clients posting batches. */
async function overHttp(engine, { dropIndexes, serverStorage }) {
  const dir = mkdtempSync(join(tmpdir(), 'sl-readmodel-'));
  const pgdb = engine === 'postgres' ? await createDatabase() : null;
  const server = await startServer({
    dataDir: dir, databaseUrl: pgdb?.url,
    nodeArgs: serverStorage ? ['--import', pathToFileURL(join(root, 'bench', 'lib', 'redirect-storage.mjs')).href] : [],
    env: serverStorage ? { BENCH_STORAGE_INDEX: serverStorage } : {},
  });
  const post = async (batch) => {
    const res = await fetch(`${server.url}/api/public/ingestion`, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
    const body = await res.json();
    if (res.status !== 207 || body.errors.length !== 0) throw new Error(`ingestion: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  };
  try {
    if (dropIndexes) await dropReadModelIndexes(engine, pgdb ? pgdb.url : join(dir, 'sightline.db'));
    for (const batch of items().slice(0, 10)) await post(batch);
    const work = items();
    let next = 0;
    const monitor = pgdb ? new pg.Client({ connectionString: pgdb.url }) : null;
    await monitor?.connect();
    const pg0 = monitor ? await backendCpu(monitor) : null;
    const server0 = processCpu(server.child.pid);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CALLERS }, async () => {
      while (next < work.length) await post(work[next++]);
    }));
    const seconds = (performance.now() - t0) / 1000;
    const serverCpu = processCpu(server.child.pid) - server0;
    let pgCpuPerEvent = null;
    if (monitor) {
      const pg1 = await backendCpu(monitor);
      await monitor.end();
      pgCpuPerEvent = ([...pg1].reduce((n, [pid, s]) => n + s - (pg0.get(pid) ?? 0), 0) * 1e6) / EVENTS;
    }
    return { rate: EVENTS / seconds, cpuPerEvent: (serverCpu * 1e6) / EVENTS, pgCpuPerEvent };
  } finally {
    await server.stop();
    await pgdb?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function once(engine, variant) {
  if (HTTP) return overHttp(engine, variant);
  const { mod, dropIndexes } = variant;
  const dir = mkdtempSync(join(tmpdir(), 'sl-readmodel-'));
  const pgdb = engine === 'postgres' ? await createDatabase() : null;
  const options = pgdb ? { databaseUrl: pgdb.url } : { sqliteFile: join(dir, 'sightline.db') };
  if (dropIndexes) {
    await (await mod.openStorage(options)).close(); // migrate
    await dropReadModelIndexes(engine, pgdb ? pgdb.url : options.sqliteFile);
  }
  const storage = await mod.openStorage(options);
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
    let pgCpuPerEvent = null;
    if (monitor) {
      const pg1 = await backendCpu(monitor);
      await monitor.end();
      pgCpuPerEvent = ([...pg1].reduce((n, [pid, s]) => n + s - (pg0.get(pid) ?? 0), 0) * 1e6) / EVENTS;
    }
    return { rate: EVENTS / ((performance.now() - t0) / 1000), cpuPerEvent: (cpu.user + cpu.system) / EVENTS, pgCpuPerEvent };
  } finally {
    await storage.close();
    await pgdb?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const load = () => loadavg().map((l) => l.toFixed(2)).join(' / ');
console.log(`# Read model on the write path`);
console.log('');
console.log(`- date: ${new Date().toISOString()}; machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; load average at start ${load()}`);
console.log(`- ${HTTP ? `HTTP ingestion (the built server; ${CALLERS} clients)` : `storage.ingest, ${CALLERS} concurrent callers`}, ${EVENTS.toLocaleString('en-US')} events per run in batches of 100, ${ROUNDS} rounds per variant, alternating`);
console.log('');
const SHORT = { 'with read model': 'with', 'without read model': 'without', 'totals, no read-model indexes': 'totals only', 'baseline with read model': 'baseline' };
const others = NAMES.filter((n) => n !== 'with read model' && n !== 'without read model');
console.log(
  `| engine | with read model (events/s, median) | without | throughput cost | ${others.map((n) => `${n} (cost)`).join(' | ')}${others.length ? ' | ' : ''}` +
    `spread with / without (min–max) | ${HTTP ? 'server' : 'Node'} CPU µs/event ${NAMES.map((n) => SHORT[n]).join(' / ')} | runs ${NAMES.map((n) => SHORT[n]).join(' / ')} (events/s, in order) |`,
);
console.log(`|---|---:|---:|---:|${others.map(() => '---:|').join('')}---|---:|---|`);
const pgLines = [];
for (const engine of engines) {
  const rates = Object.fromEntries(NAMES.map((name) => [name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    // Forward in even rounds, backward in odd ones: no variant always runs right after the same one.
    const order = r % 2 === 0 ? NAMES : [...NAMES].reverse();
    for (const name of order) rates[name].push(await once(engine, variants[name]));
    process.stderr.write(`  ${engine}: round ${r + 1}/${ROUNDS} (load ${load()})\n`);
  }
  const rate = (name) => median(rates[name].map((r) => r.rate));
  const cpu = (name) => median(rates[name].map((r) => r.cpuPerEvent));
  const spread = (name) => `${fmt(Math.min(...rates[name].map((r) => r.rate)))}–${fmt(Math.max(...rates[name].map((r) => r.rate)))}`;
  const runs = (name) => rates[name].map((r) => fmt(r.rate)).join(', ');
  const pgCpu = (name) => median(rates[name].map((r) => r.pgCpuPerEvent));
  const wo = rate('without read model');
  const cost = (name) => `${((1 - rate(name) / wo) * 100).toFixed(1)}%`;
  console.log(
    `| ${engine} | ${fmt(rate('with read model'))} | ${fmt(wo)} | ${cost('with read model')} | ${others.map((n) => `${fmt(rate(n))} (${cost(n)})`).join(' | ')}${others.length ? ' | ' : ''}` +
      `${spread('with read model')} / ${spread('without read model')} | ${NAMES.map((n) => cpu(n).toFixed(1)).join(' / ')} | ${NAMES.map(runs).join(' / ')} |`,
  );
  if (engine === 'postgres') pgLines.push(`- postgres: PostgreSQL server CPU per event (its backends for this database, /proc), median ${NAMES.map((n) => SHORT[n]).join(' / ')}: ${NAMES.map((n) => pgCpu(n).toFixed(1)).join(' / ')} µs`);
}
console.log('');
for (const line of pgLines) console.log(line);
console.log(`Load average at the end: ${load()}`);
rmSync(copy, { recursive: true, force: true });
