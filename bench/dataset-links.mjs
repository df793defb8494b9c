#!/usr/bin/env node
// Dataset run-item benchmark (issue 14 point 6, first half): linking 10,000 run items through
// POST /api/public/dataset-run-items, as experiment runners do (one request per item, N clients
// at once, all into one run whose name the first request creates), then reading the run back
// with GET /api/public/datasets/{name}/runs/{run} (all its run items in one answer).
// A dataset of --items items is created first; run item k links item k mod --items. Every link
// must answer 200 and the read must return exactly --links run items, or the run fails.
// Reports links/s, p50/p99 per link, the server's CPU time per link (/proc/<pid>/stat) and the
// read's time. Then the run comparison (bench/lib/dataset-compare.mjs): --compare-runs runs of
// --compare-items items each, the comparison view's data route opened --opens times (after one
// warm-up), median and slowest reported.
// Usage: node bench/dataset-links.mjs [--engine sqlite|postgres|both] [--links N] [--items N] [--clients N]
//        [--compare-runs N] [--compare-items N] [--opens N]
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchArgs } from './lib/cli.mjs';
import { createDatabase } from './lib/pg-database.mjs';
import { seedComparison, UI_ENV } from './lib/dataset-compare.mjs';
import { AUTH, startServer } from './lib/server-process.mjs';

const { values: flags } = benchArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    links: { type: 'string', default: '10000' },
    items: { type: 'string', default: '1000' },
    clients: { type: 'string', default: '16' },
    'compare-runs': { type: 'string', default: '3' },
    'compare-items': { type: 'string', default: '1000' },
    opens: { type: 'string', default: '10' },
  },
});
const opts = {
  links: Number(flags.links), items: Number(flags.items), clients: Number(flags.clients),
  compareRuns: Number(flags['compare-runs']), compareItems: Number(flags['compare-items']), opens: Number(flags.opens),
};
const engines = flags.engine === 'both' ? ['sqlite', 'postgres'] : [flags.engine];
if (!engines.every((e) => e === 'sqlite' || e === 'postgres')) throw new Error(`--engine: expected sqlite, postgres or both; got ${flags.engine}`);
for (const k of ['links', 'items', 'clients', 'compareRuns', 'compareItems', 'opens']) if (!Number.isInteger(opts[k]) || opts[k] < 1) throw new Error(`--${k}: expected a positive integer`);

const CLK_TCK = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

const DATASET = 'bench/capitals';
const RUN = 'bench run/1';

async function call(url, method, path, body) {
  const res = await fetch(`${url}${path}`, { method, headers: { authorization: AUTH, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text;
}

async function benchEngine(engine) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sl-bench-datasets-'));
  const db = engine === 'postgres' ? await createDatabase() : null;
  let server;
  try {
    server = await startServer({ dataDir, databaseUrl: db?.url, env: UI_ENV });
    const url = server.url;
    await call(url, 'POST', '/api/public/v2/datasets', { name: DATASET });
    for (let i = 0; i < opts.items; i++) {
      await call(url, 'POST', '/api/public/dataset-items', { datasetName: DATASET, id: `item-${i}`, input: { question: `q${i}`, context: 'x'.repeat(200) }, expectedOutput: `a${i}` });
    }
    const latencies = [];
    let next = 0;
    const client = async () => {
      while (next < opts.links) {
        const k = next++;
        const t0 = performance.now();
        await call(url, 'POST', '/api/public/dataset-run-items', { runName: RUN, runDescription: 'bench', metadata: { model: 'm' }, datasetItemId: `item-${k % opts.items}`, traceId: `trace-${k}`, observationId: `obs-${k}` });
        latencies.push(performance.now() - t0);
      }
    };
    const cpu0 = cpuSeconds(server.child.pid);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: opts.clients }, client));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(server.child.pid) - cpu0;

    const r0 = performance.now();
    const run = JSON.parse(await call(url, 'GET', `/api/public/datasets/${encodeURIComponent(DATASET)}/runs/${encodeURIComponent(RUN)}`));
    const readMs = performance.now() - r0;
    if (run.datasetRunItems.length !== opts.links) throw new Error(`read ${run.datasetRunItems.length} run items, expected ${opts.links}`);
    const sorted = latencies.sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];

    const openComparison = await seedComparison(url, { items: opts.compareItems, runs: opts.compareRuns });
    await openComparison();
    const opens = [];
    const openCpu0 = cpuSeconds(server.child.pid);
    for (let i = 0; i < opts.opens; i++) opens.push(await openComparison());
    const cpuMs = ((cpuSeconds(server.child.pid) - openCpu0) / opts.opens) * 1000;
    const times = opens.map((o) => o.ms).sort((a, b) => a - b);
    const compare = { medianMs: times[Math.floor((times.length - 1) / 2)], maxMs: times[times.length - 1], cpuMs, kib: opens[0].bytes / 1024 };
    return { engine, seconds, rate: opts.links / seconds, p50: at(0.5), p99: at(0.99), cpuUs: (cpu / opts.links) * 1e6, readMs, compare };
  } catch (err) {
    if (server) console.error(server.output());
    throw err;
  } finally {
    await server?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const fmt = (n, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const load3 = () => loadavg().map((l) => l.toFixed(2)).join(' ');
let commit = '?';
try {
  commit = execSync('git rev-parse --short HEAD', { cwd: new URL('..', import.meta.url) }).toString().trim();
  if (execSync('git status --porcelain -- packages', { cwd: new URL('..', import.meta.url) }).toString().trim()) commit += ' (+ uncommitted changes under packages/)';
} catch {
  // not a git checkout
}

console.log(`# Dataset run-item benchmark — ${new Date().toString()}`);
console.log(`machine: ${availableParallelism()} × ${cpus()[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 2 ** 30, 1)} GiB, Node ${process.version}; code ${commit}; load average at start ${load3()}`);
console.log(`${fmt(opts.links)} links into one run over a dataset of ${fmt(opts.items)} items, ${opts.clients} concurrent clients`);
const results = [];
for (const engine of engines) results.push(await benchEngine(engine));
console.log('\n| engine | links | total s | links/s | p50 ms | p99 ms | server CPU µs/link | read the run (all items) ms |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  console.log(`| ${r.engine} | ${fmt(opts.links)} | ${fmt(r.seconds, 2)} | ${fmt(r.rate)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.cpuUs)} | ${fmt(r.readMs, 1)} |`);
}
console.log(`\nRun comparison: ${opts.compareRuns} runs × ${fmt(opts.compareItems)} items (one generation and two scores per run item), the data route opened ${opts.opens} times after a warm-up`);
console.log('\n| engine | runs × items | median ms | slowest ms | server CPU ms/open | response KiB (uncompressed) |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of results) console.log(`| ${r.engine} | ${opts.compareRuns} × ${fmt(opts.compareItems)} | ${fmt(r.compare.medianMs, 1)} | ${fmt(r.compare.maxMs, 1)} | ${fmt(r.compare.cpuMs)} | ${fmt(r.compare.kib)} |`);
console.log(`load average at end ${load3()}`);
