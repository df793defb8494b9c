#!/usr/bin/env node
// What keeping trace_score_means and the traces_environment index (migration 24) costs ingestion:
// storage.ingest throughput of two builds of the storage package side by side, on fresh
// databases, variants taking turns (A B, then B A, …). The workload is the reads benchmark's
// project (bench/lib/reads-data.mjs: nested observations, generations, scores on 30 % + 10 % of
// traces), its events in batches of 100 in trace order, 4 concurrent callers.
//   node bench/score-means-ingest.mjs --variant before=bench/.before/storage/dist/index.js
//       --variant after=packages/storage/dist/index.js [--engine sqlite|postgres] [--traces 3000] [--rounds 4]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchArgs } from './lib/cli.mjs';
import { toEntityEvent, validateEvent } from '../packages/core/dist/index.js';
import { createDatabase } from './lib/pg-database.mjs';
import { createReadsWorkload } from './lib/reads-data.mjs';

const { values: flags } = benchArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    traces: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '4' },
    callers: { type: 'string', default: '4' },
    variant: { type: 'string', multiple: true, default: [] },
  },
});
const TRACES = Number(flags.traces);
const variants = [];
for (const v of flags.variant) {
  const [name, path] = v.split('=');
  variants.push({ name, mod: await import(pathToFileURL(resolve(path)).href), rates: [] });
}

const workload = createReadsWorkload({ traces: TRACES, now: Date.now() });
const raws = [];
for (let k = 0; k < TRACES; k++) raws.push(...workload.traceEvents(k).events);
const items = [];
for (let i = 0; i < raws.length; i += 100) {
  const item = { projectId: 'bench-project', events: [], raw: [] };
  for (const raw of raws.slice(i, i + 100)) {
    const entity = toEntityEvent(validateEvent(raw).event);
    if (entity) {
      item.events.push(entity);
      item.raw.push(JSON.stringify(raw));
    }
  }
  items.push(item);
}
const scores = raws.filter((r) => r.type === 'score-create').length;

async function once(v) {
  const dir = mkdtempSync(join(tmpdir(), 'sl-scoremeans-'));
  const pgdb = flags.engine === 'postgres' ? await createDatabase() : null;
  const storage = await v.mod.openStorage(pgdb ? { databaseUrl: pgdb.url } : { sqliteFile: join(dir, 'sightline.db') });
  try {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: Number(flags.callers) }, async () => {
      while (next < items.length) await storage.ingest([items[next++]]);
    }));
    return raws.length / ((performance.now() - t0) / 1000);
  } finally {
    await storage.close();
    await pgdb?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`# ${flags.engine}: ${TRACES} traces, ${raws.length} events (${scores} scores), ${items.length} batches; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (let round = 0; round < Number(flags.rounds); round++) {
  const order = round % 2 === 0 ? variants : [...variants].reverse();
  for (const v of order) v.rates.push(await once(v));
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
for (const v of variants) console.log(`- ${v.name}: median ${Math.round(median(v.rates))} events/s; runs ${v.rates.map(Math.round).join(', ')}`);
const [a, b] = variants;
if (a && b) console.log(`- ${b.name} against ${a.name}: ${(((median(b.rates) - median(a.rates)) / median(a.rates)) * 100).toFixed(1)} % throughput`);
console.log(`load average at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
