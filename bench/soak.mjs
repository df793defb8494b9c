#!/usr/bin/env node
// Soak benchmark: sustained ingestion plus reads against the built server for a long time
// (default 10 minutes), recording throughput, latency percentiles and the server's memory
// over time, then judging whether memory stays flat after warm-up.
//
//   - the server is `sightline serve` as a child process, started with
//     lib/heap-probe.mjs preloaded, which logs heap usage right after a full GC;
//   - `--clients` writers POST batches of the agent-style workload (lib/workload.mjs) paced to
//     `--rate` events/s in total (0 = as fast as they can); every answer must be a 207 without
//     errors, anything else is counted by status;
//   - `--readers` readers cycle through trace lists, single traces, observation lists (v1 and
//     v2), sessions and user filters on recently written ids, paced to `--read-rate` requests/s;
//   - every `--sample` seconds: VmRSS/VmHWM from /proc/<pid>/status, the database size and
//     the window's throughput and latency percentiles.
//
// Usage: npm run bench:soak -- [--engine sqlite|postgres] [--duration 600] [--rate 1000]
//        [--clients 4] [--batch 100] [--readers 2] [--read-rate 20] [--sample 15] [--warmup 120] [--out file.json]
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './lib/cli.mjs';
import { createDatabase } from './lib/pg-database.mjs';
import { AUTH, startServer } from './lib/server-process.mjs';
import { judgeFlat, percentile } from './lib/soak-stats.mjs';
import { traceEvents } from './lib/workload.mjs';

const { values: flags } = benchArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    duration: { type: 'string', default: '600' },
    rate: { type: 'string', default: '1000' },
    clients: { type: 'string', default: '4' },
    batch: { type: 'string', default: '100' },
    readers: { type: 'string', default: '2' },
    'read-rate': { type: 'string', default: '20' },
    sample: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '120' },
    out: { type: 'string' },
  },
});
const engine = flags.engine;
if (engine !== 'sqlite' && engine !== 'postgres') throw new Error(`--engine: expected sqlite or postgres; got ${engine}`);
const opt = {};
for (const k of ['duration', 'rate', 'clients', 'batch', 'readers', 'read-rate', 'sample', 'warmup']) {
  opt[k] = Number(flags[k]);
  if (!Number.isFinite(opt[k]) || opt[k] < 0) throw new Error(`--${k}: expected a non-negative number; got ${flags[k]}`);
}
if (opt.clients < 1 || opt.batch < 1 || opt.sample < 1) throw new Error('--clients, --batch and --sample must be at least 1');

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–');
const mb = (bytes) => fmt(bytes / 2 ** 20, 1);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const load = () => loadavg().map((n) => n.toFixed(2)).join(' / ');

// ---- server --------------------------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'sl-soak-'));
const heapFile = join(work, 'heap.jsonl');
const probe = fileURLToPath(new URL('./lib/heap-probe.mjs', import.meta.url));
const db = engine === 'postgres' ? await createDatabase() : null;

const startSoakServer = () =>
  startServer({
    dataDir: join(work, 'data'),
    databaseUrl: db?.url,
    nodeArgs: ['--import', probe],
    env: { SOAK_HEAP_FILE: heapFile, SOAK_HEAP_INTERVAL_MS: String(opt.sample * 1000) },
  });

function procStatus(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

function dirSize(dir) {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const name of readdirSync(dir)) {
    const s = statSync(join(dir, name));
    total += s.isDirectory() ? dirSize(join(dir, name)) : s.size;
  }
  return total;
}

async function databaseBytes() {
  if (!db) return dirSize(join(work, 'data'));
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return Number((await client.query('SELECT pg_database_size(current_database()) AS n')).rows[0].n);
  } finally {
    await client.end();
  }
}

// ---- load ----------------------------------------------------------------------------------

const server = await startSoakServer();
const prefix = `soak${Date.now().toString(36)}`;
const t0 = Date.now() - 3_600_000;
const started = performance.now();
const deadline = started + opt.duration * 1000;
let stopping = false;

