import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyEvents } from '../ingest/apply-events.js';
import { runMigrations } from '../migrate.js';
import { openStorage } from '../open-storage.js';
import { openSqlite, sqliteDialect } from '../sqlite/driver.js';
import { migrations as sqliteMigrations } from '../sqlite/migrations.js';
import type { Storage } from '../storage.js';
import { ingestItem, rawEvent } from '../testing/index.js';
import { h, ids, iso } from '../testing/store-queries.js';
import { flushForIngestion, SEARCH_BACKLOG_ROWS, SEARCH_FLUSH_ROWS, searchBacklogRows } from './search-index.js';
import type { TraceSearchQuery } from './trace-store.js';

/** A word of letters only, unique to `i` (the index finds it by its vocabulary). */
const word = (i: number, stem = 'okapi') => stem + Array.from(i.toString(26).padStart(4, '0'), (c) => String.fromCharCode(97 + parseInt(c, 26))).join('');
/** Trace `t<i>` with `input`; a later `sent` makes a rewrite win the merge. */
const traceWith = (i: number, input: string, sent = h(1) + i) => rawEvent('trace-create', { id: `t${i}`, timestamp: iso(h(1) + i), name: 'chat', input }, sent);
const newest = (search: string): TraceSearchQuery => ({ sort: { field: 'timestamp', direction: 'desc' }, limit: 50, search });

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-search-idle-'));
  dirs.push(dir);
  return join(dir, 'test.db');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const SOURCE_INGEST_WORKER = {
  script: new URL('../sqlite/ingest-worker.ts', import.meta.url),
  execArgv: ['--import', new URL('../../../../test/support/ts-register.mjs', import.meta.url).href],
};

/** Rows noted and not yet in the index, and rows in the traces' index, read from the file. */
function indexState(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    const noted = (db.prepare('SELECT COUNT(*) AS n FROM search_pending').get() as { n: number }).n;
    const indexed = (db.prepare('SELECT COUNT(*) AS n FROM trace_search_docsize').get() as { n: number }).n;
    return { noted, indexed };
  } finally {
    db.close();
  }
}

async function until(done: () => boolean, ms = 15_000) {
  for (const t0 = Date.now(); !done() && Date.now() - t0 < ms; ) await new Promise((r) => setTimeout(r, 25));
}

describe('SQLite search index written in idle time', () => {
  for (const mode of ['ingestion thread', 'main thread'] as const) {
    it(`${mode}: searches are exact at every moment, and the index takes the backlog once ingestion pauses`, async () => {
      const file = tempFile();
      const before = process.env.SIGHTLINE_SQLITE_INGEST_THREAD;
      if (mode === 'main thread') process.env.SIGHTLINE_SQLITE_INGEST_THREAD = '0';
      let storage: Storage;
      try {
        storage = await openStorage({ sqliteFile: file, ingestWorker: SOURCE_INGEST_WORKER });
      } finally {
        if (before === undefined) delete process.env.SIGHTLINE_SQLITE_INGEST_THREAD;
        else process.env.SIGHTLINE_SQLITE_INGEST_THREAD = before;
      }
      try {
        const search = async (q: string) => ids(await storage.traces.search('p', newest(q)));
        // 2,400 traces in requests of 200 with pauses between some of them, so idle steps and commits take turns.
        const N = 2400;
        for (let i = 0; i < N; i += 200) {
          await storage.ingest([ingestItem('p', Array.from({ length: 200 }, (_, k) => traceWith(i + k, `about ${word(i + k)} and the usual`)))]);
          expect(await search(word(i + 7))).toEqual([`t${i + 7}`]);
          if (i % 600 === 0) await new Promise((r) => setTimeout(r, 120));
        }
        // Rewritten texts: the new word is found at once and the old one no longer, wherever the row's old text still is.
        await storage.ingest([ingestItem('p', [traceWith(3, `now ${word(3, 'tapir')}`, h(3)), traceWith(2000, `now ${word(2000, 'tapir')}`, h(3))])]);
        for (const i of [3, 2000]) {
          expect(await search(word(i))).toEqual([]);
          expect(await search(word(i, 'tapir'))).toEqual([`t${i}`]);
        }
        expect(await search('okapi')).toHaveLength(50);

        // Ingestion stopped: the backlog goes into the index until fewer rows than a flush are left.
        await until(() => indexState(file).noted < SEARCH_FLUSH_ROWS);
        const state = indexState(file);
        expect(state.noted).toBeLessThan(SEARCH_FLUSH_ROWS);
        expect(state.indexed).toBeGreaterThanOrEqual(N - SEARCH_FLUSH_ROWS);
        for (const i of [0, 3, 777, 1999, 2000, N - 1]) {
          expect(await search(word(i))).toEqual(i === 3 || i === 2000 ? [] : [`t${i}`]);
        }
        expect(await search(word(2000, 'tapir'))).toEqual(['t2000']);
      } finally {
        await storage.close();
      }
    });
  }

  it('a backlog left by the last run is indexed after the next start, once idle', async () => {
    const file = tempFile();
    const db = openSqlite({ file });
    await runMigrations(db, sqliteDialect, sqliteMigrations);
    const events = Array.from({ length: 1500 }, (_, i) => traceWith(i, `about ${word(i)}`));
    await db.transaction((tx) => applyEvents(tx, sqliteDialect, [ingestItem('p', events)], h(2)));
    await db.close();
    expect(indexState(file)).toEqual({ noted: 1500, indexed: 0 });
    const storage = await openStorage({ sqliteFile: file, ingestWorker: SOURCE_INGEST_WORKER });
    try {
      await until(() => indexState(file).noted < SEARCH_FLUSH_ROWS);
      expect(indexState(file)).toEqual({ noted: 0, indexed: 1500 });
      expect(ids(await storage.traces.search('p', newest(word(1234))))).toEqual(['t1234']);
    } finally {
      await storage.close();
    }
  });
});

