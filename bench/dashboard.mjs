#!/usr/bin/env node
// The UI dashboard (issue 18) before/after, side by side: one seeded reads-benchmark project
// (lib/reads-project.mjs; kept in --data, so a rerun skips the seeding), copied once per build;
// the server of this checkout and that of --baseline (another checkout, built, with its own
// node_modules) each start on their copy (this build migrates its copy on start, which is
// timed); then `GET /api/ui/projects/:id/dashboard` for 7 and 30 days, taking turns between the
// builds, one warm-up call each and --runs timed calls. Then, in-process, each series the
// dashboard asks the metrics engine for, on this build's copy (--series), with the path
// (rollup or scan) that answered it.
// Usage: node bench/dashboard.mjs --baseline /path/to/other/checkout [--engine sqlite|postgres]
//          [--traces 100000] [--data dir] [--runs 15] [--series]
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { benchArgs } from './lib/cli.mjs';
import { execSync } from 'node:child_process';
import { openStorage } from '../packages/storage/dist/index.js';
import { createDatabase } from './lib/pg-database.mjs';
import { signIn } from './lib/reads-list.mjs';
import { BENCH_USER, SERVER_ENV, seededProject } from './lib/reads-project.mjs';
import { PUBLIC_KEY, SECRET_KEY } from './lib/server-process.mjs';

const { values: flags } = benchArgs({
  options: {
    baseline: { type: 'string' },
    engine: { type: 'string', default: 'sqlite' },
    traces: { type: 'string', default: '100000' },
    data: { type: 'string' },
    runs: { type: 'string', default: '15' },
    series: { type: 'boolean', default: false },
  },
});
if (!flags.baseline) throw new Error('--baseline: the root of a built checkout to compare with');
const ENGINE = flags.engine;
const TRACES = Number(flags.traces);
const RUNS = Number(flags.runs);
const DATA = resolve(flags.data ?? join(tmpdir(), `sl-dashboard-${ENGINE}-${TRACES}`));
const DAY = 86_400_000;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' / ');
const ms = (n) => n.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const nearestRank = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

const project = await seededProject({
  dir: DATA, engine: ENGINE, traces: TRACES,
  onProgress: (c) => process.stderr.write(`  seeded ${c.traces.toLocaleString('en-US')} traces\r`),
});
console.log(`# Dashboard, before/after — ${new Date().toISOString()}`);
console.log('');
const commitOf = (root) => {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // A copy outside git: its COMMIT file, when it has one.
    return existsSync(join(root, 'COMMIT')) ? readFileSync(join(root, 'COMMIT'), 'utf8').trim().slice(0, 7) : 'unknown';
  }
};
console.log(`- this build: ${commitOf('.')}${execSync('git status --porcelain', { encoding: 'utf8' }).trim() ? ' (+ uncommitted changes)' : ''}; baseline: ${flags.baseline} (${commitOf(flags.baseline)})`);
console.log(`- ${ENGINE}, ${project.traces.toLocaleString('en-US')} traces, ${project.counts.observations.toLocaleString('en-US')} observations, ${project.counts.scores.toLocaleString('en-US')} scores (seeded in ${ms(project.seedSeconds)} s)`);
console.log(`- load average at start: ${load()}`);

/** A copy of the seeded database for one build: a data directory, or a PostgreSQL database made from the seeded one as template. */
async function copyFor(name) {
  if (ENGINE === 'sqlite') {
    const dir = join(DATA, `copy-${name}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    cpSync(join(DATA, 'sightline.db'), join(dir, 'sightline.db'));
    if (existsSync(join(DATA, 'media-signing.key'))) cpSync(join(DATA, 'media-signing.key'), join(dir, 'media-signing.key'));
    return { where: { dataDir: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const db = await createDatabase({ template: new URL(project.where.databaseUrl).pathname.slice(1) });
  return { where: { databaseUrl: db.url }, drop: db.drop };
}

const builds = [['before', resolve(flags.baseline)], ['after', resolve('.')]];
const servers = {};
const copies = {};
for (const [name, root] of builds) {
  copies[name] = await copyFor(name);
  const { startServer } = await import(join(root, 'test/support/cli-process.mjs'));
  const t0 = performance.now();
  const server = await startServer({
    ...copies[name].where, readyTimeoutMs: 3_600_000,
    env: { ...SERVER_ENV, SIGHTLINE_INIT_PUBLIC_KEY: PUBLIC_KEY, SIGHTLINE_INIT_SECRET_KEY: SECRET_KEY },
  });
  console.log(`- ${name}: server ready in ${ms((performance.now() - t0) / 1000)} s (migrations and rollup builds included)`);
  servers[name] = { server, cookie: await signIn(server.url, BENCH_USER) };
}

const READS = [7, 30].map((days) => ({ name: `dashboard, ${days} days`, path: `/api/ui/projects/${project.projectId}/dashboard?from=${project.now - days * DAY}&to=${project.now}` }));
const times = {};
try {
  for (let round = 0; round <= RUNS; round++) {
    for (const read of READS) {
      for (const [name] of round % 2 === 0 ? builds : [...builds].reverse()) {
        const { server, cookie } = servers[name];
        const t0 = performance.now();
        const res = await fetch(`${server.url}${read.path}`, { headers: { cookie } });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${name} ${read.name}: ${res.status} ${body.slice(0, 300)}`);
        if (round > 0) (times[`${read.name}\u0000${name}`] ??= []).push(performance.now() - t0);
      }
    }
  }
} finally {
  for (const { server } of Object.values(servers)) await server.stop();
}
console.log(`- load average after the timed calls: ${load()}`);
console.log('');
console.log(`| read (${ENGINE}, ${project.traces.toLocaleString('en-US')} traces) | before: median ms | p95 ms | after: median ms | p95 ms |`);
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const read of READS) {
  const cell = (name) => {
    const s = times[`${read.name}\u0000${name}`].sort((a, b) => a - b);
    return [ms(nearestRank(s, 0.5)), ms(nearestRank(s, 0.95))];
  };
  console.log(`| ${read.name} | ${cell('before').join(' | ')} | ${cell('after').join(' | ')} |`);
}

