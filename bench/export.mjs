#!/usr/bin/env node
// Export benchmark (issue 15): streams a whole project out as JSONL and CSV and records rows/s and
// the exporting process's peak RSS at growing sizes — flat memory means the peak does not grow
// with the number of traces. For each engine and size, on a fresh database:
//   1. the server starts once (migrations, the "default" project, the bench key pair), then stops;
//   2. the project is bulk-seeded with lib/reads-seed.mjs (the rows ingestion would write) from a
//      light workload: per trace a trace, a generation with usage and cost, a span and a score;
//   3. `sightline export --format jsonl|csv --out FILE` runs as a child process (reading storage
//      directly); its peak RSS is process.resourceUsage().maxRSS at exit;
//   4. the server starts and `GET /api/public/export/traces?format=jsonl` is read to the end over
//      HTTP; the server's peak RSS is read from /proc/<pid>/status (VmHWM) afterwards.
// Usage: node bench/export.mjs [--traces 100000,1000000] [--engine sqlite|postgres|both]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchArgs } from './lib/cli.mjs';
import { execSync } from 'node:child_process';
import { openPostgres, postgresDialect } from '../packages/storage/dist/postgres/driver.js';
import { openSqlite, sqliteDialect } from '../packages/storage/dist/sqlite/driver.js';
import { createDatabase } from './lib/pg-database.mjs';
import { seedProject } from './lib/reads-seed.mjs';
import { AUTH, CLI, startServer } from './lib/server-process.mjs';

const { values: flags } = benchArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    traces: { type: 'string', default: '100000,1000000' },
  },
});
const engines = flags.engine === 'both' ? ['sqlite', 'postgres'] : [flags.engine];
const SIZES = flags.traces.split(',').map(Number);

/** Trace k: 4 ingestion events, a pure function of k. */
function lightWorkload(traces, now) {
  const t0 = now - 7 * 86_400_000;
  return {
    traces,
    traceEvents(k) {
      const start = t0 + Math.floor((k * 7 * 86_400_000) / traces);
      const at = (ms) => new Date(start + ms).toISOString();
      const id = `trace-${k}`;
      const env = (n, type, body, ms) => ({ id: `${id}-e${n}`, type, timestamp: at(ms), body });
      return {
        end: start + 1500,
        events: [
          env(0, 'trace-create', { id, timestamp: at(0), name: k % 3 ? 'chat' : 'search', userId: `user-${k % 500}`, sessionId: `s-${Math.floor(k / 5)}`, tags: ['bench'], input: { question: `question number ${k}, with a comma` }, output: `answer ${k}`, metadata: { region: 'eu-west-1' } }, 0),
          env(1, 'span-create', { id: `${id}-span`, traceId: id, name: 'retrieve', startTime: at(10), endTime: at(200) }, 10),
          env(2, 'generation-create', { id: `${id}-gen`, traceId: id, name: 'llm', model: 'gpt-4o-mini', startTime: at(200), endTime: at(1400), usageDetails: { input: 120, output: 40 }, input: [{ role: 'user', content: `q ${k}` }], output: `a ${k}` }, 200),
          env(3, 'score-create', { id: `${id}-score`, traceId: id, name: 'quality', value: (k % 10) / 10 }, 1500),
        ],
      };
    },
  };
}

