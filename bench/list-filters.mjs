#!/usr/bin/env node
// The public traces list by tag, environment and metadata, and the UI traces list sorted by a
// score (issue 18), timed through storage on databases seeded once and kept between runs, so
// variants of the storage package can be compared side by side on the same data:
//   node bench/list-filters.mjs --dir /tmp/lf --traces 100000 [--engine sqlite|postgres]
//       [--variant name=path/to/storage/dist/index.js ...] [--runs 9]
// Each variant gets its own copy of the seeded database (SQLite: a copy of the file; PostgreSQL:
// a database created from the seeded one as a template) and opens it with its own migrations.
// Reads take turns within a round; medians and p95 (nearest rank) per variant.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchArgs } from './lib/cli.mjs';
import Database from 'better-sqlite3';
import pg from '../node_modules/pg/lib/index.js';
import { openPostgres, postgresDialect } from '../packages/storage/dist/postgres/driver.js';
import { openSqlite, sqliteDialect } from '../packages/storage/dist/sqlite/driver.js';
import { createReadsWorkload } from './lib/reads-data.mjs';
import { seedProject } from './lib/reads-seed.mjs';
import { AUTH, startServer } from './lib/server-process.mjs';

const { values: flags } = benchArgs({
  options: {
    dir: { type: 'string', default: '/tmp/list-filters' },
    traces: { type: 'string', default: '100000' },
    engine: { type: 'string', default: 'sqlite' },
    runs: { type: 'string', default: '9' },
    variant: { type: 'string', multiple: true, default: ['current=packages/storage/dist/index.js'] },
  },
});
const TRACES = Number(flags.traces);
const RUNS = Number(flags.runs);
const PG = 'postgres://postgres@127.0.0.1:5432';
const seedName = `lf_seed_${TRACES}`;
mkdirSync(flags.dir, { recursive: true });
const stateFile = join(flags.dir, `state-${flags.engine}-${TRACES}.json`);

async function adminQuery(sql) {
  const c = new pg.Client({ connectionString: `${PG}/postgres` });
  await c.connect();
  try { return await c.query(sql); } finally { await c.end(); }
}

/** Seeds once: the server migrates and creates the project, then the bulk seed writes the rows. */
async function seed() {
  if (existsSync(stateFile)) return JSON.parse(readFileSync(stateFile, 'utf8'));
  const sqliteDir = join(flags.dir, `seed-${TRACES}`);
  mkdirSync(sqliteDir, { recursive: true });
  if (flags.engine === 'postgres') {
    await adminQuery(`DROP DATABASE IF EXISTS ${seedName}`);
    await adminQuery(`CREATE DATABASE ${seedName}`);
  }
  const where = flags.engine === 'postgres' ? { databaseUrl: `${PG}/${seedName}` } : { dataDir: sqliteDir };
  const server = await startServer(where);
  const projects = await (await fetch(`${server.url}/api/public/projects`, { headers: { authorization: AUTH } })).json();
  await server.stop();
  const projectId = projects.data[0].id;
  const now = Date.now();
  const workload = createReadsWorkload({ traces: TRACES, now });
  const db = flags.engine === 'postgres' ? openPostgres({ connectionString: `${PG}/${seedName}`, queryTimeoutMillis: 3_600_000 }) : openSqlite({ file: join(sqliteDir, 'sightline.db') });
  const t0 = performance.now();
  const counts = await seedProject(db, flags.engine === 'postgres' ? postgresDialect : sqliteDialect, projectId, workload, {
    onProgress: (c) => process.stderr.write(`  seeded ${c.traces} traces\r`),
  });
  if (flags.engine === 'postgres') await db.run('ANALYZE');
  await db.close();
  const state = { projectId, now, counts, seedSeconds: (performance.now() - t0) / 1000 };
  writeFileSync(stateFile, JSON.stringify(state));
  return state;
}

/** The seed has only common tags: one trace in 1,000 (by id order) gets the tag `rare`, the same in every copy. */
const RARE_TAG_SQL = `INSERT INTO trace_tags (project_id, tag, trace_id)
  SELECT project_id, 'rare', id FROM (SELECT project_id, id, ROW_NUMBER() OVER (ORDER BY id) AS k FROM traces) r WHERE k % 1000 = 0`;

