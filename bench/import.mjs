#!/usr/bin/env node
// Import speed: `sightline import` copying traces from a local source server (another Sightline
// on SQLite, loopback HTTP) into a fresh target of each engine, and `sightline import --file`
// reading the same traces from a JSONL export. Reports traces/s and rows/s (rows = traces,
// observations and scores written) from the CLI's own summary (the import's wall time, without
// the process start), plus the whole command's wall time.
// Usage: npm run bench:import -- [--engine sqlite|postgres|both] [--traces N]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchArgs } from './lib/cli.mjs';
import { createDatabase } from './lib/pg-database.mjs';
import { AUTH, CLI, PUBLIC_KEY, SECRET_KEY, startServer } from './lib/server-process.mjs';

const { values: flags } = benchArgs({ options: { engine: { type: 'string', default: 'both' }, traces: { type: 'string', default: '2000' } } });
const traces = Number(flags.traces);
const engines = flags.engine === 'both' ? ['sqlite', 'postgres'] : [flags.engine];
if (!Number.isInteger(traces) || traces < 1) throw new Error('--traces: expected a positive integer');
if (!engines.every((e) => e === 'sqlite' || e === 'postgres')) throw new Error(`--engine: expected sqlite, postgres or both; got ${flags.engine}`);

const tempDir = () => mkdtempSync(join(tmpdir(), 'sl-bench-import-'));
const iso = (ms) => new Date(ms).toISOString();

/** One agent-style trace: a root span, a generation with usage, a tool span, a nested span, an event; two scores. */
function traceEvents(i) {
  const at = Date.parse('2026-01-01T00:00:00.000Z') + i * 1000;
  const t = `bench-trace-${i}`;
  const ev = (type, body) => ({ id: `${type}-${body.id}`, type, timestamp: iso(at), body });
  const text = 'lorem ipsum dolor sit amet '.repeat(8);
  return [
    ev('trace-create', { id: t, timestamp: iso(at), name: 'chat', userId: `u${i % 50}`, sessionId: `s${i % 200}`, input: { q: text }, output: text, metadata: { i }, tags: ['bench'] }),
    ev('span-create', { id: `${t}-root`, traceId: t, name: 'handle', startTime: iso(at), endTime: iso(at + 900), input: text }),
    ev('generation-create', {
      id: `${t}-gen`, traceId: t, parentObservationId: `${t}-root`, name: 'llm', model: 'gpt-4o', startTime: iso(at + 10), endTime: iso(at + 800),
      input: [{ role: 'user', content: text }], output: { role: 'assistant', content: text }, usageDetails: { input: 500, output: 80 },
    }),
    ev('tool-create', { id: `${t}-tool`, traceId: t, parentObservationId: `${t}-root`, name: 'search', startTime: iso(at + 810), endTime: iso(at + 850), output: { hits: 3 } }),
    ev('span-create', { id: `${t}-inner`, traceId: t, parentObservationId: `${t}-tool`, name: 'fetch', startTime: iso(at + 811), endTime: iso(at + 840) }),
    ev('event-create', { id: `${t}-event`, traceId: t, parentObservationId: `${t}-root`, name: 'cache-miss', startTime: iso(at + 5) }),
    ev('score-create', { id: `${t}-acc`, traceId: t, name: 'accuracy', value: (i % 10) / 10 }),
    ev('score-create', { id: `${t}-tone`, traceId: t, name: 'tone', value: i % 2 ? 'friendly' : 'terse' }),
  ];
}

async function post(url, path, body) {
  const res = await fetch(`${url}/api/public/${path}`, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  if (res.status >= 300 || json.errors?.length) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
}

function run(args, env) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, DATABASE_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.once('exit', (code) => resolve({ code, stdout, stderr, wall: (performance.now() - started) / 1000 }));
  });
}

/** A fresh target (its server creates the project), the import run into it, then torn down. */
async function importInto(engine, args) {
  const dir = tempDir();
  const pg = engine === 'postgres' ? await createDatabase() : undefined;
  const server = await startServer({ dataDir: dir, databaseUrl: pg?.url });
  try {
    const r = await run(['import', '--data-dir', dir, ...args], { DATABASE_URL: pg?.url ?? '' });
    if (r.code !== 0) throw new Error(`import failed: ${r.stderr}`);
    const m = /imported (\d+) traces \((\d+) rows.* in ([\d.]+) s/.exec(r.stdout);
    if (!m || Number(m[1]) !== traces) throw new Error(`unexpected summary: ${r.stdout}`);
    return { traces: Number(m[1]), rows: Number(m[2]), seconds: Number(m[3]), wall: r.wall };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    await pg?.drop();
  }
}

const sourceDir = tempDir();
const source = await startServer({ dataDir: sourceDir });
const rows = [];
try {
  for (let i = 0; i < traces; i += 100) {
    await post(source.url, 'ingestion', { batch: Array.from({ length: Math.min(100, traces - i) }, (_, k) => traceEvents(i + k)).flat() });
  }
  // The export file: each trace as GET /api/public/traces/{id} answers it.
  const file = join(sourceDir, 'export.jsonl');
  const lines = [];
  for (let i = 0; i < traces; i++) {
    const res = await fetch(`${source.url}/api/public/traces/bench-trace-${i}`, { headers: { authorization: AUTH } });
    lines.push(await res.text());
  }
  writeFileSync(file, lines.join('\n') + '\n');
  console.error(`source: ${traces} traces; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const engine of engines) {
    rows.push({ engine, mode: 'from a server (--from)', ...(await importInto(engine, ['--from', source.url, '--public-key', PUBLIC_KEY, '--secret-key', SECRET_KEY])) });
    rows.push({ engine, mode: 'from a JSONL file (--file)', ...(await importInto(engine, ['--file', file])) });
  }
} finally {
  await source.stop();
  rmSync(sourceDir, { recursive: true, force: true });
}
console.log(`\n${availableParallelism()} CPUs; load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
console.log('| target | source | traces | rows | import s | traces/s | rows/s | command wall s |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.engine} | ${r.mode} | ${r.traces} | ${r.rows} | ${r.seconds.toFixed(1)} | ${Math.round(r.traces / r.seconds)} | ${Math.round(r.rows / r.seconds)} | ${r.wall.toFixed(1)} |`);
}