/** Everything measured in the current sample window; swapped out at each sample. */
const fresh = () => ({ ingestLat: [], readLat: [], events: 0, requests: 0, reads: 0, bad: {} });
let win = fresh();
const all = { ingestLat: [], readLat: [], events: 0, requests: 0, reads: 0, bad: {} };
/** The first answer body seen for each kind of failure, for the report. */
const firstBad = {};
const countBad = (what, status, detail) => {
  const key = `${what} ${status}`;
  if (detail !== undefined && !(key in firstBad)) firstBad[key] = String(detail).slice(0, 300);
  win.bad[key] = (win.bad[key] ?? 0) + 1;
  all.bad[key] = (all.bad[key] ?? 0) + 1;
};

let nextTrace = 0;
/** The next `batch` events of consecutive traces; a trace may span two batches. */
let pending = [];
const traceOf = (event) => Number(/-e(\d+)-\d+$/.exec(event.id)[1]);
function nextBatch() {
  while (pending.length < opt.batch) pending.push(...traceEvents(prefix, nextTrace++, t0));
  return pending.splice(0, opt.batch);
}
/** First trace index of each batch in flight: every trace below the smallest is fully acknowledged. */
const inFlight = new Map();
let batchSeq = 0;
let ackedTraces = 0;
function settle(seq) {
  inFlight.delete(seq);
  const generated = pending.length ? traceOf(pending[0]) : nextTrace;
  ackedTraces = Math.min(generated, ...inFlight.values());
}

async function query(path) {
  return fetch(`${server.url}${path}`, { headers: { authorization: AUTH } });
}

async function writer(intervalMs) {
  let next = performance.now();
  while (!stopping && performance.now() < deadline) {
    const batch = nextBatch();
    const seq = batchSeq++;
    inFlight.set(seq, traceOf(batch[0]));
    const body = JSON.stringify({ batch });
    const t = performance.now();
    let status = 0;
    let errors = 0;
    let detail;
    try {
      const res = await fetch(`${server.url}/api/public/ingestion`, {
        method: 'POST',
        headers: { authorization: AUTH, 'content-type': 'application/json' },
        body,
      });
      status = res.status;
      const json = await res.json().catch(() => ({}));
      errors = json.errors?.length ?? 0;
      if (status !== 207 || errors) detail = JSON.stringify(errors ? json.errors[0] : json);
    } catch (err) {
      status = 0;
      detail = String(err);
    }
    const ms = performance.now() - t;
    if (status === 207 && errors === 0) {
      win.ingestLat.push(ms);
      all.ingestLat.push(ms);
      win.events += batch.length;
      all.events += batch.length;
      win.requests++;
      all.requests++;
      settle(seq);
    } else {
      // A refused batch is not retried; its traces stay incomplete and are never read.
      countBad('ingest', errors ? `207 with ${errors} errors` : status, detail);
      if (status === 0 && server.child.exitCode !== null) return;
    }
    if (intervalMs > 0) {
      next = Math.max(next + intervalMs, performance.now() - intervalMs);
      await sleep(Math.max(0, next - performance.now()));
    }
  }
}

const READS = [
  () => `/api/public/traces?limit=50&page=1`,
  (k) => `/api/public/traces/${prefix}-t${k}`,
  (k) => `/api/public/observations?traceId=${prefix}-t${k}&limit=50`,
  () => `/api/public/v2/observations?limit=50`,
  () => `/api/public/sessions?limit=20`,
  (k) => `/api/public/traces?userId=user-${k % 500}&limit=20&fields=core`,
];

async function reader(r, intervalMs) {
  let next = performance.now();
  for (let i = r; !stopping && performance.now() < deadline; i++) {
    if (ackedTraces < 10) {
      await sleep(100);
      continue;
    }
    // A recently acknowledged trace: the reads that matter most right after ingestion.
    const k = ackedTraces - 1 - (i % Math.min(ackedTraces, 1000));
    const path = READS[i % READS.length](k);
    const t = performance.now();
    let status = 0;
    try {
      const res = await query(path);
      await res.arrayBuffer();
      status = res.status;
    } catch {
      status = 0;
    }
    const ms = performance.now() - t;
    if (status === 200) {
      win.readLat.push(ms);
      all.readLat.push(ms);
      win.reads++;
      all.reads++;
    } else {
      countBad(`GET ${path.split('?')[0].replace(/\/[^/]*-t\d+$/, '/{id}')}`, status);
    }
    if (intervalMs > 0) {
      next = Math.max(next + intervalMs, performance.now() - intervalMs);
      await sleep(Math.max(0, next - performance.now()));
    }
  }
}

