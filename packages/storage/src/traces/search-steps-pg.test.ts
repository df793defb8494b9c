// PostgreSQL's search index written outside ingestion commits (migrations 33 and 34, search-index.ts):
// commits note rows, steps move notes into search docs, and searches read docs and notes
// together. What must hold: searches are exact at every moment, also while steps race commits
// of several instances; a step never writes a text older than a committed change it took the
// note of; a step neither waits for nor blocks a commit; one step runs at a time across
// instances; ingestion takes steps itself at the backlog's bound; deletions drop notes and docs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WritableDb } from '../db.js';
import { applyEvents } from '../ingest/apply-events.js';
import { runMigrations } from '../migrate.js';
import { openStorage } from '../open-storage.js';
import { openPostgres, postgresDialect } from '../postgres/driver.js';
import { migrations as postgresMigrations } from '../postgres/migrations.js';
import type { Storage } from '../storage.js';
import { createPgTestDatabase, ingestItem, rawEvent, type PgTestDatabase } from '../testing/index.js';
import { h, ids, iso } from '../testing/store-queries.js';
import { flushSearchIndex, SEARCH_STEP_ROWS, searchCandidates, searchPacer } from './search-index.js';
import { rowKeys } from './search-words.js';
import type { TraceSearchQuery } from './trace-store.js';

/** A word of letters only, unique to `i` (the index finds it by its vocabulary). */
const word = (i: number, stem = 'okapi') => stem + Array.from(i.toString(26).padStart(4, '0'), (c) => String.fromCharCode(97 + parseInt(c, 26))).join('');
const traceWith = (project: string, i: number, input: string, sent: number) =>
  rawEvent('trace-create', { id: `${project}-t${i}`, timestamp: iso(h(1) + i), name: 'chat', input }, sent);
const spanWith = (project: string, i: number, name: string, sent: number) =>
  rawEvent('span-create', { id: `${project}-s${i}`, traceId: `${project}-t${i}`, startTime: iso(h(1) + i), name }, sent);
const newest = (search: string): TraceSearchQuery => ({ sort: { field: 'timestamp', direction: 'desc' }, limit: 50, search });

const count = async (db: WritableDb, sql: string, params: unknown[] = []) => Number((await db.get<{ n: number }>(sql, params))?.n);
const step = (db: WritableDb, atMost = SEARCH_STEP_ROWS) => db.transaction((tx) => flushSearchIndex(tx, postgresDialect, { atLeast: 1, atMost }));
/** Resolves to 'done', or to 'blocked' if `work` has not finished within `ms`. */
const within = (work: Promise<unknown>, ms = 5000) =>
  Promise.race([work.then(() => 'done' as const), new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), ms).unref())]);

/** Rows whose doc is missing or differs from their words, docs without a row, and words of rows missing from the vocabulary; with no notes left, all must be 0. */
async function docsOutOfStep(db: WritableDb) {
  const words = new Set((await db.all<{ project_id: string; word: string }>('SELECT project_id, word FROM search_words')).map((r) => `${r.project_id}\u0000${r.word}`));
  let missingWords = 0;
  const differing = async (rowsSql: string, docsSql: string) => {
    const docs = new Map((await db.all<{ project_id: string; id: string; trace_id?: string | null; keys: number[] }>(docsSql)).map((d) => [`${d.project_id}\u0000${d.id}`, d]));
    let n = 0;
    for (const r of await db.all<{ project_id: string; id: string; trace_id?: string | null; name: string | null; input: string | null; output: string | null }>(rowsSql)) {
      const want = rowKeys(r.project_id, [r.name, r.input, r.output]);
      missingWords += want.words.filter((w) => !words.has(`${r.project_id}\u0000${w}`)).length;
      const doc = docs.get(`${r.project_id}\u0000${r.id}`);
      if (!doc || doc.keys.map(Number).join() !== want.keys.join() || (r.trace_id !== undefined && doc.trace_id !== r.trace_id)) n++;
    }
    return n;
  };
  return {
    traces: await differing('SELECT project_id, id, name, input, output FROM traces', 'SELECT project_id, id, keys FROM trace_search_docs'),
    observations: await differing('SELECT project_id, id, trace_id, name, input, output FROM observations', 'SELECT project_id, id, trace_id, keys FROM observation_search_docs'),
    orphanDocs: await count(db, `SELECT (SELECT COUNT(*) FROM trace_search_docs d WHERE NOT EXISTS (SELECT 1 FROM traces t WHERE t.project_id = d.project_id AND t.id = d.id))
      + (SELECT COUNT(*) FROM observation_search_docs d WHERE NOT EXISTS (SELECT 1 FROM observations o WHERE o.project_id = d.project_id AND o.id = d.id)) AS n`),
    missingWords,
  };
}

