#!/usr/bin/env node
// PostgreSQL: what a trigram search index written outside the ingestion commit would cost and
// save (issue 18 point 3; groundwork for moving pg_trgm out of the commit as SQLite's FTS5 was).
// One connection, the workload's texts (lib/workload.mjs: name, input, output of each trace and
// observation; the -update events add the output), written as ingestion writes them: one
// transaction per 100 events, rows inserted and updated through unnest arrays. Three layouts of
// the same table, each on a fresh database, taking turns:
//   gin     — a GIN gin_trgm_ops index on the row's text expression (what main does);
//   notes   — no trigram index; a trigger notes the row in search_pending when its text changes
//             (the commit's share under a deferred design);
//   none    — neither (the floor).
// Then, on the notes layout, the deferred step: noted rows moved into search_docs (its own GIN
// index) 2,000 a transaction; and the sizes of the rows' table and of search_docs.
// Wall time of the statements on one connection is reported: PostgreSQL runs them one at a time,
// so it is close to the backend's CPU on a quiet machine (the load average is printed).
// --pending-list-kb N gives search_docs' GIN index that gin_pending_list_limit (default: the
// server's, 4 MB), and the step's time includes a final gin_clean_pending_list (the merge left).
// BENCH_TEXT=prose: texts of real English (lib/workload.mjs).
// Usage: node bench/pg-search-deferred.mjs [--events 24000] [--rounds 3] [--pending-list-kb N]
import { loadavg } from 'node:os';
import { benchArgs } from './lib/cli.mjs';
import pg from 'pg';
import { createDatabase } from './lib/pg-database.mjs';
import { makeBatches } from './lib/workload.mjs';

const { values: flags } = benchArgs({ options: { events: { type: 'string', default: '24000' }, rounds: { type: 'string', default: '3' }, 'pending-list-kb': { type: 'string' } } });
const PENDING_KB = flags['pending-list-kb'] === undefined ? null : Number(flags['pending-list-kb']);
if (PENDING_KB !== null && (!Number.isSafeInteger(PENDING_KB) || PENDING_KB < 64)) throw new Error(`--pending-list-kb: an integer ≥ 64; got ${flags['pending-list-kb']}`);
const EVENTS = Number(flags.events);
const ROUNDS = Number(flags.rounds);
if (!Number.isSafeInteger(EVENTS) || EVENTS < 600) throw new Error(`--events: expected an integer ≥ 600; got ${flags.events}`);
if (!Number.isSafeInteger(ROUNDS) || ROUNDS < 1) throw new Error(`--rounds: expected an integer ≥ 1; got ${flags.rounds}`);

const TEXT = "(COALESCE(name, '') || chr(10) || COALESCE(input, '') || chr(10) || COALESCE(output, ''))";
const json = (v) => (v === undefined ? null : JSON.stringify(v));

/** Each batch as rows to insert (creates) and rows to update (the output of an update event). */
function commits() {
  return makeBatches('b', EVENTS, 100).map((batch) => {
    const inserts = [];
    const updates = [];
    for (const e of batch) {
      const b = e.body;
      if (e.type.endsWith('-update')) updates.push({ id: b.id, output: json(b.output) });
      else inserts.push({ id: b.id, name: b.name ?? null, input: json(b.input), output: json(b.output) });
    }
    return { inserts, updates };
  });
}

const SCHEMA = {
  gin: `CREATE INDEX rows_search ON rows USING gin (${TEXT} gin_trgm_ops);`,
  notes: `
CREATE TABLE search_pending (row_id BIGINT PRIMARY KEY);
CREATE FUNCTION note_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_pending (row_id) VALUES (NEW.seq) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER rows_note_insert AFTER INSERT ON rows FOR EACH ROW EXECUTE FUNCTION note_row();
CREATE TRIGGER rows_note_update AFTER UPDATE OF name, input, output ON rows FOR EACH ROW
  WHEN (NEW.name IS DISTINCT FROM OLD.name OR NEW.input IS DISTINCT FROM OLD.input OR NEW.output IS DISTINCT FROM OLD.output)
  EXECUTE FUNCTION note_row();
CREATE TABLE search_docs (row_id BIGINT PRIMARY KEY, body TEXT NOT NULL);
CREATE INDEX search_docs_body ON search_docs USING gin (body gin_trgm_ops)${PENDING_KB ? ` WITH (gin_pending_list_limit = ${PENDING_KB})` : ''};`,
  none: '',
};

