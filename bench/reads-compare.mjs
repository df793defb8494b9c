#!/usr/bin/env node
// Before/after for a few reads of the reads benchmark (bench/reads.mjs), side by side on ONE
// seeded database: the project is bulk-seeded once (lib/reads-seed.mjs), then two servers run on
// it — this checkout's build ("after") and a copy of another build ("before", --before DIR: a
// directory holding packages/*/dist, packages/*/package.json and a node_modules whose
// @sightline/* point at those packages) — and the chosen reads take turns between them, so load
// from other processes falls on both alike. Every answer must be 200, and both builds must answer
// the same bytes unless --allow-diff names the read. Besides wall time (median, p95), the server
// process's CPU time per call (mean over the runs, from /proc; the database server's own CPU is
// not in it on PostgreSQL): on a shared machine it moves far less with the load than wall time.
// Usage: node bench/reads-compare.mjs --before /tmp/before [--engine sqlite|postgres] [--traces 100000]
//          [--runs 9] [--reads 'one trace, 5,000 observations|scores list'] (names from lib/reads-list.mjs, '|' between) [--dir DIR] (SQLite: seeded once, reused)
//          [--pg-url URL] (reuse a seeded PostgreSQL database; a new one is kept, not dropped) [--steps N] (as reads.mjs)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchArgs } from './lib/cli.mjs';
import { spawn } from 'node:child_process';
import { openPostgres, postgresDialect } from '../packages/storage/dist/postgres/driver.js';
import { openSqlite, sqliteDialect } from '../packages/storage/dist/sqlite/driver.js';
import { flushSearchIndex } from '../packages/storage/dist/traces/search-index.js';
import { createDatabase } from './lib/pg-database.mjs';
import { createReadsWorkload } from './lib/reads-data.mjs';
import { READS, signIn } from './lib/reads-list.mjs';
import { seedProject } from './lib/reads-seed.mjs';
import { AUTH, freePort } from './lib/server-process.mjs';

const { values: flags } = benchArgs({
  options: {
    before: { type: 'string' },
    engine: { type: 'string', default: 'sqlite' },
    traces: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '9' },
    reads: { type: 'string' },
    dir: { type: 'string' },
    'pg-url': { type: 'string' },
    'allow-diff': { type: 'string', default: '' },
    // Agent steps added to every trace, as reads.mjs --steps (5: ≈ 10 observations per trace).
    steps: { type: 'string', default: '0' },
  },
});
const TRACES = Number(flags.traces);
const RUNS = Number(flags.runs);
const USER = { email: 'bench-owner@example.com', password: 'bench owner password' };
const ENV = { SIGHTLINE_INIT_USER_EMAIL: USER.email, SIGHTLINE_INIT_USER_PASSWORD: USER.password, SIGHTLINE_INIT_PUBLIC_KEY: 'pk-lf-bench', SIGHTLINE_INIT_SECRET_KEY: 'sk-lf-bench' };
const wanted = flags.reads ? flags.reads.split('|') : null;
const reads = READS.filter((r) => !r.unsupported && (!wanted || wanted.includes(r.name)));
/** CPU time (user + system, ms) the process has used so far, from /proc (10 ms ticks). */
const cpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const load = () => loadavg().map((l) => l.toFixed(2)).join(' / ');

/** `sightline serve` of the build under `root` on a free port. */
async function serve(root, where) {
  const port = await freePort();
  const cli = join(root, 'packages/server/dist/cli/main.js');
  const args = [cli, 'serve', '--host', '127.0.0.1', '--port', String(port), ...(where.dataDir ? ['--data-dir', where.dataDir] : [])];
  const env = { ...process.env, ...ENV, ...(where.databaseUrl ? { DATABASE_URL: where.databaseUrl } : {}), SIGHTLINE_LOG_LEVEL: 'warn' };
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/api/public/ready`)).status === 200) return { url, pid: child.pid, stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }) };
    } catch { /* not yet listening */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server under ${root} did not become ready`);
}

const dir = flags.dir ?? join(tmpdir(), `sl-compare-${flags.engine}-${TRACES}`);
if (flags.engine !== 'postgres') mkdirSync(dir, { recursive: true });
let pg = null;
let where;
if (flags.engine === 'postgres') {
  if (flags['pg-url']) where = { databaseUrl: flags['pg-url'] };
  else { pg = await createDatabase(); where = { databaseUrl: pg.url }; console.error(`postgres database: ${pg.url}`); }
} else where = { dataDir: dir };
const workload = createReadsWorkload({ traces: TRACES, now: Date.now(), steps: Number(flags.steps) });
const seeded = flags.engine === 'postgres' ? Boolean(flags['pg-url']) : existsSync(join(dir, 'seeded'));

