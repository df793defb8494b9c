#!/usr/bin/env node
// Reads benchmark (issue 18): the everyday reads of the public API and the UI JSON API, timed
// through the built server over HTTP, on projects of growing size. For each engine and size,
// on a fresh database:
//   1. the server starts once (migrations, the "default" project, the bench key pair and the UI
//      owner), then stops;
//   2. the project is bulk-seeded (lib/reads-data.mjs, lib/reads-seed.mjs: the rows ingestion
//      would write, without HTTP); PostgreSQL is vacuumed and analyzed, as autovacuum would after
//      so many inserts (the visibility map lets index-only scans skip the table);
//   3. the server starts again; each read runs once to warm up, then --runs times in turn (the
//      reads take turns within a round so that load from other processes falls on all alike).
// Every answer must be 200. Before timing, --verify (default on) checks at 1,500 traces that the
// bulk seed equals what storage.ingest writes (lib/reads-verify.mjs).
// Usage: npm run bench:reads -- [--traces 10000,100000] [--engine sqlite|postgres|both] [--runs N] [--no-verify] [--steps N]
//          [--json out.json] (the figures, for a later --baseline) [--baseline before.json] (adds "before" columns)
//          [--keep seeded.json] (one engine and size: keep the seeded database and note it in seeded.json)
//          [--reuse seeded.json] (time the reads again on a kept database, without seeding; the
//          workload's clock is the seed's, so "7 days" means the same rows; delete the database yourself)
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchArgs } from './lib/cli.mjs';
import { execSync } from 'node:child_process';
import { openPostgres, postgresDialect } from '../packages/storage/dist/postgres/driver.js';
import { openSqlite, sqliteDialect } from '../packages/storage/dist/sqlite/driver.js';
import { flushSearchIndex } from '../packages/storage/dist/traces/search-index.js';
import { createDatabase } from './lib/pg-database.mjs';
import { createReadsWorkload } from './lib/reads-data.mjs';
import { READS, signIn, timeReads } from './lib/reads-list.mjs';
import { seedProject } from './lib/reads-seed.mjs';
import { verifySeed } from './lib/reads-verify.mjs';
import { AUTH, startServer } from './lib/server-process.mjs';

const { values: flags } = benchArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    traces: { type: 'string', default: '10000,100000' },
    runs: { type: 'string', default: '9' },
    'no-verify': { type: 'boolean', default: false },
    json: { type: 'string' },
    baseline: { type: 'string' },
    // Agent steps added to every trace (lib/reads-data.mjs): 5 gives ≈ 10 observations per trace.
    steps: { type: 'string', default: '0' },
    keep: { type: 'string' },
    reuse: { type: 'string' },
  },
});
const engines = flags.engine === 'both' ? ['sqlite', 'postgres'] : [flags.engine];
if (!engines.every((e) => e === 'sqlite' || e === 'postgres')) throw new Error(`--engine: expected sqlite, postgres or both; got ${flags.engine}`);
const SIZES = flags.traces.split(',').map(Number);
if (!SIZES.every((n) => Number.isSafeInteger(n) && n >= 100)) throw new Error(`--traces: expected comma-separated integers ≥ 100; got ${flags.traces}`);
const RUNS = Number(flags.runs);
const reused = flags.reuse ? JSON.parse(readFileSync(flags.reuse, 'utf8')) : null;
if (reused) {
  engines.splice(0, engines.length, reused.engine);
  SIZES.splice(0, SIZES.length, reused.traces);
  flags.steps = String(reused.steps);
  flags['no-verify'] = true;
}
if (flags.keep && (engines.length !== 1 || SIZES.length !== 1)) throw new Error('--keep: give one --engine and one size in --traces');
const baseline = flags.baseline ? JSON.parse(readFileSync(flags.baseline, 'utf8')) : null;
const saved = {};
const USER = { email: 'bench-owner@example.com', password: 'bench owner password' };
const SERVER_ENV = { SIGHTLINE_INIT_USER_EMAIL: USER.email, SIGHTLINE_INIT_USER_PASSWORD: USER.password };