// ---- sampling ------------------------------------------------------------------------------

const samples = [];
let lastSampleAt = started;
async function sample() {
  const now = performance.now();
  const secs = (now - lastSampleAt) / 1000;
  lastSampleAt = now;
  const w = win;
  win = fresh();
  const mem = procStatus(server.child.pid);
  const s = {
    at: Math.round((now - started) / 1000),
    eventsPerSec: w.events / secs,
    ingestP50: percentile(w.ingestLat, 0.5),
    ingestP99: percentile(w.ingestLat, 0.99),
    readsPerSec: w.reads / secs,
    readP50: percentile(w.readLat, 0.5),
    readP99: percentile(w.readLat, 0.99),
    bad: Object.values(w.bad).reduce((a, b) => a + b, 0),
    rss: mem.rss,
    dbBytes: await databaseBytes().catch(() => NaN),
    load: loadavg()[0],
  };
  samples.push(s);
  process.stderr.write(
    `[${s.at}s] ${fmt(s.eventsPerSec)} ev/s p50 ${fmt(s.ingestP50, 1)} p99 ${fmt(s.ingestP99, 1)} ms | ` +
      `${fmt(s.readsPerSec, 1)} reads/s p99 ${fmt(s.readP99, 1)} ms | RSS ${mb(s.rss)} MB | db ${mb(s.dbBytes)} MB | bad ${s.bad} | load ${s.load.toFixed(2)}\n`,
  );
}

const loadStart = load();
const dateStart = new Date().toString();
process.stderr.write(`soak: ${engine}, ${opt.duration} s, target ${opt.rate || 'max'} events/s, ${opt.clients} writers, ${opt.readers} readers; server pid ${server.child.pid}\n`);
const perWriterMs = opt.rate > 0 ? (1000 * opt.batch * opt.clients) / opt.rate : 0;
const perReaderMs = opt['read-rate'] > 0 ? (1000 * opt.readers) / opt['read-rate'] : 0;
const loops = [
  ...Array.from({ length: opt.clients }, () => writer(perWriterMs)),
  ...Array.from({ length: opt.readers }, (_, r) => reader(r, perReaderMs)),
];
const sampler = (async () => {
  while (performance.now() < deadline && server.child.exitCode === null) {
    await sleep(Math.min(opt.sample * 1000, Math.max(0, deadline - performance.now())));
    await sample();
  }
})();
await Promise.all([...loops, sampler]);
stopping = true;
const elapsed = (performance.now() - started) / 1000;
const loadEnd = load();
const finalMem = procStatus(server.child.pid);
server.child.kill('SIGTERM');
const exit = await server.exited;

// ---- report --------------------------------------------------------------------------------