// The server of this checkout migrates first (it may add a migration the "before" build lacks).
let after = await serve('.', where);
const projectId = (await (await fetch(`${after.url}/api/public/projects`, { headers: { authorization: AUTH } })).json()).data[0].id;
if (!seeded) {
  await after.stop();
  const db = flags.engine === 'postgres' ? openPostgres({ connectionString: where.databaseUrl, queryTimeoutMillis: 3_600_000 }) : openSqlite({ file: join(dir, 'sightline.db') });
  const t0 = performance.now();
  const dialect = flags.engine === 'postgres' ? postgresDialect : sqliteDialect;
  const counts = await seedProject(db, dialect, projectId, workload, {
    deferIndexes: true,
    onProgress: (c) => process.stderr.write(`  seeded ${c.traces.toLocaleString('en-US')} traces${c.indexing ? `; building ${c.indexing.slice(0, 60)}` : ''}\x1b[K\r`),
  });
  // As reads.mjs: the seeded rows reach the search index as ingestion's would.
  await db.transaction((tx) => flushSearchIndex(tx, dialect, { atLeast: 0, atMost: Infinity }));
  if (flags.engine === 'postgres') await db.run('ANALYZE');
  await db.close();
  console.error(`\nseeded in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${JSON.stringify(counts)}`);
  if (flags.engine === 'sqlite') writeFileSync(join(dir, 'seeded'), JSON.stringify(counts));
  after = await serve('.', where);
}
const before = flags.before ? await serve(flags.before, where) : null;
const builds = before ? [['before', before], ['after', after]] : [['after', after]];
const cookies = new Map();
for (const [name, s] of builds) cookies.set(name, await signIn(s.url, USER));

const c = {
  ui: `/api/ui/projects/${projectId}`, now: Date.now(), session: `r-session-${Math.floor(TRACES / 10)}`,
  trace: `r-t${Math.floor(TRACES * 0.3) + 1}`, big50: 'r-big50-0', big5000: 'r-big5000', rare: 'quixotically', scoreName: 'quality', common: 'passages',
};
const allowDiff = new Set(flags['allow-diff'].split('|'));
const times = new Map(builds.map(([name]) => [name, reads.map(() => [])]));
const cpu = new Map(builds.map(([name]) => [name, reads.map(() => 0)]));
const bodies = reads.map(() => new Map());
console.log(`- load average at start: ${load()} (${new Date().toISOString()})`);
for (let round = 0; round <= RUNS; round++) {
  for (const [i, read] of reads.entries()) {
    for (const [name, s] of builds) {
      const c0 = cpuMs(s.pid);
      const t0 = performance.now();
      const parts = [];
      for (const path of [read.path(c)].flat()) {
        const res = await fetch(`${s.url}${path}`, { headers: read.ui ? { cookie: cookies.get(name) } : { authorization: AUTH } });
        const body = Buffer.from(await res.arrayBuffer());
        if (res.status !== 200) throw new Error(`${name} ${read.name}: GET ${path} answered ${res.status}: ${body.toString().slice(0, 300)}`);
        parts.push(body);
      }
      if (round > 0) times.get(name)[i].push(performance.now() - t0);
      if (round > 0) cpu.get(name)[i] += cpuMs(s.pid) - c0;
      if (round === 0) bodies[i].set(name, Buffer.concat(parts));
    }
  }
}
console.log(`- load average at end: ${load()} (${new Date().toISOString()})`);
for (const [, s] of builds) await s.stop();
if (pg) console.error(`kept the seeded database for --pg-url: ${pg.url}`);

const rank = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]; };
const f = (n) => n.toFixed(1);
console.log('');
console.log(`| ${flags.engine} read, ${TRACES.toLocaleString('en-US')} traces | route | ${builds.map(([n]) => `${n}: median ms | p95 | server CPU ms`).join(' | ')} | same bytes |`);
console.log(`| --- | --- | ${builds.map(() => '---: | ---: | ---:').join(' | ')} | --- |`);
for (const [i, read] of reads.entries()) {
  const cells = builds.map(([name]) => `${f(rank(times.get(name)[i], 0.5))} | ${f(rank(times.get(name)[i], 0.95))} | ${f(cpu.get(name)[i] / RUNS)}`);
  const same = before ? (bodies[i].get('before').equals(bodies[i].get('after')) ? 'yes' : 'NO') : '–';
  if (same === 'NO' && !allowDiff.has(read.name)) console.error(`${read.name}: the two builds answered different bytes`);
  console.log(`| ${read.name} | \`${read.route}\` | ${cells.join(' | ')} | ${same} |`);
}
