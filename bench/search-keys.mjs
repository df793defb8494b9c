#!/usr/bin/env node
// What a search index pays per row for trigrams against words (issue 18 point 3; migration 34):
// the distinct trigrams and distinct words (search-words.ts: runs of letters, digits and marks,
// case-folded) of --rows texts of the workload (lib/workload.mjs; BENCH_TEXT=prose for real
// English), the time Node takes to find a row's word keys, and on PostgreSQL the time to insert
// the rows, in transactions of 2,000, into a table with a pg_trgm GIN index of the text (what
// migration 33 indexed), with a GIN index of the int4[] word keys (what migration 34 indexes),
// and with no index (the floor). Fresh tables per layout, taking turns over --rounds; medians.
// Usage: node bench/search-keys.mjs [--rows 20000] [--length 1100] [--rounds 3]
import { loadavg } from 'node:os';
import pg from 'pg';
import { rowKeys } from '../packages/storage/dist/traces/search-words.js';
import { benchArgs } from './lib/cli.mjs';
import { createDatabase } from './lib/pg-database.mjs';
import { TEXT_MODE, text } from './lib/workload.mjs';

const { values: flags } = benchArgs({ options: { rows: { type: 'string', default: '20000' }, length: { type: 'string', default: '1100' }, rounds: { type: 'string', default: '3' } } });
const ROWS = Number(flags.rows);
const LENGTH = Number(flags.length);
const ROUNDS = Number(flags.rounds);

const texts = Array.from({ length: ROWS }, (_, k) => text(LENGTH, k));
const trigrams = (t) => {
  const s = ` ${t.toLowerCase()} `;
  const out = new Set();
  for (let i = 0; i + 3 <= s.length; i++) out.add(s.slice(i, i + 3));
  return out.size;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

console.log(`# Search keys per row (${TEXT_MODE}): ${ROWS.toLocaleString('en-US')} texts of ${LENGTH} characters, ${ROUNDS} rounds (load ${loadavg()[0].toFixed(2)})`);
const t0 = performance.now();
const keys = texts.map((t) => rowKeys('bench-project', [t]).keys);
const keyMs = performance.now() - t0;
const avg = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`- distinct trigrams a row ${avg(texts.map(trigrams)).toFixed(1)} (as characters; pg_trgm pads words, so its count differs a little), distinct words a row ${avg(keys.map((k) => k.length)).toFixed(1)}; Node finds a row's word keys in ${((keyMs * 1000) / ROWS).toFixed(1)} µs (first pass, cold)`);

const db = await createDatabase();
const client = new pg.Client({ connectionString: db.url });
await client.connect();
try {
  await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  const layouts = {
    trigram: { create: 'CREATE TABLE r (id int PRIMARY KEY, body text NOT NULL); CREATE INDEX ON r USING gin (body gin_trgm_ops)', insert: (i) => ['INSERT INTO r SELECT * FROM unnest($1::int[], $2::text[])', [ids(i), texts.slice(i, i + 2000)]] },
    words: { create: 'CREATE TABLE r (id int PRIMARY KEY, keys int4[] NOT NULL); CREATE INDEX ON r USING gin (keys)', insert: (i) => ['INSERT INTO r SELECT k.id, k.keys::int4[] FROM unnest($1::int[], $2::text[]) AS k(id, keys)', [ids(i), keys.slice(i, i + 2000).map((k) => `{${k.join(',')}}`)]] },
    none: { create: 'CREATE TABLE r (id int PRIMARY KEY, body text NOT NULL)', insert: (i) => ['INSERT INTO r SELECT * FROM unnest($1::int[], $2::text[])', [ids(i), texts.slice(i, i + 2000)]] },
  };
  function ids(i) {
    return Array.from({ length: Math.min(2000, ROWS - i) }, (_, j) => i + j);
  }
  const times = Object.fromEntries(Object.keys(layouts).map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? Object.keys(layouts) : Object.keys(layouts).reverse();
    for (const name of order) {
      await client.query('DROP TABLE IF EXISTS r');
      await client.query(layouts[name].create);
      const a = performance.now();
      for (let i = 0; i < ROWS; i += 2000) {
        const [sql, params] = layouts[name].insert(i);
        await client.query('BEGIN');
        await client.query(sql, params);
        await client.query('COMMIT');
      }
      times[name].push(((performance.now() - a) * 1000) / ROWS);
    }
  }
  console.log('\n| layout | µs a row (median) | runs |\n|---|---:|---|');
  for (const [name, xs] of Object.entries(times)) console.log(`| ${name} | ${median(xs).toFixed(1)} | ${xs.map((x) => x.toFixed(1)).join(', ')} |`);
  console.log(`\nLoad average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' / ')}`);
} finally {
  await client.end();
  await db.drop();
}