/** A fresh copy of the seeded database for one variant. */
async function copyFor(name) {
  if (flags.engine === 'postgres') {
    const db = `lf_${name.replace(/\W/g, '_')}_${TRACES}`;
    await adminQuery(`DROP DATABASE IF EXISTS ${db}`);
    await adminQuery(`CREATE DATABASE ${db} TEMPLATE ${seedName}`);
    if (name === 'before') {
      // The seed ran the current build's migrations: take migration 24 out again for the build before it.
      const c = new pg.Client({ connectionString: `${PG}/${db}` });
      await c.connect();
      await c.query('DROP TABLE IF EXISTS trace_score_means; DROP INDEX IF EXISTS traces_environment; DELETE FROM schema_migrations WHERE version >= 24');
      await c.end();
    }
    const c = new pg.Client({ connectionString: `${PG}/${db}` });
    await c.connect();
    await c.query(RARE_TAG_SQL);
    await c.end();
    return { databaseUrl: `${PG}/${db}` };
  }
  const file = join(flags.dir, `${name}-${TRACES}.db`);
  copyFileSync(join(flags.dir, `seed-${TRACES}`, 'sightline.db'), file);
  const db = new Database(file);
  db.exec(RARE_TAG_SQL);
  db.close();
  return { sqliteFile: file };
}

const filter = (conds) => conds;
function reads(scoreName) {
  const list = (q) => (s, p) => s.traces.list(p, { page: 1, limit: 50, withObservations: true, withScores: true, withMetrics: true, ...q });
  const search = (q) => (s, p) => s.traces.search(p, { limit: 50, sort: { field: 'timestamp', direction: 'desc' }, ...q });
  return {
    'public list, newest': list({}),
    'public list, tag beta': list({ tags: ['beta'] }),
    'public list, tags beta+chat': list({ tags: ['beta', 'chat'] }),
    'public list, environment staging': list({ environment: ['staging'] }),
    'public list, filter metadata region': list({ filter: filter([{ type: 'stringObject', column: 'metadata', key: 'region', operator: '=', value: 'ap-south-1' }]) }),
    'public list, tag beta, page 20': list({ tags: ['beta'], page: 20 }),
    'public list, rare tag (100 traces)': list({ tags: ['rare'] }),
    'public list, metadata value no trace has': list({ filter: filter([{ type: 'stringObject', column: 'metadata', key: 'region', operator: '=', value: 'mars-1' }]) }),
    'public list, environment no trace has': list({ environment: ['qa'] }),
    'UI, sort score desc': search({ sort: { field: 'score', direction: 'desc', scoreName } }),
    'UI, sort score asc': search({ sort: { field: 'score', direction: 'asc', scoreName } }),
    'UI, sort score desc, env staging': search({ sort: { field: 'score', direction: 'desc', scoreName }, environment: ['staging'] }),
  };
}

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]; };

const state = await seed();
console.log(`# ${TRACES} traces on ${flags.engine}: ${JSON.stringify(state.counts)}, seeded in ${state.seedSeconds.toFixed(0)} s`);
const variants = [];
for (const v of flags.variant) {
  const [name, path] = v.split('=');
  const mod = await import(pathToFileURL(resolve(path)).href);
  const storage = await mod.openStorage(await copyFor(name));
  variants.push({ name, storage, times: {} });
}
const R = reads('quality');
const answers = {};
console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (let round = 0; round <= RUNS; round++) {
  for (const [read, fn] of Object.entries(R)) {
    for (const v of variants) {
      const t0 = performance.now();
      const out = await fn(v.storage, state.projectId);
      const ms = performance.now() - t0;
      const sig = JSON.stringify(out.rows.map((r) => r.id)) + JSON.stringify(out.nextCursor ?? null);
      if (round === 0) {
        answers[read] ??= sig;
        if (answers[read] !== sig) console.log(`  DIFFERENT ROWS: ${read} (${v.name}) vs ${variants[0].name}`);
        if (out.totalItems !== undefined) console.log(`  ${read} (${v.name}): totalItems ${out.totalItems}${out.totalEstimated ? ' (estimated)' : ''}`);
        continue;
      }
      (v.times[read] ??= []).push(ms);
    }
  }
}
console.log(`load average at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`| read | ${variants.map((v) => `${v.name}: median ms | p95`).join(' | ')} |`);
console.log(`| --- | ${variants.map(() => '---: | ---:').join(' | ')} |`);
for (const read of Object.keys(R)) {
  console.log(`| ${read} | ${variants.map((v) => `${pct(v.times[read], 0.5).toFixed(1)} | ${pct(v.times[read], 0.95).toFixed(1)}`).join(' | ')} |`);
}
for (const v of variants) await v.storage.close();
