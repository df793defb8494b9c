#!/usr/bin/env node
// What rollup maintenance costs the write path: storage.ingest throughput with the built
// storage package as is, against a copy of it (bench/tmp/) whose applyEvents skips the one
// `updateRollups` call. Same workload as bench/ingest.mjs (agent-style traces, ~1 KB events,
// batches of 100); both variants run alternately, several rounds, on fresh databases, so that
// load from other processes hits both alike; medians are reported, with the CPU time of this
// Node process (all threads: SQLite commits run on a worker thread) per event, which other
// processes disturb less than wall time. PostgreSQL's own CPU is not included.
// Usage: node bench/rollup-overhead.mjs [--engine sqlite|postgres|both] [--events N] [--rounds N] [--callers N]
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchArgs } from './lib/cli.mjs';
import { createDatabase } from './lib/pg-database.mjs';
import { makeBatches, storageItems } from './lib/workload.mjs';

const { values: flags } = benchArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    events: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '5' },
    callers: { type: 'string', default: '4' },
  },
});
const engines = flags.engine === 'both' ? ['sqlite', 'postgres'] : [flags.engine];
const EVENTS = Number(flags.events);
const ROUNDS = Number(flags.rounds);
const CALLERS = Number(flags.callers);

// The copy lives inside the repository so that its imports of @sightline/core resolve as usual.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const copy = join(root, 'bench', 'tmp', 'storage-without-rollups');
rmSync(copy, { recursive: true, force: true });
cpSync(join(root, 'packages', 'storage', 'dist'), join(copy, 'dist'), { recursive: true });
writeFileSync(join(copy, 'package.json'), JSON.stringify({ type: 'module' }));
const applyFile = join(copy, 'dist', 'ingest', 'apply-events.js');
const hook = '    await updateRollups(tx, dialect, changed, current, traceLatencies);\n';
const source = readFileSync(applyFile, 'utf8');
if (!source.includes(hook)) throw new Error(`${applyFile}: the updateRollups call was not found; rebuild (npm run build) and check the hook`);
writeFileSync(applyFile, source.replace(hook, ''));

const variants = {
  'with rollups': await import(pathToFileURL(join(root, 'packages', 'storage', 'dist', 'index.js')).href),
  'without rollups': await import(pathToFileURL(join(copy, 'dist', 'index.js')).href),
};

let run = 0;
function items() {
  return storageItems(makeBatches(`r${run++}`, EVENTS, 100));
}

async function once(engine, openStorage) {
  const dir = mkdtempSync(join(tmpdir(), 'sl-rollup-'));
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
console.log(`# Rollup maintenance on the write path`);
console.log('');
console.log(`- machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; load average at start ${loadavg().map((l) => l.toFixed(2)).join(' / ')}`);
console.log(`- storage.ingest, ${CALLERS} concurrent callers, ${EVENTS.toLocaleString('en-US')} events per run in batches of 100, ${ROUNDS} alternating rounds per variant`);
console.log('');
console.log('| engine | with rollups (events/s, median) | without rollups | throughput cost | Node CPU µs/event with / without | runs with / without (events/s) |');
console.log('|---|---:|---:|---:|---:|---|');
for (const engine of engines) {
  const rates = { 'with rollups': [], 'without rollups': [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, mod] of Object.entries(variants)) rates[name].push(await once(engine, mod.openStorage));
  }
  const rate = (name) => median(rates[name].map((r) => r.rate));
  const cpu = (name) => median(rates[name].map((r) => r.cpuPerEvent));
  const runs = (name) => rates[name].map((r) => fmt(r.rate)).join(', ');
  const w = rate('with rollups');
  const wo = rate('without rollups');
  console.log(`| ${engine} | ${fmt(w)} | ${fmt(wo)} | ${((1 - w / wo) * 100).toFixed(1)}% | ${cpu('with rollups').toFixed(1)} / ${cpu('without rollups').toFixed(1)} | ${runs('with rollups')} / ${runs('without rollups')} |`);
}
console.log('');
console.log(`Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' / ')}`);
rmSync(copy, { recursive: true, force: true });
