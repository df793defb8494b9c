#!/usr/bin/env node
// storage.ingest throughput of two builds side by side: this checkout's storage package and
// that of --baseline (another built checkout with its own node_modules), on fresh databases,
// taking turns (A B, then B A, …) so that load from other processes falls on both alike.
// Workload of bench/rollup-overhead.mjs (lib/workload.mjs: agent-style traces, ~1 KB events,
// batches of 100, 4 concurrent callers). Reports medians, the spread, and Node's CPU per event
// (all threads; PostgreSQL's own CPU is not included).
// Usage: node bench/ingest-builds.mjs --baseline /path/to/checkout [--engine sqlite|postgres|both] [--events N] [--rounds N]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchArgs } from './lib/cli.mjs';
import { createDatabase } from './lib/pg-database.mjs';
import { makeBatches, storageItems } from './lib/workload.mjs';

const { values: flags } = benchArgs({
  options: {
    baseline: { type: 'string' },
    engine: { type: 'string', default: 'both' },
    events: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '5' },
    callers: { type: 'string', default: '4' },
  },
});
if (!flags.baseline) throw new Error('--baseline: the root of a built checkout to compare with');
const engines = flags.engine === 'both' ? ['sqlite', 'postgres'] : [flags.engine];
const EVENTS = Number(flags.events);
const ROUNDS = Number(flags.rounds);
const CALLERS = Number(flags.callers);
const storageOf = (root) => import(pathToFileURL(join(resolve(root), 'packages', 'storage', 'dist', 'index.js')).href);
const variants = { before: await storageOf(flags.baseline), after: await storageOf('.') };

let run = 0;
function items() {
  return storageItems(makeBatches(`r${run++}`, EVENTS, 100));
}

async function once(engine, openStorage) {
  const dir = mkdtempSync(join(tmpdir(), 'sl-ingest-builds-'));
  const pg = engine === 'postgres' ? await createDatabase() : null;
  const storage = await openStorage(pg ? { databaseUrl: pg.url } : { sqliteFile: join(dir, 'sightline.db') });
  try {
    for (const item of items().slice(0, 10)) await storage.ingest([item]);
    const work = items();
    let next = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await Promise.all(Array.from({ length: CALLERS }, async () => {
      while (next < work.length) await storage.ingest([work[next++]]);
    }));
    const cpu = process.cpuUsage(cpu0);
    return { rate: EVENTS / ((performance.now() - t0) / 1000), cpuPerEvent: (cpu.user + cpu.system) / EVENTS };
  } finally {
    await storage.close();
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const load = () => loadavg().map((l) => l.toFixed(2)).join(' / ');
console.log(`- storage.ingest, ${CALLERS} callers, ${EVENTS.toLocaleString('en-US')} events per run, ${ROUNDS} rounds per build taking turns; baseline ${flags.baseline}; load average at start ${load()}`);
console.log('');
console.log('| engine | before (events/s, median) | after | throughput cost | Node CPU µs/event before / after | runs before / after (events/s) |');
console.log('|---|---:|---:|---:|---:|---|');
for (const engine of engines) {
  const rates = { before: [], after: [] };
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
    for (const name of order) rates[name].push(await once(engine, variants[name].openStorage));
  }
  const rate = (name) => median(rates[name].map((r) => r.rate));
  const cpu = (name) => median(rates[name].map((r) => r.cpuPerEvent));
  const runs = (name) => rates[name].map((r) => fmt(r.rate)).join(', ');
  console.log(`| ${engine} | ${fmt(rate('before'))} | ${fmt(rate('after'))} | ${((1 - rate('after') / rate('before')) * 100).toFixed(1)}% | ${cpu('before').toFixed(1)} / ${cpu('after').toFixed(1)} | ${runs('before')} / ${runs('after')} |`);
}
console.log('');
console.log(`Load average at the end: ${load()}`);
