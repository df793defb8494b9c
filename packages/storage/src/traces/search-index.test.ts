import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, SqlDialect, WritableDb } from '../db.js';
import { applyEvents } from '../ingest/apply-events.js';
import { runMigrations } from '../migrate.js';
import { openPostgres, postgresDialect } from '../postgres/driver.js';
import { migrations as postgresMigrations } from '../postgres/migrations.js';
import { openSqlite, sqliteDialect } from '../sqlite/driver.js';
import { migrations as sqliteMigrations } from '../sqlite/migrations.js';
import { describeEachEngine } from '../testing/each-engine.js';
import { createPgTestDatabase, ENGINES, ingestItem, rawEvent } from '../testing/index.js';
import { h, ids, iso } from '../testing/store-queries.js';
import { escapeLike } from '../queries/where.js';
import { flushSearchIndex, searchCandidates, searchScanBacklog } from './search-index.js';
import type { TraceSearchCursor, TraceSearchQuery } from './trace-store.js';

const trace = (id: string, at: number, body: Record<string, unknown> = {}) => rawEvent('trace-create', { id, timestamp: iso(at), ...body }, at);
const span = (id: string, traceId: string, at: number, body: Record<string, unknown> = {}) =>
  rawEvent('span-create', { id, traceId, startTime: iso(at), ...body }, at);
const newest = (over: Partial<TraceSearchQuery> = {}): TraceSearchQuery => ({ sort: { field: 'timestamp', direction: 'desc' }, limit: 50, ...over });