async function run(layout, work) {
  const db = await createDatabase();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await client.query(`CREATE TABLE rows (seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT, input TEXT, output TEXT, updated_at TIMESTAMPTZ NOT NULL DEFAULT now());
      ${SCHEMA[layout]}`);
    const t0 = process.hrtime.bigint();
    for (const c of work) {
      await client.query('BEGIN');
      if (c.inserts.length) {
        await client.query('INSERT INTO rows (id, name, input, output) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])', [
          c.inserts.map((r) => r.id), c.inserts.map((r) => r.name), c.inserts.map((r) => r.input), c.inserts.map((r) => r.output),
        ]);
      }
      if (c.updates.length) {
        await client.query('UPDATE rows SET output = u.output, updated_at = now() FROM unnest($1::text[], $2::text[]) AS u(id, output) WHERE rows.id = u.id', [
          c.updates.map((r) => r.id), c.updates.map((r) => r.output),
        ]);
      }
      await client.query('COMMIT');
    }
    const commitUs = Number(process.hrtime.bigint() - t0) / 1000 / EVENTS;
    const out = { layout, commitUs };
    if (layout === 'notes') {
      out.noted = Number((await client.query('SELECT count(*) AS n FROM search_pending')).rows[0].n);
      const s0 = process.hrtime.bigint();
      for (;;) {
        await client.query('BEGIN');
        const moved = await client.query(`WITH step AS (DELETE FROM search_pending WHERE row_id IN (SELECT row_id FROM search_pending ORDER BY row_id LIMIT 2000) RETURNING row_id)
          INSERT INTO search_docs (row_id, body) SELECT r.seq, ${TEXT.replaceAll('name', 'r.name').replaceAll('input', 'r.input').replaceAll('output', 'r.output')} FROM rows r JOIN step ON step.row_id = r.seq
          ON CONFLICT (row_id) DO UPDATE SET body = excluded.body`);
        await client.query('COMMIT');
        if (moved.rowCount === 0) break;
      }
      if (PENDING_KB) await client.query("SELECT gin_clean_pending_list('search_docs_body')");
      out.stepUsPerRow = Number(process.hrtime.bigint() - s0) / 1000 / out.noted;
      const size = async (rel) => Number((await client.query('SELECT pg_total_relation_size($1) AS b', [rel])).rows[0].b);
      out.rowsMiB = (await size('rows')) / 2 ** 20;
      out.docsMiB = (await size('search_docs')) / 2 ** 20;
    }
    if (layout === 'gin') {
      out.rowsMiB = Number((await client.query("SELECT pg_total_relation_size('rows') AS b")).rows[0].b) / 2 ** 20;
    }
    return out;
  } finally {
    await client.end();
    await db.drop();
  }
}

const work = commits();
console.log(`# PostgreSQL search index inside and outside the commit — ${new Date().toISOString()}, ${EVENTS.toLocaleString('en-US')} events, ${ROUNDS} rounds, load ${loadavg().map((l) => l.toFixed(2)).join(' / ')}`);
const results = { gin: [], notes: [], none: [] };
let extra;
for (let r = 0; r < ROUNDS; r++) {
  for (const layout of ['gin', 'notes', 'none']) {
    const out = await run(layout, work);
    results[layout].push(out.commitUs);
    if (layout === 'notes') extra = { ...extra, notes: out };
    if (layout === 'gin') extra = { ...extra, gin: out };
    console.log(`  round ${r + 1} ${layout}: ${out.commitUs.toFixed(1)} µs/event in commits${out.stepUsPerRow ? `; step ${out.stepUsPerRow.toFixed(1)} µs/row for ${out.noted} noted rows` : ''}`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log('');
console.log('| layout | commit µs/event (median) | runs |');
console.log('|---|---:|---|');
for (const [layout, xs] of Object.entries(results)) console.log(`| ${layout} | ${median(xs).toFixed(1)} | ${xs.map((x) => x.toFixed(1)).join(', ')} |`);
console.log('');
console.log(`Deferred step (last round): ${extra.notes.noted} noted rows for ${EVENTS} events, ${extra.notes.stepUsPerRow.toFixed(1)} µs a row (${((extra.notes.stepUsPerRow * extra.notes.noted) / EVENTS).toFixed(1)} µs per event).`);
console.log(`Sizes (last round): rows with the GIN index ${extra.gin.rowsMiB.toFixed(1)} MiB; rows without it ${extra.notes.rowsMiB.toFixed(1)} MiB plus search_docs ${extra.notes.docsMiB.toFixed(1)} MiB.`);
console.log(`Load at the end: ${loadavg().map((l) => l.toFixed(2)).join(' / ')}`);
