#!/usr/bin/env node
// Retention benchmark (issue 15 point 4): how fast the background sweeper deletes expired traces
// (each with a generation, a span and a score), and what it costs concurrent ingestion.
// Per engine, on a fresh `sightline serve` (SIGHTLINE_RETENTION_INTERVAL_MS=1000):
//   1. seeds --traces traces stamped 40 days ago (not timed);
//   2. ingestion alone: --clients clients post batches of 50 recent traces for --seconds;
//   3. sets the project's retention to 30 days (`sightline projects retention`) and ingests as
//      in 2 while the sweeper deletes the expired traces: ingestion rate and deletion rate;
//   4. turns retention off, seeds again, turns it on: deletion rate with no ingestion.
// Deletion is watched through GET /api/public/traces?toTimestamp=… (its totalItems) every 200 ms.
// Usage: node bench/retention.mjs [--engine sqlite|postgres|both] [--traces N] [--clients N] [--seconds S]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchArgs } from './lib/cli.mjs';
import { runCli } from '../test/support/cli-process.mjs';
import { createDatabase } from './lib/pg-database.mjs';
import { AUTH, startServer } from './lib/server-process.mjs';

const { values: flags } = benchArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    traces: { type: 'string', default: '10000' },
    clients: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '8' },
  },
});
const opts = { traces: Number(flags.traces), clients: Number(flags.clients), seconds: Number(flags.seconds) };
const engines = flags.engine === 'both' ? ['sqlite', 'postgres'] : [flags.engine];
if (!engines.every((e) => e === 'sqlite' || e === 'postgres')) throw new Error(`--engine: expected sqlite, postgres or both; got ${flags.engine}`);
for (const k of ['traces', 'clients', 'seconds']) if (!Number.isInteger(opts[k]) || opts[k] < 1) throw new Error(`--${k}: expected a positive integer`);

const DAY = 86_400_000;
const BATCH = 50;
const iso = (ms) => new Date(ms).toISOString();
let seq = 0;

/** One trace with a generation, a span and a score: 4 events. */
function traceEvents(prefix, at) {
  const id = `${prefix}-${++seq}`;
  const ev = (type, body) => ({ id: `e-${id}-${type}`, type, timestamp: iso(at), body });
  return [
    ev('trace-create', { id, name: 'chat', sessionId: `s-${seq % 50}`, userId: `u-${seq % 20}`, timestamp: iso(at) }),
    ev('generation-create', { id: `${id}-g`, traceId: id, name: 'llm', model: 'gpt-4o', startTime: iso(at), endTime: iso(at + 800), usageDetails: { input: 100, output: 20 } }),
    ev('span-create', { id: `${id}-s`, traceId: id, name: 'tool', startTime: iso(at), endTime: iso(at + 30) }),
    ev('score-create', { id: `${id}-q`, traceId: id, name: 'quality', value: 1, timestamp: iso(at) }),
  ];
}

async function post(url, batch) {
  const res = await fetch(`${url}/api/public/ingestion`, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
  const body = await res.json();
  if (res.status !== 207 || body.errors.length > 0) throw new Error(`ingestion: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
}

async function seedExpired(url, n) {
  const at = Date.now() - 40 * DAY;
  for (let done = 0; done < n; ) {
    const k = Math.min(BATCH * 4, n - done);
    await post(url, Array.from({ length: k }, (_, i) => traceEvents('old', at + done + i)).flat());
    done += k;
  }
}

async function expiredCount(url) {
  const res = await fetch(`${url}/api/public/traces?limit=1&toTimestamp=${iso(Date.now() - 35 * DAY)}`, { headers: { authorization: AUTH } });
  return (await res.json()).meta.totalItems;
}

/** Clients posting recent traces until `until()` is true; traces/s. */
async function ingestWhile(url, until) {
  let traces = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: opts.clients }, async () => {
    while (!until()) {
      await post(url, Array.from({ length: BATCH }, () => traceEvents('new', Date.now())).flat());
      traces += BATCH;
    }
  }));
  return traces / ((performance.now() - t0) / 1000);
}

/** Waits until no expired trace is left; traces/s from the first one gone to the last. */
async function watchDeletion(url, total) {
  let first = null;
  for (;;) {
    const left = await expiredCount(url);
    if (left < total && first === null) first = { t: performance.now(), left };
    if (left === 0) return first ? (first.left / ((performance.now() - first.t) / 1000)) : Infinity;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function benchEngine(engine) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sl-bench-retention-'));
  const db = engine === 'postgres' ? await createDatabase() : null;
  const cliEnv = { SIGHTLINE_DATA_DIR: dataDir, DATABASE_URL: db?.url };
  let server;
  try {
    server = await startServer({ dataDir, databaseUrl: db?.url, env: { SIGHTLINE_RETENTION_INTERVAL_MS: '1000' } });
    const url = server.url;
    const project = (await runCli(['projects', 'list'], cliEnv)).stdout.split('\t')[0];
    const retention = async (value) => {
      const res = await runCli(['projects', 'retention', project, value], cliEnv);
      if (res.code !== 0) throw new Error(res.stderr);
    };
    await seedExpired(url, opts.traces);
    const deadline = (s) => { const end = performance.now() + s * 1000; return () => performance.now() >= end; };
    const alone = await ingestWhile(url, deadline(opts.seconds));

    await retention('30');
    let swept = false;
    const [during, deletionWithIngestion] = await Promise.all([
      ingestWhile(url, () => swept),
      watchDeletion(url, opts.traces).finally(() => { swept = true; }),
    ]);

    await retention('off');
    await seedExpired(url, opts.traces);
    await retention('30');
    const deletionAlone = await watchDeletion(url, opts.traces);
    return { engine, alone, during, deletionWithIngestion, deletionAlone };
  } finally {
    if (server) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const load = loadavg()[0].toFixed(2);
console.log(`retention bench: ${opts.traces} expired traces (4 events each), ${opts.clients} ingestion clients × batches of ${BATCH} traces; load ${load}`);
console.log('| engine | ingestion alone traces/s | ingestion while sweeping traces/s | ratio | deletion while ingesting traces/s | deletion alone traces/s |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const engine of engines) {
  const r = await benchEngine(engine);
  const f = (x) => Math.round(x).toLocaleString('en-US');
  console.log(`| ${engine} | ${f(r.alone)} | ${f(r.during)} | ${(r.during / r.alone).toFixed(2)} | ${f(r.deletionWithIngestion)} | ${f(r.deletionAlone)} |`);
}
console.log(`load average at the end: ${loadavg()[0].toFixed(2)}`);