describeEachEngine('trace search through the search index', (ctx) => {
  const p = ctx.newProject();
  const other = ctx.newProject();
  const search = async (q: string, over: Partial<TraceSearchQuery> = {}, project = p) => ids(await ctx.storage.traces.search(project, newest({ search: q, ...over })));

  beforeAll(async () => {
    await ctx.ingest(
      p,
      trace('t-in', h(1), { name: 'chat', input: { question: 'Tell me about Zanzibarite minerals' } }),
      trace('t-out', h(2), { name: 'chat', output: 'the QUOKKALIKE answer' }),
      trace('t-name', h(3), { name: 'Pelicanoid-run' }),
      trace('t-obs', h(4), { name: 'agent' }),
      span('o-name', 't-obs', h(4), { name: 'tool:marmosetish' }),
      span('o-in', 't-obs', h(4), { input: ['narwhalesque'] }),
      trace('t-obs2', h(5), { name: 'agent' }),
      span('o-out', 't-obs2', h(5), { output: { text: 'a Wombatty reply' } }),
      trace('t-none', h(6), { name: 'chat', input: 'nothing to see', output: 'x' }),
    );
    // Project B holds the same words: they never match in project A, nor A's in B.
    await ctx.ingest(other, trace('b-1', h(1), { input: 'Zanzibarite and Wombatty and only-in-b-xylograph' }));
  });

  it('finds a rare word in trace input, output and name and in observation name, input and output', async () => {
    expect(await search('Zanzibarite')).toEqual(['t-in']);
    expect(await search('QUOKKALIKE')).toEqual(['t-out']);
    expect(await search('Pelicanoid')).toEqual(['t-name']);
    expect(await search('marmosetish')).toEqual(['t-obs']);
    expect(await search('narwhalesque')).toEqual(['t-obs']);
    expect(await search('Wombatty')).toEqual(['t-obs2']);
  });

  it('matches case-insensitively and by substring, across punctuation and spaces', async () => {
    expect(await search('zanzibarITE')).toEqual(['t-in']);
    expect(await search('quokkalike')).toEqual(['t-out']);
    expect(await search('zibar')).toEqual(['t-in']);
    expect(await search('me about zanz')).toEqual(['t-in']);
    expect(await search('"question":"Tell')).toEqual(['t-in']);
    expect(await search('canoid-r')).toEqual(['t-name']);
    // Every trigram of the word is in some row, the word itself in none: no match.
    expect(await search('zanzibaritequokka')).toEqual([]);
    expect(await search('100%')).toEqual([]);
  });

  it('searches very short words (no trigram) by scanning the range, and still finds the exact id', async () => {
    expect(await search('Wo')).toEqual(['t-obs2']);
    expect(await search('qu')).toEqual(['t-obs', 't-out', 't-in']);
    expect(await search('t-obs2')).toEqual(['t-obs2']);
    expect(await search('t-in')).toEqual(['t-in']);
  });

  it('takes FTS5 syntax, quotes, wildcards and a NUL character as literal text', async () => {
    // PostgreSQL refuses a NUL in text with a 400 (invalid_request), as before the index.
    const odd = ['a"b"c', '"""', '\\\\', '***', '(((', 'NEAR(', 'AND OR NOT', '%%%', '___', '🦊🦊🦊', ...(ctx.engine === 'sqlite' ? ['a\u0000bc'] : [])];
    for (const q of odd) {
      expect(await search(q)).toEqual([]);
      expect(await ctx.storage.traces.count(p, newest({ search: q }))).toEqual({ count: 0, estimated: false });
    }
    expect(await search('"question":"')).toEqual(['t-in']);
  });

  it('never matches another project\'s text', async () => {
    expect(await search('xylograph')).toEqual([]);
    expect(await search('Zanzibarite', {}, other)).toEqual(['b-1']);
    expect(await search('QUOKKALIKE', {}, other)).toEqual([]);
    expect(await ctx.storage.traces.count(p, newest({ search: 'Wombatty' }))).toEqual({ count: 1, estimated: false });
  });

  it('keeps paging and counts exact with the other filters', async () => {
    const q = newest({ search: 'chat', limit: 2 });
    const seen: string[] = [];
    let cursor: TraceSearchCursor | undefined;
    do {
      const page = await ctx.storage.traces.search(p, { ...q, cursor });
      seen.push(...ids(page.rows));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['t-none', 't-out', 't-in']);
    expect(await ctx.storage.traces.count(p, q)).toEqual({ count: 3, estimated: false });
    expect(await search('chat', { fromTimestamp: h(2), toTimestamp: h(6) })).toEqual(['t-out']);
    expect(await ctx.storage.traces.count(p, newest({ search: 'chat', fromTimestamp: h(2) }))).toEqual({ count: 2, estimated: false });
    expect(await search('chat', { sort: { field: 'latency', direction: 'desc' } })).toHaveLength(3);
  });

  it('finds updated text at once and no longer finds the text it replaced', async () => {
    const u = ctx.newProject();
    await ctx.ingest(u, trace('tu', h(1), { input: 'first Capybaric draft' }), span('ou', 'tu', h(1), { name: 'Okapian-step' }));
    expect(await search('capybaric', {}, u)).toEqual(['tu']);
    await ctx.ingest(u, rawEvent('trace-create', { id: 'tu', input: 'second Tapiresque draft' }, h(2)), rawEvent('span-update', { id: 'ou', traceId: 'tu', name: 'renamed' }, h(2)));
    expect(await search('capybaric', {}, u)).toEqual([]);
    expect(await search('okapian', {}, u)).toEqual([]);
    expect(await search('tapiresque', {}, u)).toEqual(['tu']);
    expect(await search('renamed', {}, u)).toEqual(['tu']);
    // An older event arriving late does not bring the old text back: the merge decides, as for every read.
    await ctx.ingest(u, rawEvent('trace-create', { id: 'tu', input: 'stale Capybaric text' }, h(1) + 1));
    expect(await search('capybaric', {}, u)).toEqual([]);
  });

  it('does not find deleted traces, through the API or retention', async () => {
    const d = ctx.newProject();
    await ctx.ingest(d, trace('gone', h(1), { input: 'Axolotlish' }), span('gone-o', 'gone', h(1), { output: 'Axolotlish' }), trace('kept', h(300), { input: 'Axolotlish' }));
    expect(await search('axolotlish', {}, d)).toEqual(['kept', 'gone']);
    expect(await ctx.storage.traces.delete(d, ['gone'])).toBe(1);
    expect(await search('axolotlish', {}, d)).toEqual(['kept']);
    await ctx.storage.retention.deleteExpired(d, h(400), 100);
    expect(await search('axolotlish', {}, d)).toEqual([]);
  });
});

