#!/usr/bin/env node
// Startup benchmark: wall time from spawning `sightline serve` (SQLite, fresh or existing data
// folder) until GET /api/public/ready answers 200, and the CLI's own "ready in" figure.
// Usage: npm run bench:startup -- [--runs N]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchArgs } from './lib/cli.mjs';
import { startServer } from './lib/server-process.mjs';

const { values } = benchArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);

async function once(dataDir) {
  const t0 = performance.now();
  const server = await startServer({ dataDir });
  const wall = performance.now() - t0;
  const own = Number(/ready in (\d+) ms/.exec(server.output())?.[1] ?? NaN);
  await server.stop();
  return { wall, own };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const kind of ['fresh data folder (creates schema, project, key)', 'existing data folder']) {
  const walls = [];
  const owns = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'sl-startup-'));
    if (kind.startsWith('existing')) await once(dir);
    const r = await once(dir);
    walls.push(r.wall);
    owns.push(r.own);
    rmSync(dir, { recursive: true, force: true });
  }
  rows.push(`| ${kind} | ${median(walls).toFixed(0)} | ${Math.max(...walls).toFixed(0)} | ${median(owns).toFixed(0)} |`);
}
console.log(`Startup on SQLite, ${runs} runs each, load average ${loadavg().map((n) => n.toFixed(2)).join(' / ')}`);
console.log('');
console.log('| data folder | spawn → ready, median ms | max ms | server-reported "ready in" (after Node boot), median ms |');
console.log('|---|---:|---:|---:|');
for (const r of rows) console.log(r);
