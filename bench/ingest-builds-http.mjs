#!/usr/bin/env node
// HTTP ingestion throughput of whole builds side by side: each build's own `sightline serve`
// (this checkout and the checkouts given with --build, each built with `npx tsc -b`), on fresh
// databases, taking turns (A B C, then C B A, …) so load from other processes falls on all alike.
// Answers "what did everything between these builds cost ingestion" — the read model, search
// index and rollups included — where bench/read-model-overhead.mjs removes parts of one build.
// Workload of bench/read-model-overhead.mjs (lib/workload.mjs: ~1 KB events, 6 per trace,
// batches of 100, 4 clients). Reports medians, spreads, the server's CPU per event and, on
// PostgreSQL, the database's (the backends serving the run, from /proc).
// Usage: node bench/ingest-builds-http.mjs --build name=/path/to/checkout [--build …]
//          [--engine sqlite|postgres|both] [--events N] [--rounds N] [--clients N]
//          [--node-args name='--max-semi-space-size=64'] (Node options of that build's server)
//          [--build-env name=KEY=value] (an environment variable of that build's server)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { benchArgs } from './lib/cli.mjs';
import pg from 'pg';
import { createDatabase } from './lib/pg-database.mjs';
import { AUTH, startServer } from './lib/server-process.mjs';
import { makeBatches } from './lib/workload.mjs';

const { values: flags } = benchArgs({
  options: {
    build: { type: 'string', multiple: true, default: [] },
    engine: { type: 'string', default: 'both' },
    events: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '3' },
    clients: { type: 'string', default: '4' },
    'node-args': { type: 'string', multiple: true, default: [] },
    'build-env': { type: 'string', multiple: true, default: [] },
  },
});
const builds = [['this checkout', resolve('.')], ...flags.build.map((b) => {
  const at = b.indexOf('=');
  if (at <= 0) throw new Error(`--build: expected name=/path/to/checkout; got ${b}`);
  return [b.slice(0, at), resolve(b.slice(at + 1))];
})];
// Node options for one build's server (`--node-args name='--max-semi-space-size=64'`): the same
// checkout run two ways is two builds with different names.
const nodeArgsOf = new Map(flags['node-args'].map((a) => {
  const at = a.indexOf('=');
  if (at <= 0) throw new Error(`--node-args: expected name=args; got ${a}`);
  return [a.slice(0, at), a.slice(at + 1).split(' ').filter(Boolean)];
}));
// Environment of one build's server (`--build-env name=KEY=value`, repeatable).
const envOf = new Map();
for (const a of flags['build-env']) {
  const [name, key, ...rest] = a.split('=');
  if (!name || !key || rest.length === 0) throw new Error(`--build-env: expected name=KEY=value; got ${a}`);
  envOf.set(name, { ...envOf.get(name), [key]: rest.join('=') });
}
const engines = flags.engine === 'both' ? ['sqlite', 'postgres'] : [flags.engine];
if (!engines.every((e) => e === 'sqlite' || e === 'postgres')) throw new Error(`--engine: expected sqlite, postgres or both; got ${flags.engine}`);
const EVENTS = Number(flags.events);
const ROUNDS = Number(flags.rounds);
const CLIENTS = Number(flags.clients);
const TICKS = 100; // USER_HZ (getconf CLK_TCK) on Linux

const cpuOf = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
};

async function backendCpu(monitor) {
  const { rows } = await monitor.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  let sum = 0;
  for (const { pid } of rows) {
    try {
      sum += cpuOf(pid);
    } catch { /* the backend ended */ }
  }
  return sum;
}

let run = 0;
async function once(engine, name, checkout) {
  const dir = mkdtempSync(join(tmpdir(), 'sl-ingest-http-'));
  const db = engine === 'postgres' ? await createDatabase() : null;
  const server = await startServer({ dataDir: dir, databaseUrl: db?.url, nodeArgs: nodeArgsOf.get(name) ?? [], env: envOf.get(name) ?? {}, cli: join(checkout, 'packages', 'server', 'dist', 'cli', 'main.js') });
  const post = async (batch) => {
    const res = await fetch(`${server.url}/api/public/ingestion`, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
    const body = await res.json();
    if (res.status !== 207 || body.errors.length !== 0) throw new Error(`ingestion: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  };
  const monitor = db ? new pg.Client({ connectionString: db.url }) : null;
  try {
    for (const batch of makeBatches(`w${run++}`, 1_000, 100)) await post(batch);
    const work = makeBatches(`m${run++}`, EVENTS, 100);
    let next = 0;
    await monitor?.connect();
    const db0 = monitor ? await backendCpu(monitor) : 0;
    const server0 = cpuOf(server.child.pid);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, async () => {
      while (next < work.length) await post(work[next++]);
    }));
    const seconds = (performance.now() - t0) / 1000;
    const serverCpu = cpuOf(server.child.pid) - server0;
    const dbCpu = monitor ? (await backendCpu(monitor)) - db0 : null;
    return { rate: EVENTS / seconds, server: (serverCpu * 1e6) / EVENTS, db: dbCpu === null ? null : (dbCpu * 1e6) / EVENTS };
  } finally {
    await monitor?.end();
    await server.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const load = () => loadavg().map((l) => l.toFixed(2)).join(' / ');
console.log(`- HTTP ingestion, ${CLIENTS} clients, ${EVENTS.toLocaleString('en-US')} events per run in batches of 100, ${ROUNDS} rounds, builds taking turns; load average at start ${load()}`);
console.log(`- builds: ${builds.map(([n, p]) => `${n} (${p}${nodeArgsOf.has(n) ? `, node ${nodeArgsOf.get(n).join(' ')}` : ''}${envOf.has(n) ? `, ${Object.entries(envOf.get(n)).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''})`).join('; ')}`);
console.log('');
console.log('| engine | build | events/s (median) | vs first build | runs (events/s, in order) | server CPU µs/event | database CPU µs/event |');
console.log('|---|---|---:|---:|---|---:|---:|');
for (const engine of engines) {
  const results = new Map(builds.map(([name]) => [name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? builds : [...builds].reverse();
    for (const [name, checkout] of order) {
      results.get(name).push(await once(engine, name, checkout));
      process.stderr.write(`  ${engine}: round ${r + 1}/${ROUNDS} ${name} done (load ${load()})\n`);
    }
  }
  const first = median(results.get(builds[0][0]).map((x) => x.rate));
  for (const [name] of builds) {
    const xs = results.get(name);
    const rate = median(xs.map((x) => x.rate));
    const dbs = xs.map((x) => x.db).filter((x) => x !== null);
    console.log(`| ${engine} | ${name} | ${fmt(rate)} | ${((rate / first - 1) * 100).toFixed(1)}% | ${xs.map((x) => fmt(x.rate)).join(', ')} | ${median(xs.map((x) => x.server)).toFixed(1)} | ${dbs.length ? median(dbs).toFixed(1) : '—'} |`);
  }
}
console.log('');
console.log(`Load average at the end: ${load()}`);