describe('PostgreSQL search index written outside ingestion commits', () => {
  let pg: PgTestDatabase;
  let db: WritableDb;
  let other: WritableDb;

  beforeAll(async () => {
    pg = await createPgTestDatabase();
    db = openPostgres({ connectionString: pg.url });
    other = openPostgres({ connectionString: pg.url });
    await runMigrations(db, postgresDialect, postgresMigrations);
  });
  afterAll(async () => {
    await other?.close();
    await db?.close();
    await pg?.drop();
  });

  const ingest = (on: WritableDb, project: string, events: ReturnType<typeof rawEvent>[]) =>
    on.transaction((tx) => applyEvents(tx, postgresDialect, [ingestItem(project, events)], h(100)));
  const notes = (project: string) => count(db, 'SELECT COUNT(*) AS n FROM search_pending WHERE project_id = ?', [project]);
  const candidates = (project: string, search: string) => searchCandidates(db, postgresDialect, project, search).then((c) => c && [...c].sort());

  it('a step skips the note of a commit still running, without waiting for it, and never writes its row\'s old text', async () => {
    await ingest(db, 'skip', [traceWith('skip', 1, `first ${word(1, 'gnu')}`, h(2))]);
    expect(await notes('skip')).toBe(1);
    // A commit rewrites the text of the noted row and stays open while a step runs on another connection.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let written!: () => void;
    const rewritten = new Promise<void>((r) => (written = r));
    const commit = db.transaction(async (tx) => {
      await applyEvents(tx, postgresDialect, [ingestItem('skip', [traceWith('skip', 1, `second ${word(1, 'yak')}`, h(3))])], h(100));
      written();
      await gate;
    });
    await rewritten;
    expect(await within(step(other))).toBe('done');
    release();
    await commit;
    // The note is still there, so the new text is found and the old one is checked away; the next step moves it.
    expect(await notes('skip')).toBe(1);
    expect(await candidates('skip', word(1, 'yak'))).toContain('skip-t1');
    await step(other);
    expect(await notes('skip')).toBe(0);
    expect(await candidates('skip', word(1, 'yak'))).toContain('skip-t1');
    expect(await candidates('skip', word(1, 'gnu'))).not.toContain('skip-t1');
  });

  it('one step at a time across instances: while one holds the index, another moves nothing and does not wait', async () => {
    await ingest(db, 'lock', [traceWith('lock', 1, `text ${word(1, 'ibex')}`, h(2))]);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const holding = new Promise<void>((r) => (held = r));
    const holder = db.transaction(async (tx) => {
      await tx.get('SELECT pg_advisory_xact_lock(?::int, ?::int) AS ok', [0x53474c53, 0]);
      held();
      await gate;
    });
    await holding;
    let left = -1;
    expect(await within(other.transaction(async (tx) => (left = await flushSearchIndex(tx, postgresDialect, { atLeast: 1, atMost: 100 }))))).toBe('done');
    expect(left).toBeGreaterThanOrEqual(1);
    expect(await notes('lock')).toBe(1);
    release();
    await holder;
    await step(other);
    expect(await notes('lock')).toBe(0);
  });

  it('ingestion takes a step itself once its backlog reaches the bound, every SEARCH_STEP_ROWS events', async () => {
    const noted = async (project: string, backlog: number, rows: number) => {
      await step(db, 1_000_000);
      const pace = searchPacer(db, postgresDialect, backlog);
      await ingest(db, project, Array.from({ length: rows }, (_, i) => traceWith(project, i, `about ${word(i)}`, h(2))));
      await pace(rows);
      return notes(project);
    };
    expect(await noted('pace-under', 5000, 2500)).toBe(2500);
    expect(await noted('pace-at', 1200, 2500)).toBe(2500 - SEARCH_STEP_ROWS);
    // A backlog of 0: a step after every commit, as if the index were written in it.
    expect(await noted('pace-zero', 0, 900)).toBe(0);
    // Below SEARCH_STEP_ROWS events since the last look it does not even count.
    const pace = searchPacer(db, postgresDialect, 1);
    await ingest(db, 'pace-few', [traceWith('pace-few', 1, 'few', h(2))]);
    await pace(1);
    expect(await notes('pace-few')).toBe(1);
    await step(db, 1_000_000);
  });

  it('a deletion drops the rows\' notes and docs in its own statement, so no search or step sees them again', async () => {
    await ingest(db, 'del', [traceWith('del', 1, `doomed ${word(1, 'moa')}`, h(2)), spanWith('del', 1, `doomed ${word(2, 'moa')}`, h(2)), traceWith('del', 2, 'kept', h(2))]);
    await step(db, 1_000_000);
    await ingest(db, 'del', [traceWith('del', 1, `doomed still ${word(3, 'moa')}`, h(3))]);
    expect(await notes('del')).toBe(1);
    await db.transaction(async (tx) => {
      await tx.run("DELETE FROM observations WHERE project_id = 'del'");
      await tx.run("DELETE FROM traces WHERE project_id = 'del' AND id = 'del-t1'");
    });
    expect(await notes('del')).toBe(0);
    expect(await count(db, "SELECT COUNT(*) AS n FROM trace_search_docs WHERE project_id = 'del'")).toBe(1);
    expect(await count(db, "SELECT COUNT(*) AS n FROM observation_search_docs WHERE project_id = 'del'")).toBe(0);
    expect(await candidates('del', 'doomed')).toEqual(['doomed']);
  });

  it('two instances ingesting and rewriting while steps race their commits: every search exact at once, and once idle every doc equals its row', async () => {
    const before = process.env.SIGHTLINE_SEARCH_BACKLOG_ROWS;
    // A small bound, so both instances' commits take steps besides their idle steps and the racing loop below.
    process.env.SIGHTLINE_SEARCH_BACKLOG_ROWS = '300';
    let a: Storage;
    let b: Storage;
    try {
      a = await openStorage({ databaseUrl: pg.url });
      b = await openStorage({ databaseUrl: pg.url });
      await a.migrate();
      await b.migrate();
    } finally {
      if (before === undefined) delete process.env.SIGHTLINE_SEARCH_BACKLOG_ROWS;
      else process.env.SIGHTLINE_SEARCH_BACKLOG_ROWS = before;
    }
    let racing = true;
    const racer = (async () => {
      while (racing) await step(other, 40);
    })();
    try {
      const search = async (s: Storage, q: string) => ids(await s.traces.search('race', newest(q))).sort();
      const ROUNDS = 24;
      const PER = 120;
      for (let r = 0; r < ROUNDS; r++) {
        const first = r * PER;
        // A writes new traces with a span each; B, at once, rewrites the traces A wrote two rounds ago.
        const writes = a.ingest([ingestItem('race', Array.from({ length: PER }, (_, k) => [
          traceWith('race', first + k, `about ${word(first + k)} and more`, h(2)),
          spanWith('race', first + k, `step ${word(first + k, 'llama')}`, h(2)),
        ]).flat())]);
        const old = first - 2 * PER;
        const rewrites = old >= 0
          ? b.ingest([ingestItem('race', Array.from({ length: PER }, (_, k) => traceWith('race', old + k, `now ${word(old + k, 'tapir')}`, h(3))))])
          : Promise.resolve();
        await Promise.all([writes, rewrites]);
        // Each instance finds what the other acknowledged, by the trace's text and by its span's.
        expect(await search(b, word(first + 7))).toEqual([`race-t${first + 7}`]);
        expect(await search(b, word(first + 8, 'llama'))).toEqual([`race-t${first + 8}`]);
        if (old >= 0) {
          expect(await search(a, word(old + 5))).toEqual([]);
          expect(await search(a, word(old + 5, 'tapir'))).toEqual([`race-t${old + 5}`]);
        }
      }
      racing = false;
      await racer;
      // Ingestion stopped: idle steps take what is left.
      for (const t0 = Date.now(); (await notes('race')) > 0 && Date.now() - t0 < 20_000; ) await new Promise((r) => setTimeout(r, 50));
      expect(await notes('race')).toBe(0);
      expect(await docsOutOfStep(db)).toEqual({ traces: 0, observations: 0, orphanDocs: 0, missingWords: 0 });
      expect(await search(b, word(3))).toEqual([]);
      expect(await search(b, word(3, 'tapir'))).toEqual(['race-t3']);
      expect(await search(a, word(ROUNDS * PER - 1, 'llama'))).toEqual([`race-t${ROUNDS * PER - 1}`]);
    } finally {
      racing = false;
      await racer;
      await a.close();
      await b.close();
    }
  });
});