if (flags.series) await timeSeries();
await copies.before.drop();
await copies.after.drop();

/** Each series of the dashboard on this build's copy, in-process: median of --runs, and the path that answered. */
async function timeSeries() {
  const storage = await openStorage({ ...(copies.after.where.dataDir ? { sqliteFile: join(copies.after.where.dataDir, 'sightline.db') } : { databaseUrl: copies.after.where.databaseUrl }) });
  const anyOf = (column, value) => ({ type: 'stringOptions', column, operator: 'any of', value });
  const count = { measure: 'count', aggregation: 'count' };
  const percentiles = ['p50', 'p95', 'p99'].map((aggregation) => ({ measure: 'latency', aggregation }));
  const sums = ['totalCost', 'totalTokens'].map((measure) => ({ measure, aggregation: 'sum' }));
  const generations = [anyOf('type', ['GENERATION'])];
  const numeric = [anyOf('dataType', ['NUMERIC'])];
  const categories = { dimensions: ['name', 'dataType', 'stringValue'], metrics: [count] };
  const granularity = 'hour';
  const SERIES = {
    traces: ['traces', { metrics: [count], granularity }],
    observations: ['observations', { metrics: [count], granularity }],
    errors: ['observations', { metrics: [count], filters: [anyOf('level', ['ERROR'])], granularity }],
    'generation cost and tokens': ['observations', { metrics: sums, filters: generations, granularity }],
    'cost and tokens by model': ['observations', { dimensions: ['providedModelName'], metrics: [...sums, count], filters: generations, orderBy: [{ field: 'sum_totalCost', direction: 'desc' }], rowLimit: 20 }],
    'generation latency percentiles': ['observations', { metrics: [count, ...percentiles], filters: generations, granularity }],
    'trace latency percentiles': ['traces', { metrics: percentiles }],
    'score names': ['scores-numeric', { dimensions: ['name'], metrics: [count], filters: numeric, rowLimit: 20 }],
    'one numeric score over time': ['scores-numeric', { dimensions: ['name'], metrics: [{ measure: 'value', aggregation: 'avg' }, count], filters: [...numeric, anyOf('name', ['quality'])], granularity }],
    'categorical scores': ['scores-categorical', categories],
    'boolean scores': ['scores-boolean', categories],
  };
  try {
    for (const days of [7, 30]) {
      const base = { dimensions: [], metrics: [], filters: [], granularity: null, fromTimestamp: project.now - days * DAY, toTimestamp: project.now, orderBy: [] };
      const t = {};
      for (let round = 0; round <= RUNS; round++) {
        for (const [name, [view, part]] of Object.entries(SERIES)) {
          const t0 = performance.now();
          const res = await storage.metrics.query(project.projectId, { ...base, view, ...part });
          const took = performance.now() - t0;
          t[name] ??= { path: res.path, ms: [] };
          if (round > 0) t[name].ms.push(took);
        }
      }
      console.log('');
      console.log(`Series of the dashboard, ${days} days, hourly buckets (this build, in-process; load average ${load()}):`);
      console.log('');
      console.log('| series | answered from | median ms | p95 ms |');
      console.log('| --- | --- | ---: | ---: |');
      for (const [name, { path, ms: xs }] of Object.entries(t)) {
        const s = xs.sort((a, b) => a - b);
        console.log(`| ${name} | ${path} | ${ms(nearestRank(s, 0.5))} | ${ms(nearestRank(s, 0.95))} |`);
      }
    }
  } finally {
    await storage.close();
  }
}
