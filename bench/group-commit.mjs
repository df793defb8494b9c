#!/usr/bin/env node
// Group commit (packages/storage/src/ingest/group-commit.ts) under a backlog: storage.ingest
// called by N concurrent callers (more than the commits running, so requests wait and group),
// for this checkout's storage package and the builds given with --build, taking turns on fresh
// databases. Reports events/s, this process's CPU per event (all threads: SQLite commits on its
// worker thread) and, on PostgreSQL, the database backends' CPU per event (from /proc).
// Workload of bench/ingest.mjs (lib/workload.mjs: ~1 KB events, 6 per trace, batches of 100).
// Usage: node bench/group-commit.mjs [--build name=/path/to/checkout …] [--engine sqlite|postgres|both]
//          [--events N] [--callers N] [--rounds N]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchArgs } from './lib/cli.mjs';
import pg from 'pg';
import { createDatabase } from './lib/pg-database.mjs';
import { makeBatches, storageItems } from './lib/workload.mjs';

const { values: flags } = benchArgs({
  options: {
    build: { type: 'string', multiple: true, default: [] },
    engine: { type: 'string', default: 'both' },
    events: { type: 'string', default: '20000' },
    callers: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '2' },
  },
});
const builds = [['this checkout', resolve('.')], ...flags.build.map((b) => {
  const at = b.indexOf('=');
  if (at <= 0) throw new Error(`--build: expected name=/path/to/checkout; got ${b}`);
  return [b.slice(0, at), resolve(b.slice(at + 1))];
})];
const engines = flags.engine === 'both' ? ['sqlite', 'postgres'] : [flags.engine];
const [EVENTS, CALLERS, ROUNDS] = [Number(flags.events), Number(flags.callers), Number(flags.rounds)];

const cpuOf = (pid) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
};

async function once(engine, checkout) {
  const { openStorage } = await import(pathToFileURL(join(checkout, 'packages/storage/dist/index.js')).href);
  const db = engine === 'postgres' ? await createDatabase() : null;
  const dir = mkdtempSync(join(tmpdir(), 'sl-group-'));
  const storage = await openStorage(db ? { databaseUrl: db.url } : { dataDir: dir });
  const monitor = db ? new pg.Client({ connectionString: db.url }) : null;
  await monitor?.connect();
  const dbCpu = async () => {
    if (!monitor) return 0;
    const { rows } = await monitor.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    return rows.reduce((sum, r) => sum + cpuOf(r.pid), 0);
  };
  try {
    const batches = storageItems(makeBatches(`g${Date.now()}`, EVENTS, 100));
    await storage.ingest([batches[0]]);
    const d0 = await dbCpu();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let next = 1;
    await Promise.all(Array.from({ length: CALLERS }, async () => {
      while (next < batches.length) await storage.ingest([batches[next++]]);
    }));
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const n = batches.slice(1).reduce((s, b) => s + b.events.length, 0);
    return { evps: (n / ms) * 1000, cpu: (c.user + c.system) / n, db: (((await dbCpu()) - d0) * 1e6) / n };
  } finally {
    await monitor?.end();
    await storage.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
console.log(`# Group commit under a backlog: ${CALLERS} callers of storage.ingest, ${EVENTS} events per run, ${ROUNDS} rounds`);
console.log(`- load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' / ')}\n`);
console.log('| engine | build | events/s (median) | runs | CPU µs/event (this process) | database CPU µs/event |\n|---|---|---:|---|---:|---:|');
for (const engine of engines) {
  const results = new Map(builds.map(([name]) => [name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? builds : [...builds].reverse();
    for (const [name, checkout] of order) results.get(name).push(await once(engine, checkout));
  }
  for (const [name, runs] of results) {
    console.log(`| ${engine} | ${name} | ${Math.round(median(runs.map((x) => x.evps))).toLocaleString('en-US')} | ${runs.map((x) => Math.round(x.evps).toLocaleString('en-US')).join(', ')} | ${median(runs.map((x) => x.cpu)).toFixed(1)} | ${engine === 'postgres' ? median(runs.map((x) => x.db)).toFixed(1) : '—'} |`);
  }
}
console.log(`\nLoad average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' / ')}`);