const heap = existsSync(heapFile)
  ? readFileSync(heapFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
  : [];
const startedAtMs = Date.now() - elapsed * 1000;
const warmupMs = opt.warmup * 1000;
const heapAfter = heap.filter((h) => h.t - startedAtMs >= warmupMs).map((h) => ({ t: h.t - startedAtMs, value: h.heapUsed }));
const rssAfter = samples.filter((s) => s.at * 1000 >= warmupMs).map((s) => ({ t: s.at * 1000, value: s.rss }));
const heapVerdict = judgeFlat(heapAfter, { tolerance: 0.1, floorBytes: 8 * 2 ** 20 });
const rssVerdict = judgeFlat(rssAfter, { tolerance: 0.1, floorBytes: 16 * 2 ** 20 });
const verdictText = (v) =>
  v.flat === null
    ? `not judged (${v.reason})`
    : `${v.flat ? 'flat' : 'GROWING'}: ${fmt(v.firstMb, 1)} → ${fmt(v.lastMb, 1)} MB (${v.growthMb >= 0 ? '+' : ''}${fmt(v.growthMb, 1)} MB; allowed ${fmt(v.allowedMb, 1)}), trend ${fmt(v.trendMbPer10Min, 1)} MB/10 min`;

const heapAt = (sec) => {
  let best = null;
  for (const h of heap) if (h.t - startedAtMs <= sec * 1000 + opt.sample * 500) best = h;
  return best;
};

const lines = [];
lines.push(`- Command: \`npm run bench:soak -- --engine ${engine} --duration ${opt.duration} --rate ${opt.rate} --clients ${opt.clients} --batch ${opt.batch} --readers ${opt.readers} --read-rate ${opt['read-rate']} --sample ${opt.sample} --warmup ${opt.warmup}\``);
lines.push(`- Date: ${dateStart}`);
lines.push(`- Machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM, Node ${process.version}, ${process.platform}`);
lines.push(`- Load average (1/5/15 min): ${loadStart} at the start, ${loadEnd} at the end`);
lines.push(
  `- Totals over ${fmt(elapsed)} s: ${fmt(all.events)} events in ${fmt(all.requests)} acknowledged requests (${fmt(all.events / elapsed)} events/s), ` +
    `${fmt(all.reads)} reads (${fmt(all.reads / elapsed, 1)}/s); failed or refused requests: ${Object.keys(all.bad).length ? JSON.stringify(all.bad) : 'none'}`,
);
for (const [key, body] of Object.entries(firstBad)) lines.push(`- First answer of \`${key}\`: \`${body}\``);
lines.push(
  `- Latency over the whole run: ingestion p50 ${fmt(percentile(all.ingestLat, 0.5), 1)} / p95 ${fmt(percentile(all.ingestLat, 0.95), 1)} / p99 ${fmt(percentile(all.ingestLat, 0.99), 1)} / max ${fmt(Math.max(...all.ingestLat), 1)} ms; ` +
    `reads p50 ${fmt(percentile(all.readLat, 0.5), 1)} / p95 ${fmt(percentile(all.readLat, 0.95), 1)} / p99 ${fmt(percentile(all.readLat, 0.99), 1)} / max ${fmt(Math.max(...all.readLat), 1)} ms`,
);
lines.push(`- Server memory at the end: RSS ${mb(finalMem.rss)} MB, peak RSS (VmHWM) ${mb(finalMem.hwm)} MB; exit after SIGTERM: ${JSON.stringify(exit)}`);
lines.push(`- Memory after the ${opt.warmup} s warm-up — heap after full GC: ${verdictText(heapVerdict)}; RSS: ${verdictText(rssVerdict)}`);
lines.push('');
lines.push('| t (s) | events/s | ingest p50 ms | ingest p99 ms | reads/s | read p50 ms | read p99 ms | refused | RSS MB | heap after GC MB | DB MB | load 1m |');
lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const s of samples) {
  const h = heapAt(s.at);
  lines.push(
    `| ${s.at} | ${fmt(s.eventsPerSec)} | ${fmt(s.ingestP50, 1)} | ${fmt(s.ingestP99, 1)} | ${fmt(s.readsPerSec, 1)} | ${fmt(s.readP50, 1)} | ${fmt(s.readP99, 1)} | ${s.bad} | ${mb(s.rss)} | ${h ? mb(h.heapUsed) : '–'} | ${mb(s.dbBytes)} | ${s.load.toFixed(2)} |`,
  );
}
const report = lines.join('\n');
console.log(report);
if (flags.out) writeFileSync(flags.out, JSON.stringify({ opt, engine, all: { ...all, ingestLat: undefined, readLat: undefined }, samples, heap, heapVerdict, rssVerdict }, null, 2));
if (exit.code !== 0 || Object.keys(all.bad).length > 0) console.error(`\nserver output (tail):\n${server.output().slice(-3000)}`);

rmSync(work, { recursive: true, force: true });
if (db) await db.drop();
const failed = Object.keys(all.bad).length > 0 || exit.code !== 0 || heapVerdict.flat === false || rssVerdict.flat === false;
process.exit(failed ? 1 : 0);