describe("ingestion's share of the index", () => {
  const noted = async (backlog: number, rows: number) => {
    const db = openSqlite({ file: tempFile() });
    try {
      await runMigrations(db, sqliteDialect, sqliteMigrations);
      const events = Array.from({ length: rows }, (_, i) => traceWith(i, `about ${word(i)}`));
      await db.transaction(async (tx) => {
        await applyEvents(tx, sqliteDialect, [ingestItem('p', events)], h(2));
        // applyEvents ran the default share already (a backlog of SEARCH_BACKLOG_ROWS): nothing moved yet.
        await flushForIngestion(tx, sqliteDialect, backlog);
      });
      return Number((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM search_pending'))?.n);
    } finally {
      await db.close();
    }
  };

  it('leaves the backlog to idle time below its bound and takes a step of it at the bound', async () => {
    expect(await noted(SEARCH_BACKLOG_ROWS.sqlite, 1500)).toBe(1500);
    expect(await noted(1200, 1100)).toBe(1100);
    // At the bound: one step (2,000 rows) per commit.
    expect(await noted(1200, 2500)).toBe(500);
    // A backlog of 0: every commit moves the notes once a flush's worth waits, as before idle indexing.
    expect(await noted(0, 900)).toBe(900);
    expect(await noted(0, 1500)).toBe(0);
  });

  it('reads its bound from SIGHTLINE_SEARCH_BACKLOG_ROWS and refuses anything but a whole number, naming the variable', async () => {
    expect(searchBacklogRows({})).toBe(SEARCH_BACKLOG_ROWS.sqlite);
    expect(searchBacklogRows({}, 'postgres')).toBe(SEARCH_BACKLOG_ROWS.postgres);
    expect(searchBacklogRows({ SIGHTLINE_SEARCH_BACKLOG_ROWS: '0' })).toBe(0);
    expect(searchBacklogRows({ SIGHTLINE_SEARCH_BACKLOG_ROWS: '20000' })).toBe(20_000);
    for (const bad of ['-1', '1.5', 'lots']) {
      expect(() => searchBacklogRows({ SIGHTLINE_SEARCH_BACKLOG_ROWS: bad })).toThrow(/SIGHTLINE_SEARCH_BACKLOG_ROWS must be a whole number/);
    }
    // Refused when the storage opens, not at the first commit.
    process.env.SIGHTLINE_SEARCH_BACKLOG_ROWS = 'lots';
    try {
      await expect(openStorage({ sqliteFile: tempFile(), ingestWorker: SOURCE_INGEST_WORKER })).rejects.toThrow(/SIGHTLINE_SEARCH_BACKLOG_ROWS/);
    } finally {
      delete process.env.SIGHTLINE_SEARCH_BACKLOG_ROWS;
    }
  });
});