interface Driver {
  db: WritableDb;
  dialect: SqlDialect;
  close(): Promise<void>;
}

async function openDriver(engine: (typeof ENGINES)[number]): Promise<Driver> {
  if (engine === 'sqlite') {
    const db = openSqlite({ file: ':memory:' });
    return { db, dialect: sqliteDialect, close: () => db.close() };
  }
  const pg = await createPgTestDatabase();
  const db = openPostgres({ connectionString: pg.url });
  return { db, dialect: postgresDialect, close: async () => { await db.close(); await pg.drop(); } };
}

describe.each(ENGINES)('search index candidates (%s)', (engine) => {
  let driver: Driver;
  const all = engine === 'sqlite' ? sqliteMigrations : postgresMigrations;
  const candidates = (db: Db, search: string, limit?: number) => searchCandidates(db, driver.dialect, 'p', search, limit).then((c) => c && [...c].sort());

  beforeAll(async () => {
    driver = await openDriver(engine);
    // Rows stored before the index existed: the migration indexes them.
    await runMigrations(driver.db, driver.dialect, all.filter((m) => m.version < 26));
    // The ingestion code of this version notes rows for the index; that of version 25 did not (the table goes before migration 26).
    if (engine === 'sqlite') await driver.db.transaction((tx) => tx.run('CREATE TABLE search_pending (kind INTEGER, row_id INTEGER)'));
    const events = [
      trace('a', h(1), { input: 'Gorillaic' }), trace('b', h(2), { output: 'gorillaic' }), span('bo', 'b', h(2), { name: 'Lemurine' }),
      ...Array.from({ length: 30 }, (_, i) => trace(`c${i}`, h(3 + i), { input: 'common words' })),
    ];
    await driver.db.transaction((tx) => applyEvents(tx, driver.dialect, [ingestItem('p', events)], h(100)));
    await driver.db.transaction((tx) => applyEvents(tx, driver.dialect, [ingestItem('q', [trace('qa', h(1), { input: 'Lemurine gorillaic' })])], h(100)));
    if (engine === 'sqlite') await driver.db.transaction((tx) => tx.run('DROP TABLE search_pending'));
    await runMigrations(driver.db, driver.dialect, all);
  });
  afterAll(async () => {
    await driver?.close();
  });

  it('holds the rows present before the migration and narrows a word to the traces holding it, the id itself included', async () => {
    expect(await candidates(driver.db, 'GORILLAIC')).toEqual(['GORILLAIC', 'a', 'b']);
    expect(await candidates(driver.db, 'lemurine')).toEqual(['b', 'lemurine']);
    expect(await candidates(driver.db, 'zzzz')).toEqual(['zzzz']);
  });

  it('gives up (null: scan the range) on words under three characters and on words with more hits than the limit', async () => {
    expect(await candidates(driver.db, 'go')).toBeNull();
    expect(await candidates(driver.db, 'common', 10)).toBeNull();
    expect(await candidates(driver.db, 'common', 40)).toHaveLength(31);
  });

  it('follows new rows, updates and deletions, before and after the noted rows move into the index', async () => {
    const flush = () => driver.db.transaction((tx) => flushSearchIndex(tx, driver.dialect, { atLeast: 0, atMost: 2 }));
    const pending = async () => Number((await driver.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM search_pending'))?.n);
    // The migration noted every row present (the steps find their words); move them all first.
    while ((await pending()) > 0) await flush();
    expect(await candidates(driver.db, 'GORILLAIC')).toEqual(['GORILLAIC', 'a', 'b']);
    await driver.db.transaction((tx) => applyEvents(tx, driver.dialect, [ingestItem('p', [
      trace('d', h(50), { input: 'Gorillaic too' }),
      span('do', 'd', h(50), { name: 'Gibbonous step' }),
      rawEvent('trace-create', { id: 'a', input: 'replaced' }, h(60)),
    ])], h(100)));
    // The index still holds a's old text until the flush (an over-match the search's own check drops).
    expect(await candidates(driver.db, 'gorillaic')).toEqual(['a', 'b', 'd', 'gorillaic']);
    expect(await candidates(driver.db, 'replaced')).toEqual(['a', 'replaced']);
    // Two rows per flush: the first flushes leave the rest noted, and searches still find them.
    await flush();
    expect(await candidates(driver.db, 'gorillaic')).toEqual(expect.arrayContaining(['b', 'd', 'gorillaic']));
    expect(await pending()).toBe(1);
    expect(await candidates(driver.db, 'gibbonous')).toEqual(['d', 'gibbonous']);
    while ((await pending()) > 0) await flush();
    expect(await candidates(driver.db, 'gorillaic')).toEqual(['b', 'd', 'gorillaic']);
    expect(await candidates(driver.db, 'replaced')).toEqual(['a', 'replaced']);
    // An update after the flush: the new text is found at once, the old text no longer matches once checked (the index may still hold it until the next flush).
    await driver.db.transaction((tx) => applyEvents(tx, driver.dialect, [ingestItem('p', [rawEvent('trace-create', { id: 'd', input: 'Baboonish now' }, h(70))])], h(100)));
    expect(await candidates(driver.db, 'baboonish')).toEqual(['baboonish', 'd']);
    await driver.db.transaction((tx) => tx.run("DELETE FROM observations WHERE project_id = 'p' AND id = 'bo'"));
    expect(await candidates(driver.db, 'lemurine')).toEqual(['lemurine']);
    while ((await pending()) > 0) await flush();
    expect(await candidates(driver.db, 'gorillaic')).toEqual(['b', 'gorillaic']);
    expect(await candidates(driver.db, 'baboonish')).toEqual(['baboonish', 'd']);
    expect(await candidates(driver.db, 'lemurine')).toEqual(['lemurine']);
  });

  it('scans instead (null) once more rows are noted than a search should read', async () => {
    await driver.db.transaction((tx) => applyEvents(tx, driver.dialect, [ingestItem('p', [trace('n1', h(91), { input: 'Quaggaish' }), trace('n2', h(92), { input: 'Quaggaish' })])], h(100)));
    const noted = Number((await driver.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM search_pending'))?.n);
    expect(noted).toBeGreaterThanOrEqual(2);
    if (engine === 'postgres') {
      // PostgreSQL's guard reads the statistics' live rows, which a backend reports within a second or so.
      const live = async () => Number((await driver.db.get<{ n: number }>("SELECT COALESCE(SUM(n_live_tup), 0) AS n FROM pg_stat_user_tables WHERE relname = 'search_pending'"))?.n);
      for (const t0 = Date.now(); (await live()) !== noted && Date.now() - t0 < 30_000; ) await new Promise((r) => setTimeout(r, 200));
      expect(await live()).toBe(noted);
    }
    expect(await searchCandidates(driver.db, driver.dialect, 'p', 'quaggaish', undefined, noted).then((c) => c && [...c].sort())).toEqual(['n1', 'n2', 'quaggaish']);
    expect(await searchCandidates(driver.db, driver.dialect, 'p', 'quaggaish', undefined, noted - 1)).toBeNull();
    expect(searchScanBacklog(driver.dialect, {})).toBe(engine === 'sqlite' ? 100_000 : 20_000);
    expect(searchScanBacklog(driver.dialect, { SIGHTLINE_SEARCH_BACKLOG_ROWS: '0' })).toBe(20_000);
  });

  it('plans again when a step commits new words between reading the vocabulary and reading the index', async () => {
    await driver.db.transaction((tx) => applyEvents(tx, driver.dialect, [ingestItem('p', [trace('race', h(90), { input: 'a Xenopusoid frog' })])], h(100)));
    // The row is noted, its word not in the vocabulary yet. Right after the search reads the
    // vocabulary (finding nothing), a step moves the row: its note is gone and its doc holds the word.
    let stepped = false;
    const racing: Db = {
      ...driver.db,
      all: async (sql, params) => {
        const rows = await driver.db.all(sql, params);
        if (!stepped && sql.includes('search_words')) {
          stepped = true;
          await driver.db.transaction((tx) => flushSearchIndex(tx, driver.dialect, { atLeast: 0 }));
        }
        return rows as never;
      },
    };
    expect(await searchCandidates(racing, driver.dialect, 'p', 'enopusoi').then((c) => c && [...c].sort())).toEqual(['enopusoi', 'race']);
    expect(stepped).toBe(true);
  });

  it('forgets the text of a deleted row whose place a new row takes, after the flush', async () => {
    const flushAll = () => driver.db.transaction((tx) => flushSearchIndex(tx, driver.dialect, { atLeast: 0 }));
    await driver.db.transaction((tx) => applyEvents(tx, driver.dialect, [ingestItem('p', [trace('e', h(80), { input: 'Marmosetty' })])], h(100)));
    await flushAll();
    expect(await candidates(driver.db, 'marmosetty')).toEqual(['e', 'marmosetty']);
    // The newest row goes and the next one takes its place (SQLite hands its rowid out again) before the flush.
    await driver.db.transaction((tx) => tx.run("DELETE FROM traces WHERE project_id = 'p' AND id = 'e'"));
    await driver.db.transaction((tx) => applyEvents(tx, driver.dialect, [ingestItem('p', [trace('f', h(81), { input: 'Okapian' })])], h(100)));
    await flushAll();
    expect(await candidates(driver.db, 'marmosetty')).toEqual(['marmosetty']);
    expect(await candidates(driver.db, 'okapian')).toEqual(['f', 'okapian']);
  });
});

// Exactness at the level the search depends on: for random substrings of random texts (several
// scripts, cases, punctuation, words over LONG_WORD), the index's candidates hold every trace
// the engine's own case-insensitive match finds by scanning — after the rows moved into the
// index, so its keys and vocabulary (not the noted rows' text) answer.
describe.each(ENGINES)('search index candidates against a scan, random texts (%s)', (engine) => {
  let driver: Driver;
  const pieces = ['the', 'Zebra', 'ZEBRAFISH', 'İstanbul', 'Ωμέγα', 'naïve', '東京', 'x1', '42', '3.14', 'user_id', 'req-123', '🦊', 'a', '\\n', '"k":"v"', ' ', ' ', ',', '-', '_', 'q'.repeat(70), 'Kelvin\u212a'];
  const texts: string[] = [];

  beforeAll(async () => {
    driver = await openDriver(engine);
    await runMigrations(driver.db, driver.dialect, engine === 'sqlite' ? sqliteMigrations : postgresMigrations);
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const events = Array.from({ length: 60 }, (_, i) => {
      let t = '';
      for (let k = 0, n = 1 + Math.floor(rnd() * 12); k < n; k++) t += pieces[Math.floor(rnd() * pieces.length)];
      texts.push(t);
      return trace(`r${i}`, h(1 + i), { input: t });
    });
    await driver.db.transaction((tx) => applyEvents(tx, driver.dialect, [ingestItem('r', events)], h(100)));
    await driver.db.transaction((tx) => flushSearchIndex(tx, driver.dialect, { atLeast: 0 }));
    expect(Number((await driver.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM search_pending'))?.n)).toBe(0);
  });
  afterAll(async () => {
    await driver?.close();
  });

  it('never leaves out a trace the scan finds, and narrows most searches', async () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    let narrowed = 0;
    let found = 0;
    for (let k = 0; k < 300; k++) {
      const chars = Array.from(texts[Math.floor(rnd() * texts.length)]);
      const from = Math.floor(rnd() * chars.length);
      const q = chars.slice(from, from + 1 + Math.floor(rnd() * 12)).map((c) => (rnd() < 0.3 ? c.toUpperCase() : c)).join('');
      const scan = (await driver.db.all<{ id: string }>(`SELECT id FROM traces WHERE project_id = 'r' AND input ${driver.dialect.ilike} ? ESCAPE '\\'`, [`%${escapeLike(q)}%`])).map((r) => r.id);
      const c = await searchCandidates(driver.db, driver.dialect, 'r', q);
      if (c === null) continue;
      narrowed++;
      found += scan.length;
      const missing = scan.filter((id) => !c.includes(id));
      if (missing.length > 0) throw new Error(`${JSON.stringify(q)}: the index left out ${missing.join(', ')}`);
    }
    expect(narrowed).toBeGreaterThan(150);
    expect(found).toBeGreaterThan(150);
  });
});