async function benchSize(engine, traces) {
  if (reused) return timeKept(reused);
  const dir = mkdtempSync(join(tmpdir(), 'sl-reads-'));
  const pg = engine === 'postgres' ? await createDatabase() : null;
  const where = pg ? { databaseUrl: pg.url } : { dataDir: dir };
  let kept = false;
  try {
    let server = await startServer({ ...where, env: SERVER_ENV });
    const projects = await (await fetch(`${server.url}/api/public/projects`, { headers: { authorization: AUTH } })).json();
    const projectId = projects.data[0].id;
    await server.stop();

    const now = Date.now();
    const workload = createReadsWorkload({ traces, now, steps: Number(flags.steps) });
    const db = pg ? openPostgres({ connectionString: pg.url, queryTimeoutMillis: 3_600_000 }) : openSqlite({ file: join(dir, 'sightline.db') });
    const t0 = performance.now();
    const counts = await seedProject(db, pg ? postgresDialect : sqliteDialect, projectId, workload, {
      deferIndexes: true,
      onProgress: (c) => process.stderr.write(`  ${engine} ${traces}: seeded ${c.traces.toLocaleString('en-US')} traces${c.indexing ? `; building ${c.indexing.slice(0, 60)}` : ''}\x1b[K\r`),
    });
    // The bulk seed's rows reach the search index as ingestion's would: the triggers note them and
    // steps move them into the index (here all at once; on PostgreSQL the seed wrote their docs in bulk).
    await db.transaction((tx) => flushSearchIndex(tx, pg ? postgresDialect : sqliteDialect, { atLeast: 0, atMost: Infinity }));
    if (pg) await db.run('VACUUM (ANALYZE)');
    const size = pg ? Number((await db.get('SELECT pg_database_size(current_database()) AS s')).s) : statSync(join(dir, 'sightline.db')).size;
    await db.close();
    const seedSeconds = (performance.now() - t0) / 1000;
    process.stderr.write('\n');
    if (flags.keep) {
      writeFileSync(flags.keep, JSON.stringify({ engine, traces, steps: Number(flags.steps), now, where, projectId, counts, seedSeconds, size }, null, 1));
      kept = true;
    }

    server = await startServer({ ...where, env: SERVER_ENV });
    try {
      const cookie = await signIn(server.url, USER);
      const results = await timeReads({ url: server.url, projectId, cookie, workload, runs: RUNS });
      return { counts, seedSeconds, size, results };
    } finally {
      await server.stop();
    }
  } finally {
    if (!kept) {
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** The reads timed again on a database kept by an earlier --keep run (its workload rebuilt with the seed's clock). */
async function timeKept(k) {
  const workload = createReadsWorkload({ traces: k.traces, now: k.now, steps: k.steps });
  const server = await startServer({ ...k.where, env: SERVER_ENV });
  try {
    const cookie = await signIn(server.url, USER);
    const results = await timeReads({ url: server.url, projectId: k.projectId, cookie, workload, runs: RUNS });
    return { counts: k.counts, seedSeconds: k.seedSeconds, size: k.size, results };
  } finally {
    await server.stop();
  }
}

const fmt = (n, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const size = (n) => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));
const load = () => loadavg().map((l) => l.toFixed(2)).join(' / ');
let commit = 'unknown';
try {
  commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim() + (execSync('git status --porcelain', { encoding: 'utf8' }).trim() ? ' (+ uncommitted changes)' : '');
} catch { /* not a git checkout */ }
console.log('# Reads benchmark');
console.log('');
console.log(`- date: ${new Date().toISOString()}; commit ${commit}`);
console.log(`- machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${fmt(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}`);
console.log(`- each read: 1 warm-up call, then ${RUNS} calls, reads taking turns within a round; median and p95 (nearest rank) in ms`);
console.log(`- load average at start: ${load()}`);
for (const engine of engines) {
  if (!flags['no-verify']) {
    const checked = await verifySeed(engine, 1500, Number(flags.steps));
    console.log(`- ${engine}: bulk seed equals storage.ingest at 1,500 traces (${Object.entries(checked).map(([t, n]) => `${t} ${n}`).join(', ')})`);
  }
  const bySize = [];
  for (const traces of SIZES) {
    const r = await benchSize(engine, traces);
    bySize.push({ traces, ...r });
    console.log(`- ${engine}, ${traces.toLocaleString('en-US')} traces: ${r.counts.observations.toLocaleString('en-US')} observations, ${r.counts.scores.toLocaleString('en-US')} scores, ${r.counts.sessions.toLocaleString('en-US')} sessions, ${r.counts.events.toLocaleString('en-US')} events; seeded in ${fmt(r.seedSeconds)} s; database ${fmt(r.size / 2 ** 20, 0)} MiB; load average after: ${load()}`);
  }
  console.log('');
  const growth = bySize.slice(1).map((s, i) => `growth ${size(bySize[i].traces)}→${size(s.traces)}`);
  const row = (cells) => console.log(`| ${cells.join(' | ')} |`);
  saved[engine] = bySize.map((s) => ({ traces: s.traces, counts: s.counts, results: Object.fromEntries(READS.map((r, i) => [r.name, s.results[i]])) }));
  // With --baseline: each size's median before, beside this run's.
  const before = (traces, name) => baseline?.[engine]?.find((b) => b.traces === traces)?.results[name];
  const withBefore = bySize.filter((s) => baseline?.[engine]?.some((b) => b.traces === s.traces));
  row([`${engine} read`, 'route', ...bySize.flatMap((s) => [`${size(s.traces)}: median ms`, 'p95 ms']), ...growth, ...withBefore.map((s) => `${size(s.traces)} before: median ms`)]);
  row(['---', '---', ...bySize.flatMap(() => ['---:', '---:']), ...growth.map(() => '---:'), ...withBefore.map(() => '---:')]);
  READS.forEach((read, i) => {
    const cells = bySize.map((s) => s.results[i]);
    if (cells[0].unsupported) {
      row([read.name, read.route, ...bySize.flatMap(() => ['not supported', '–']), ...growth.map(() => '–'), ...withBefore.map(() => '–')]);
      return;
    }
    const g = cells.slice(1).map((c, j) => `×${fmt(c.median / cells[j].median)}`);
    const was = withBefore.map((s) => before(s.traces, read.name)).map((b) => (b && !b.unsupported ? fmt(b.median) : '–'));
    row([read.name, `\`${read.route}\``, ...cells.flatMap((c) => [fmt(c.median), fmt(c.p95)]), ...g, ...was]);
  });
}
console.log('');
console.log(`Load average at the end: ${load()}`);
if (flags.json) writeFileSync(flags.json, JSON.stringify(saved, null, 1));
