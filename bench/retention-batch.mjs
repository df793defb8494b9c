#!/usr/bin/env node
// Retention deletion alone, in process: how fast `storage.retention.deleteExpired` removes expired
// traces (a trace, a generation, a span and a score each, in 50 sessions and 20 users, as
// bench/retention.mjs seeds them), batch after batch, with no server and no ingestion beside it.
// With --compare <dir of another build of packages/storage/dist>, each engine runs both builds on
// identically seeded fresh databases, alternating (compare, current, compare, current …), so a
// before/after pair shares one run and its load.
// Usage: node bench/retention-batch.mjs [--engine sqlite|postgres|both] [--traces N] [--batch N] [--rounds N] [--compare DIR]
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchArgs } from './lib/cli.mjs';
import { toEntityEvent, validateEvent } from '../packages/core/dist/index.js';
import { createDatabase } from './lib/pg-database.mjs';

const { values: flags } = benchArgs({
  options: {
    engine: { type: 'string', default: 'postgres' },
    traces: { type: 'string', default: '5000' },
    batch: { type: 'string', default: '500' },
    rounds: { type: 'string', default: '2' },
    compare: { type: 'string' },
  },
});
const opts = { traces: Number(flags.traces), batch: Number(flags.batch), rounds: Number(flags.rounds) };
for (const k of ['traces', 'batch', 'rounds']) if (!Number.isInteger(opts[k]) || opts[k] < 1) throw new Error(`--${k}: expected a positive integer`);
const engines = flags.engine === 'both' ? ['sqlite', 'postgres'] : [flags.engine];
if (!engines.every((e) => e === 'sqlite' || e === 'postgres')) throw new Error(`--engine: expected sqlite, postgres or both; got ${flags.engine}`);

const builds = [];
if (flags.compare) builds.push({ name: `compare (${flags.compare})`, module: await import(pathToFileURL(join(resolve(flags.compare), 'index.js')).href) });
builds.push({ name: 'current', module: await import('../packages/storage/dist/index.js') });

const DAY = 86_400_000;
const iso = (ms) => new Date(ms).toISOString();

/** Trace k as one ingest item's events (validated as the endpoint validates them). */
function traceEvents(k, at) {
  const id = `old-${k}`;
  const raw = (type, body) => ({ id: `e-${id}-${type}`, type, timestamp: iso(at), body });
  return [
    raw('trace-create', { id, name: 'chat', sessionId: `s-${k % 50}`, userId: `u-${k % 20}`, timestamp: iso(at) }),
    raw('generation-create', { id: `${id}-g`, traceId: id, name: 'llm', model: 'gpt-4o', startTime: iso(at), endTime: iso(at + 800), usageDetails: { input: 100, output: 20 } }),
    raw('span-create', { id: `${id}-s`, traceId: id, name: 'tool', startTime: iso(at), endTime: iso(at + 30) }),
    raw('score-create', { id: `${id}-q`, traceId: id, name: 'quality', value: 1, timestamp: iso(at) }),
  ];
}

function ingestItem(projectId, raws) {
  const events = raws.map((r) => {
    const v = validateEvent(r);
    if (!v.ok) throw new Error(v.error);
    return toEntityEvent(v.event);
  });
  return { projectId, events, raw: raws.map((r) => JSON.stringify(r)) };
}

/** Seeds a fresh database through `build`, then deletes batch after batch; traces/s of the deletion. */
async function runOnce(engine, build) {
  const dir = mkdtempSync(join(tmpdir(), 'sl-retention-batch-'));
  const pg = engine === 'postgres' ? await createDatabase() : null;
  const storage = await build.module.openStorage(pg ? { databaseUrl: pg.url } : { sqliteFile: join(dir, 'bench.db') });
  try {
    const projectId = 'bench';
    await storage.projects.create({ id: projectId, name: 'bench', createdAt: Date.now() });
    const at = Date.now() - 40 * DAY;
    for (let k = 0; k < opts.traces; k += 200) {
      const raws = [];
      for (let j = k; j < Math.min(k + 200, opts.traces); j++) raws.push(...traceEvents(j, at + j));
      await storage.ingest([ingestItem(projectId, raws)]);
    }
    const cutoff = Date.now() - 30 * DAY;
    const batchMs = [];
    let deleted = 0;
    const t0 = performance.now();
    for (;;) {
      const b0 = performance.now();
      const { traceIds } = await storage.retention.deleteExpired(projectId, cutoff, opts.batch);
      if (traceIds.length === 0) break;
      batchMs.push(performance.now() - b0);
      deleted += traceIds.length;
    }
    const seconds = (performance.now() - t0) / 1000;
    if (deleted !== opts.traces) throw new Error(`deleted ${deleted} traces, expected ${opts.traces}`);
    batchMs.sort((a, b) => a - b);
    return { rate: deleted / seconds, medianBatchMs: batchMs[Math.floor(batchMs.length / 2)] };
  } finally {
    await storage.close();
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' / ');
let commit = 'unknown';
try {
  commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
} catch { /* not a git checkout */ }
console.log(`# Retention deletion in process — ${new Date().toISOString()}, commit ${commit}, load at start ${load()}`);
console.log(`${opts.traces} expired traces (4 rows each, 50 sessions, 20 users), batches of ${opts.batch}, ${opts.rounds} round(s) per build`);
console.log('');
console.log('| engine | build | round | traces/s | median batch ms | load (1 min) |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
for (const engine of engines) {
  for (let round = 1; round <= opts.rounds; round++) {
    for (const build of builds) {
      const r = await runOnce(engine, build);
      console.log(`| ${engine} | ${build.name} | ${round} | ${Math.round(r.rate).toLocaleString('en-US')} | ${Math.round(r.medianBatchMs)} | ${loadavg()[0].toFixed(2)} |`);
    }
  }
}
console.log('');
console.log(`Load at the end: ${load()}`);
