#!/usr/bin/env node
// The page after a keyset cursor, one statement on SQLite (issue 18 point 2): the traces list
// sorted by latency ascending after latency 1,000 ms, written two ways — the OR alone
// `(v > ? OR (v = ? AND id > ?))`, and with a bound on the value `v >= ? AND (v > ? OR id > ?)`
// (what packages/storage/src/traces/search-traces.ts writes) — on tables shaped like
// trace_totals and traces, at 100k and 1M traces, in a temporary file. Prints each form's plan
// and median of 15 runs; the first grows with the traces before the cursor, the second does not.
// Usage: node bench/keyset-cursor.mjs [--sizes 100000,1000000]
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchArgs } from './lib/cli.mjs';

const Database = createRequire(new URL('../packages/storage/package.json', import.meta.url))('better-sqlite3');
const { values: flags } = benchArgs({ options: { sizes: { type: 'string', default: '100000,1000000' } } });
const FORMS = {
  'OR alone': '(x.latency_ms > ? OR (x.latency_ms = ? AND x.trace_id > ?))',
  'bound on the value': 'x.latency_ms >= ? AND (x.latency_ms > ? OR x.trace_id > ?)',
};

console.log('| traces | before the cursor | form | plan of trace_totals | median ms |');
console.log('|---:|---:|---|---|---:|');
for (const n of flags.sizes.split(',').map(Number)) {
  const dir = mkdtempSync(join(tmpdir(), 'keyset-'));
  const db = new Database(join(dir, 'keyset.db'));
  db.exec(`CREATE TABLE trace_totals (project_id TEXT, trace_id TEXT, latency_ms INTEGER, PRIMARY KEY (project_id, trace_id)) WITHOUT ROWID;
    CREATE INDEX trace_totals_latency ON trace_totals (project_id, latency_ms, trace_id);
    CREATE TABLE traces (project_id TEXT, id TEXT, name TEXT, PRIMARY KEY (project_id, id));`);
  const totals = db.prepare('INSERT INTO trace_totals VALUES (?, ?, ?)');
  const traces = db.prepare('INSERT INTO traces VALUES (?, ?, ?)');
  // Latencies spread around 2 s (deterministic), a quarter of them under 1 s.
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      totals.run('p', `t${i}`, Math.floor(Math.exp(7.6 + Math.sin(i * 12.9898))));
      traces.run('p', `t${i}`, 'trace');
    }
  })();
  const before = db.prepare('SELECT AVG(latency_ms < 1000) AS f FROM trace_totals').get().f;
  for (const [name, cond] of Object.entries(FORMS)) {
    const sql = `SELECT t.*, x.latency_ms FROM trace_totals x CROSS JOIN traces t
      WHERE t.project_id = ? AND x.project_id = ? AND t.id = x.trace_id AND ${cond} ORDER BY x.latency_ms ASC, x.trace_id ASC LIMIT 51`;
    const params = ['p', 'p', 1000, 1000, ''];
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params).map((r) => r.detail).find((d) => d.includes('trace_totals'));
    const statement = db.prepare(sql);
    const ms = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      statement.all(...params);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    console.log(`| ${n.toLocaleString('en-US')} | ${(before * 100).toFixed(1)} % | ${name} | \`${plan}\` | ${ms[7].toFixed(2)} |`);
  }
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
