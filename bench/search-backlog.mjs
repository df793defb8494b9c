#!/usr/bin/env node
// What free-text search costs while the search index has a backlog (issue 18 point 3:
// the index is written in idle time, so after a burst of ingestion the rows it noted wait, and
// every search reads them directly besides the index). Ingests --events of the ingestion
// workload (lib/workload.mjs, 6 events per trace, commits of 200) through storage.ingest with no
// pause, so no idle step runs and the backlog grows to its bound (SIGHTLINE_SEARCH_BACKLOG_ROWS,
// 50,000 rows), plus 3 traces holding a rare word at the end; then reopens the file without
// migrating (no idle step starts) and times the UI's search and count (storage.traces.search /
// .count, one day's range) for the rare word, an absent word and a common one; then moves the
// whole backlog into the index and times them again. Median and p95 (nearest rank) in ms.
// On PostgreSQL (--engine postgres, a fresh database) the backlog's bound is 10,000 rows and
// ingestion takes steps itself at it (search-index.ts, searchPacer), so the backlog timed is at most
// the bound, as a sustained load leaves it.
// Usage: node bench/search-backlog.mjs [--engine sqlite|postgres] [--events 100000] [--runs 15]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchArgs } from './lib/cli.mjs';
import Database from 'better-sqlite3';
import { openStorage } from '../packages/storage/dist/index.js';
import { openPostgres, postgresDialect } from '../packages/storage/dist/postgres/driver.js';
import { openSqlite, sqliteDialect } from '../packages/storage/dist/sqlite/driver.js';
import { flushSearchIndex } from '../packages/storage/dist/traces/search-index.js';
import { createDatabase } from './lib/pg-database.mjs';
import { makeBatches, storageItems } from './lib/workload.mjs';

const { values: flags } = benchArgs({ options: { engine: { type: 'string', default: 'sqlite' }, events: { type: 'string', default: '100000' }, runs: { type: 'string', default: '15' } } });
if (!['sqlite', 'postgres'].includes(flags.engine)) throw new Error(`--engine: sqlite or postgres; got ${flags.engine}`);
const PG = flags.engine === 'postgres';
const EVENTS = Number(flags.events);
const RUNS = Number(flags.runs);
const RARE = 'quixotically';
process.env.SIGHTLINE_SQLITE_INGEST_THREAD = '0';

const dir = mkdtempSync(join(tmpdir(), 'sl-search-backlog-'));
const file = join(dir, 'sightline.db');
const pgDb = PG ? await createDatabase() : null;
const where = PG ? { databaseUrl: pgDb.url } : { sqliteFile: file };
const openDriver = () => (PG ? openPostgres({ connectionString: pgDb.url }) : openSqlite({ file }));
const t0 = Date.now() - 3_600_000;
const state = async () => {
  const db = PG ? openDriver() : null;
  const file_ = PG ? null : new Database(file, { readonly: true });
  const all = (sql) => (PG ? db.all(sql) : file_.prepare(sql).all());
  const noted = (await all('SELECT kind, COUNT(*) AS n FROM search_pending GROUP BY kind ORDER BY kind')).map((r) => ({ kind: Number(r.kind), n: Number(r.n) }));
  const traces = Number((await all('SELECT COUNT(*) AS n FROM traces'))[0].n);
  if (PG) await db.close();
  else file_.close();
  return { traces: noted.find((r) => r.kind === 0)?.n ?? 0, observations: noted.find((r) => r.kind === 1)?.n ?? 0, total: traces };
};

try {
  console.log(`# Search with the index's backlog (${flags.engine}): ${EVENTS.toLocaleString('en-US')} events ingested in commits of 200 (load ${loadavg()[0].toFixed(2)})`);
  let storage = await openStorage(where);
  const started = performance.now();
  for (const b of storageItems(makeBatches('m', EVENTS, 200, t0))) await storage.ingest([b]);
  const rare = ['r1', 'r2', 'r3'].map((id, i) => ({ id: `e-${id}`, type: 'trace-create', timestamp: new Date(t0 + i).toISOString(), body: { id, name: 'rare', timestamp: new Date(t0 + i).toISOString(), input: `a ${RARE} question` } }));
  await storage.ingest(storageItems([rare]));
  const seconds = (performance.now() - started) / 1000;
  await storage.close();
  const backlog = await state();
  console.log(`- ingested in ${seconds.toFixed(1)} s (${Math.round(EVENTS / seconds).toLocaleString('en-US')} events/s, one caller, no pause); ${backlog.total.toLocaleString('en-US')} traces; noted and not indexed: ${backlog.traces.toLocaleString('en-US')} trace rows, ${backlog.observations.toLocaleString('en-US')} observation rows`);

  const range = { fromTimestamp: t0 - 86_400_000, toTimestamp: t0 + 86_400_000 };
  const query = (search) => ({ ...range, search, sort: { field: 'timestamp', direction: 'desc' }, limit: 50 });
  const reads = [
    [`search, a rare word (3 traces, in the backlog)`, (s) => s.traces.search('bench-project', query(RARE))],
    ['search, an absent word', (s) => s.traces.search('bench-project', query('zqxvjkw'))],
    ['search, a common word (every trace)', (s) => s.traces.search('bench-project', query('quarterly revenue'))],
    ['count, a rare word', (s) => s.traces.count('bench-project', query(RARE))],
  ];
  const time = async (s) => {
    const out = new Map();
    for (const [name, read] of reads) {
      await read(s);
      const ms = [];
      for (let i = 0; i < RUNS; i++) {
        const a = performance.now();
        await read(s);
        ms.push(performance.now() - a);
      }
      ms.sort((a, b) => a - b);
      out.set(name, { median: ms[Math.floor((RUNS - 1) / 2)], p95: ms[Math.ceil(0.95 * RUNS) - 1] });
    }
    return out;
  };
  storage = await openStorage({ ...where, migrate: false });
  const found = (await storage.traces.search('bench-project', query(RARE))).rows.map((r) => r.id).sort();
  if (found.join() !== 'r1,r2,r3') throw new Error(`the rare word found ${found.join()}`);
  const withBacklog = await time(storage);
  await storage.close();

  const db = openDriver();
  const f0 = performance.now();
  await db.transaction((tx) => flushSearchIndex(tx, PG ? postgresDialect : sqliteDialect, { atLeast: 0, atMost: Infinity }));
  const flushMs = performance.now() - f0;
  await db.close();
  const rows = backlog.traces + backlog.observations;
  console.log(`- the backlog moved into the index in one transaction: ${(flushMs / 1000).toFixed(1)} s (${((flushMs * 1000) / rows).toFixed(1)} µs a row)`);
  storage = await openStorage({ ...where, migrate: false });
  const caughtUp = await time(storage);
  await storage.close();

  console.log('');
  console.log(`| read | with the backlog: median / p95 ms | caught up: median / p95 ms |`);
  console.log('|---|---:|---:|');
  for (const [name] of reads) {
    const a = withBacklog.get(name);
    const b = caughtUp.get(name);
    console.log(`| ${name} | ${a.median.toFixed(1)} / ${a.p95.toFixed(1)} | ${b.median.toFixed(1)} / ${b.p95.toFixed(1)} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await pgDb?.drop();
}
