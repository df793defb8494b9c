#!/usr/bin/env node
// What an out-of-order event costs (issue 11, point 9). Project A builds one trace from N
// trace-create events (default 40,000, in batches of 500), then sends one-event requests whose
// envelope timestamp sorts before all of them, back to back. Meanwhile project B sends one-event
// requests (a new trace each) one after the other; we report B's commit latency without and with
// A's old-timestamp requests running, and A's own latency. Storage level (storage.ingest), built
// packages (run `npx tsc -b` first).
// Usage: node bench/replay.mjs [--engine sqlite|postgres|both] [--events N] [--seconds S]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchArgs } from './lib/cli.mjs';
import { toEntityEvent, validateEvent } from '../packages/core/dist/index.js';
import { openStorage } from '../packages/storage/dist/index.js';
import { createDatabase } from './lib/pg-database.mjs';

const { values: flags } = benchArgs({
  options: { engine: { type: 'string', default: 'both' }, events: { type: 'string', default: '40000' }, seconds: { type: 'string', default: '5' } },
});
const engines = flags.engine === 'both' ? ['sqlite', 'postgres'] : [flags.engine];
const EVENTS = Number(flags.events);
const SECONDS = Number(flags.seconds);
const T0 = Date.UTC(2025, 0, 1);

let n = 0;
function item(projectId, raws) {
  const out = { projectId, events: [], raw: [] };
  for (const raw of raws) {
    out.events.push(toEntityEvent(validateEvent(raw).event));
    out.raw.push(JSON.stringify(raw));
  }
  return out;
}
const traceEvent = (id, at, body = {}) => ({ id: `ev-${n++}`, type: 'trace-create', timestamp: new Date(at).toISOString(), body: { id, ...body } });

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const fmt = (xs) => `median ${pct(xs, 0.5).toFixed(1)} ms, p95 ${pct(xs, 0.95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (${xs.length} requests)`;

/** Project B, one event per request, for SECONDS; its latencies. */
async function victim(storage, stop) {
  const lat = [];
  while (!stop()) {
    const t = performance.now();
    await storage.ingest([item('project-b', [traceEvent(`b-${n}`, Date.now(), { name: 'victim', metadata: { k: 1 } })])]);
    lat.push(performance.now() - t);
  }
  return lat;
}

async function run(engine) {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-replay-'));
  const pg = engine === 'postgres' ? await createDatabase() : null;
  const storage = await openStorage(pg ? { databaseUrl: pg.url } : { sqliteFile: join(dir, 'sightline.db') });
  try {
    for (let i = 0; i < EVENTS; i += 500) {
      const batch = Array.from({ length: Math.min(500, EVENTS - i) }, (_, j) =>
        traceEvent('big', T0 + 1000 * (i + j), { name: `step ${i + j}`, metadata: { step: i + j, [`k${(i + j) % 50}`]: 'v' }, tags: [`t${(i + j) % 20}`] }));
      await storage.ingest([item('project-a', batch)]);
    }
    const until = (ms) => { const end = Date.now() + ms; return () => Date.now() > end; };
    const baseline = await victim(storage, until(SECONDS * 1000));
    const stop = until(SECONDS * 1000);
    const attacker = [];
    const attack = (async () => {
      for (let k = 1; !stop(); k++) {
        const t = performance.now();
        await storage.ingest([item('project-a', [traceEvent('big', T0 - k, { release: `old-${k}` })])]);
        attacker.push(performance.now() - t);
      }
    })();
    const underAttack = await victim(storage, stop);
    await attack;
    const big = await storage.traces.get('project-a', 'big');
    if (!big || big.timestamp !== T0 - attacker.length) throw new Error('the old events were not merged as the earliest');
    console.log(`${engine}: trace of ${EVENTS} events`);
    console.log(`  project B alone:            ${fmt(baseline)}`);
    console.log(`  project B under old events: ${fmt(underAttack)}`);
    console.log(`  project A old-event request: ${fmt(attacker)}`);
  } finally {
    await storage.close();
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
for (const engine of engines) await run(engine);
