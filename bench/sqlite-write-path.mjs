#!/usr/bin/env node
// Where SQLite ingestion's commit CPU goes (issue 18 point 3): storage.ingest on this thread
// (SIGHTLINE_SQLITE_INGEST_THREAD=0), one commit per batch, every better-sqlite3 statement timed
// by its text, and — with --frames — the WAL frames each commit writes, with checkpoints off and
// each frame attributed to the table or index owning its page (dbstat). Count system calls by
// running it under `strace -f -c -e trace=pwrite64,pread64,fsync`.
// Workload of bench/ingest.mjs (lib/workload.mjs: ~1 KB events, 6 per trace), 2,000 warm-up events.
// Usage: node bench/sqlite-write-path.mjs [--build /path/to/checkout] [--events 20000] [--batch 200]
//          [--pragmas 'temp_store=2;wal_autocheckpoint=10000'] (run on every writer after WAL mode)
//          [--pre-pragmas 'page_size=4096'] (run before WAL mode: a new file takes them) [--frames]
//          [--drop 'index:group_totals_cost;trigger:observation_search_insert'] (ablation, after migrating)
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchArgs } from './lib/cli.mjs';
import { makeBatches, storageItems } from './lib/workload.mjs';

const { values: flags } = benchArgs({
  options: {
    build: { type: 'string', default: '.' },
    events: { type: 'string', default: '20000' },
    batch: { type: 'string', default: '200' },
    pragmas: { type: 'string', default: '' },
    'pre-pragmas': { type: 'string', default: '' },
    frames: { type: 'boolean', default: false },
    drop: { type: 'string', default: '' },
  },
});
process.env.SIGHTLINE_SQLITE_INGEST_THREAD = '0';
const checkout = resolve(flags.build);
const EVENTS = Number(flags.events);
const BATCH = Number(flags.batch);
const list = (s) => s.split(';').map((x) => x.trim()).filter(Boolean);
const after = [...list(flags.pragmas), ...(flags.frames ? ['wal_autocheckpoint = 0'] : [])];

// The checkout's own better-sqlite3, its statements timed by their text.
const Database = createRequire(join(checkout, 'packages/storage/package.json'))('better-sqlite3');
const times = new Map();
const commits = [];
const shape = (sql) => sql.replace(/\s+/g, ' ').replace(/(\(\?(, \?)*\)(, )?)+/g, '(?…)').replace(/\?(, \?)+/g, '?…').slice(0, 140);
const timed = (proto, name) => {
  const orig = proto[name];
  proto[name] = function (...args) {
    const t0 = process.hrtime.bigint();
    try {
      return orig.apply(this, args);
    } finally {
      const ns = Number(process.hrtime.bigint() - t0);
      const key = shape(this.source ?? String(args[0]));
      const e = times.get(key) ?? { ns: 0, n: 0 };
      e.ns += ns;
      e.n++;
      times.set(key, e);
      if (key === 'COMMIT') commits.push(ns / 1e6);
    }
  };
};
const probe = new Database(':memory:');
for (const m of ['run', 'all', 'get']) timed(Object.getPrototypeOf(probe.prepare('SELECT 1')), m);
probe.close();
timed(Database.prototype, 'exec');
const pragma = Database.prototype.pragma;
Database.prototype.pragma = function (source, options) {
  const wal = /journal_mode\s*=\s*WAL/i.test(source);
  if (wal) for (const p of list(flags['pre-pragmas'])) pragma.call(this, p);
  const out = pragma.call(this, source, options);
  if (wal) for (const p of after) pragma.call(this, p);
  return out;
};

const { openStorage } = await import(pathToFileURL(join(checkout, 'packages/storage/dist/index.js')).href);
const dataDir = mkdtempSync(join(tmpdir(), 'sl-write-path-'));
const storage = await openStorage({ dataDir });
if (flags.drop) {
  // Ablation: indexes or triggers dropped after migrating ('index:name' or 'trigger:name', ';'-separated).
  const db = new Database(join(dataDir, 'sightline.db'));
  for (const item of list(flags.drop)) {
    const [kind, name] = item.split(':');
    db.exec(`DROP ${kind === 'trigger' ? 'TRIGGER' : 'INDEX'} ${name}`);
  }
  db.close();
}
try {
  for (const b of storageItems(makeBatches('warm', 2000, 100))) await storage.ingest([b]);
  const walFile = join(dataDir, 'sightline.db-wal');
  const wal0 = statSync(walFile).size;
  times.clear();
  commits.length = 0;
  const batches = storageItems(makeBatches('m', EVENTS, BATCH));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const b of batches) await storage.ingest([b]);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  let sql = 0;
  for (const { ns } of times.values()) sql += ns;
  const perEvent = (ns) => (ns / 1000 / EVENTS).toFixed(1);
  const pageSize = new Database(join(dataDir, 'sightline.db'), { readonly: true }).pragma('page_size', { simple: true });
  console.log(`# SQLite write path: ${EVENTS.toLocaleString('en-US')} events in commits of ${BATCH}, page size ${pageSize}, pragmas '${after.join('; ')}'${flags.drop ? `, dropped '${flags.drop}'` : ''} (${checkout})`);
  console.log(`- per event: wall ${(wall * 1000 / EVENTS).toFixed(1)} µs, CPU ${((cpu.user + cpu.system) / EVENTS).toFixed(1)} µs, statements ${perEvent(sql)} µs`);
  commits.sort((a, b) => a - b);
  console.log(`- COMMIT ms: median ${commits[commits.length >> 1].toFixed(2)}, p90 ${commits[Math.floor(commits.length * 0.9)].toFixed(2)}, max ${commits.at(-1).toFixed(2)}`);
  console.log('');
  console.log('| µs/event | calls | statement |');
  console.log('|---:|---:|---|');
  for (const [key, { ns, n }] of [...times].sort((a, b) => b[1].ns - a[1].ns).slice(0, 25)) console.log(`| ${perEvent(ns)} | ${n} | \`${key.replace(/\|/g, '\\|')}\` |`);
  if (flags.frames) {
    // WAL frames: a 24-byte header (page number first) and a page; the file starts with a 32-byte header.
    const buf = readFileSync(walFile);
    const frame = 24 + pageSize;
    const pages = new Map();
    let frames = 0;
    for (let off = Math.max(32, wal0); off + frame <= buf.length; off += frame) {
      const page = buf.readUInt32BE(off);
      pages.set(page, (pages.get(page) ?? 0) + 1);
      frames++;
    }
    const db = new Database(join(dataDir, 'sightline.db'), { readonly: true });
    const owner = new Map(db.prepare('SELECT name, pageno FROM dbstat').all().map((r) => [r.pageno, r.name]));
    db.close();
    const byTree = new Map();
    for (const [page, n] of pages) {
      const name = owner.get(page) ?? '(free list / header)';
      byTree.set(name, (byTree.get(name) ?? 0) + n);
    }
    console.log('');
    console.log(`WAL frames per 100 events: ${(frames * 100 / EVENTS).toFixed(1)} (per commit ${(frames / batches.length).toFixed(1)})`);
    console.log('');
    console.log('| frames per 100 events | b-tree |');
    console.log('|---:|---|');
    for (const [name, n] of [...byTree].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`| ${(n * 100 / EVENTS).toFixed(1)} | ${name} |`);
  }
} finally {
  await storage.close();
  rmSync(dataDir, { recursive: true, force: true });
}
