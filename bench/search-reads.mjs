#!/usr/bin/env node
// The UI's free-text trace search (storage.traces.search and .count with `search`, as
// GET /api/ui/projects/:id/traces?q= calls them) with the search index (migration 24) against the
// same build with the index unused (a copy of the storage package whose searchCandidates always
// answers null: the bounded scan of the time range that was the only path before), on ONE
// database seeded once by bench/lib/reads-seed.mjs (the reads benchmark's project: RARE_WORD in
// 3 traces' input, COMMON_WORD in every trace's). After the bulk seed the rows its inserts noted
// are moved into the index in one transaction, as ingestion does every 1,000 rows. Reads take
// turns within each round (index, scan, then scan, index, …); median and p95 (nearest rank) in ms.
// Usage: node bench/search-reads.mjs [--engine sqlite|postgres|both] [--traces N[,N…]] [--runs N]
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchArgs } from './lib/cli.mjs';
import { execSync } from 'node:child_process';
import { openPostgres, postgresDialect } from '../packages/storage/dist/postgres/driver.js';
import { openSqlite, sqliteDialect } from '../packages/storage/dist/sqlite/driver.js';
import { flushSearchIndex } from '../packages/storage/dist/traces/search-index.js';
import { createDatabase } from './lib/pg-database.mjs';
import { COMMON_WORD, createReadsWorkload, DAYS, RARE_WORD } from './lib/reads-data.mjs';
import { seedProject } from './lib/reads-seed.mjs';

const { values: flags } = benchArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    traces: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '15' },
  },
});
const engines = flags.engine === 'both' ? ['sqlite', 'postgres'] : [flags.engine];
const SIZES = flags.traces.split(',').map(Number);
const RUNS = Number(flags.runs);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const copy = join(root, 'bench', 'tmp', 'storage-without-search-index');
rmSync(copy, { recursive: true, force: true });
cpSync(join(root, 'packages', 'storage', 'dist'), join(copy, 'dist'), { recursive: true });
writeFileSync(join(copy, 'package.json'), JSON.stringify({ type: 'module' }));
const indexFile = join(copy, 'dist', 'traces', 'search-index.js');
const from = '    let plan = await searchPlan(db, d, projectId, search);\n';
const source = readFileSync(indexFile, 'utf8');
if (!source.includes(from)) throw new Error(`${indexFile}: the plan's first line was not found; rebuild (npx tsc -b) and check the patch`);
writeFileSync(indexFile, source.replace(from, '    return null;\n    let plan = null;\n'));
const variants = {
  index: await import(pathToFileURL(join(root, 'packages', 'storage', 'dist', 'index.js')).href),
  scan: await import(pathToFileURL(join(copy, 'dist', 'index.js')).href),
};

const DAY = 86_400_000;
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const load = () => loadavg().map((l) => l.toFixed(2)).join(' / ');
const fmt = (n) => n.toFixed(1);
let commit = 'unknown';
try {
  commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim() + (execSync('git status --porcelain', { encoding: 'utf8' }).trim() ? ' (+ uncommitted changes)' : '');
} catch { /* not a git checkout */ }

console.log('# Free-text trace search: index against scan');
console.log('');
console.log(`- date: ${new Date().toISOString()}; commit ${commit}; machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; load average at start ${load()}`);
console.log(`- ${SIZES.map((n) => n.toLocaleString('en-US')).join(' and ')} traces, each size on a fresh database; ${RUNS} runs of each read per variant after one warm-up, variants alternating; search pages of 50, newest first, the last ${DAYS} days`);
console.log('');
console.log('| engine | traces | read | index: median ms | p95 ms | scan (before): median ms | p95 ms | same answer |');
console.log('|---|---:|---|---:|---:|---:|---:|---|');
for (const engine of engines) for (const TRACES of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), 'sl-search-'));
  const pgdb = engine === 'postgres' ? await createDatabase() : null;
  const options = pgdb ? { databaseUrl: pgdb.url } : { sqliteFile: join(dir, 'sightline.db') };
  try {
    await (await variants.index.openStorage(options)).close(); // migrate
    const now = Date.now();
    const workload = createReadsWorkload({ traces: TRACES, now });
    const db = pgdb ? openPostgres({ connectionString: pgdb.url, queryTimeoutMillis: 3_600_000 }) : openSqlite({ file: options.sqliteFile });
    const dialect = pgdb ? postgresDialect : sqliteDialect;
    const t0 = performance.now();
    const projectId = 'bench-search';
    await seedProject(db, dialect, projectId, workload, { onProgress: (c) => process.stderr.write(`  ${engine}: seeded ${c.traces.toLocaleString('en-US')} traces\r`) });
    const t1 = performance.now();
    await db.transaction((tx) => flushSearchIndex(tx, dialect, { atLeast: 0, atMost: Infinity }));
    // As autovacuum leaves it: the flush deleted every note (dead index entries a search's read of the notes would walk).
    if (pgdb) await db.run('VACUUM (ANALYZE)');
    const t2 = performance.now();
    await db.close();
    process.stderr.write(`\n  ${engine}: seeded in ${((t1 - t0) / 1000).toFixed(0)} s, index flush + VACUUM ANALYZE ${((t2 - t1) / 1000).toFixed(1)} s (load ${load()})\n`);
    const stores = { index: await variants.index.openStorage(options), scan: await variants.scan.openStorage(options) };
    try {
      const q = (search) => ({ search, sort: { field: 'timestamp', direction: 'desc' }, limit: 50, fromTimestamp: now - DAYS * DAY });
      const reads = [
        ['search, a rare word', (s) => s.traces.search(projectId, q(RARE_WORD)).then((r) => r.rows.map((t) => t.id))],
        ['count, a rare word', (s) => s.traces.count(projectId, q(RARE_WORD))],
        ['search, a common word', (s) => s.traces.search(projectId, q(COMMON_WORD)).then((r) => r.rows.map((t) => t.id))],
        ['count, a common word', (s) => s.traces.count(projectId, q(COMMON_WORD))],
        ['search, an absent word', (s) => s.traces.search(projectId, q('zqxjvwkq')).then((r) => r.rows.map((t) => t.id))],
      ];
      for (const [name, read] of reads) {
        const times = { index: [], scan: [] };
        const answers = {};
        for (const v of Object.keys(stores)) answers[v] = JSON.stringify(await read(stores[v]));
        for (let r = 0; r < RUNS; r++) {
          for (const v of r % 2 === 0 ? ['index', 'scan'] : ['scan', 'index']) {
            const s0 = performance.now();
            await read(stores[v]);
            times[v].push(performance.now() - s0);
          }
        }
        console.log(`| ${engine} | ${TRACES.toLocaleString('en-US')} | ${name} | ${fmt(pct(times.index, 50))} | ${fmt(pct(times.index, 95))} | ${fmt(pct(times.scan, 50))} | ${fmt(pct(times.scan, 95))} | ${answers.index === answers.scan ? 'yes' : `NO: ${answers.index.slice(0, 80)} / ${answers.scan.slice(0, 80)}`} |`);
      }
    } finally {
      await stores.index.close();
      await stores.scan.close();
    }
  } finally {
    await pgdb?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log('');
console.log(`Load average at the end: ${load()}`);
rmSync(copy, { recursive: true, force: true });