function run(cmd, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, DATABASE_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    child.on('exit', (code) => (code === 0 ? resolve(stderr) : reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`))));
  });
}

/** `sightline export` as a child; returns seconds and the child's peak RSS in bytes. */
async function cliExport(where, dir, format) {
  const out = join(dir, `export.${format}`);
  const rssHook = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\nMAXRSS '+process.resourceUsage().maxRSS+'\\n'))`;
  const started = performance.now();
  const stderr = await run(process.execPath, ['--import', rssHook, CLI, 'export', '--project', 'default', '--format', format, '--out', out, '--data-dir', dir], where.databaseUrl ? { DATABASE_URL: where.databaseUrl } : {});
  const seconds = (performance.now() - started) / 1000;
  const maxRss = Number(/MAXRSS (\d+)/.exec(stderr)?.[1] ?? NaN) * 1024;
  const bytes = statSync(out).size;
  rmSync(out);
  return { seconds, maxRss, bytes };
}

/** The public route read to its end over HTTP; the server's peak RSS after. */
async function apiExport(server) {
  const started = performance.now();
  const res = await fetch(`${server.url}/api/public/export/traces?format=jsonl`, { headers: { authorization: AUTH } });
  if (res.status !== 200) throw new Error(`export answered ${res.status}`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of res.body) {
    bytes += chunk.length;
    for (const b of chunk) if (b === 10) lines++;
  }
  const seconds = (performance.now() - started) / 1000;
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  const maxRss = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024;
  return { seconds, maxRss, bytes, lines };
}

async function benchSize(engine, traces) {
  const dir = mkdtempSync(join(tmpdir(), 'sl-export-'));
  const pg = engine === 'postgres' ? await createDatabase() : null;
  const where = pg ? { databaseUrl: pg.url } : { dataDir: dir };
  try {
    let server = await startServer(where);
    const projects = await (await fetch(`${server.url}/api/public/projects`, { headers: { authorization: AUTH } })).json();
    const projectId = projects.data[0].id;
    await server.stop();
    const db = pg ? openPostgres({ connectionString: pg.url, queryTimeoutMillis: 3_600_000 }) : openSqlite({ file: join(dir, 'sightline.db') });
    const t0 = performance.now();
    const counts = await seedProject(db, pg ? postgresDialect : sqliteDialect, projectId, lightWorkload(traces, Date.now()), {
      batch: 2000,
      onProgress: (c) => process.stderr.write(`  ${engine} ${traces}: seeded ${c.traces.toLocaleString('en-US')} traces\r`),
    });
    if (pg) await db.run('ANALYZE');
    await db.close();
    const seedSeconds = (performance.now() - t0) / 1000;
    process.stderr.write('\n');
    const jsonl = await cliExport(where, dir, 'jsonl');
    const csv = await cliExport(where, dir, 'csv');
    server = await startServer(where);
    let api;
    try {
      api = await apiExport(server);
    } finally {
      await server.stop();
    }
    if (api.lines !== traces) throw new Error(`the API export held ${api.lines} lines, expected ${traces}`);
    return { counts, seedSeconds, jsonl, csv, api };
  } finally {
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mib = (b) => fmt(b / 2 ** 20);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' / ');
let commit = 'unknown';
try {
  commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim() + (execSync('git status --porcelain', { encoding: 'utf8' }).trim() ? ' (+ uncommitted changes)' : '');
} catch { /* not a git checkout */ }
console.log('# Export benchmark');
console.log('');
console.log(`- date: ${new Date().toISOString()}; commit ${commit}`);
console.log(`- machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM, Node ${process.version}`);
console.log(`- load average at start: ${load()}`);
console.log('');
// rows = traces + observations + scores written (4 per trace here); earlier results tables called traces/s "rows/s".
console.log('| engine | traces | path | traces/s | rows/s | MB/s | peak RSS MiB | file MiB |');
console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
const results = [];
for (const engine of engines) {
  for (const traces of SIZES) {
    const r = await benchSize(engine, traces);
    results.push({ engine, traces, ...r });
    for (const [path, x] of [['CLI jsonl', r.jsonl], ['CLI csv', r.csv], ['API jsonl', r.api]]) {
      const rows = r.counts.traces + r.counts.observations + r.counts.scores;
      console.log(`| ${engine} | ${fmt(traces)} | ${path} | ${fmt(traces / x.seconds)} | ${fmt(rows / x.seconds)} | ${fmt(x.bytes / 2 ** 20 / x.seconds, 1)} | ${mib(x.maxRss)} | ${mib(x.bytes)} |`);
    }
    process.stderr.write(`  ${engine} ${traces}: seeded in ${fmt(r.seedSeconds, 1)} s (${fmt(r.counts.observations)} observations, ${fmt(r.counts.scores)} scores); load ${load()}\n`);
  }
}
console.log('');
console.log(`Load average at the end: ${load()}`);
writeFileSync(join(tmpdir(), 'export-bench.json'), JSON.stringify(results, null, 1));
