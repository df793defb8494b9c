import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WritableDb } from '../db.js';
import { openPostgres } from '../postgres/driver.js';
import { openSqlite } from '../sqlite/driver.js';
import { createPgTestDatabase, ENGINES, type Engine } from '../testing/index.js';
import { flatten, insertStatements, runAll } from './bulk-sql.js';

async function openRaw(engine: Engine): Promise<{ db: WritableDb; close(): Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'sl-bulk-'));
    const db = openSqlite({ file: join(dir, 'b.db') });
    return { db, close: async () => (await db.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const pg = await createPgTestDatabase();
  const db = openPostgres({ connectionString: pg.url });
  return { db, close: async () => (await db.close(), await pg.drop()) };
}

describe.each(ENGINES)('runAll: writes, and reads of the rows as they were (%s)', (engine) => {
  let db: WritableDb;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openRaw(engine));
    await db.run('CREATE TABLE a (id TEXT PRIMARY KEY, n INTEGER NOT NULL)');
    await db.run('CREATE TABLE b (id TEXT PRIMARY KEY, n INTEGER NOT NULL)');
  });
  afterAll(async () => {
    await close?.();
  });

  const all = async (table: string) => (await db.all<{ id: string; n: unknown }>(`SELECT id, n FROM ${table} ORDER BY id`)).map((r) => [r.id, Number(r.n)]);

  for (const maxParams of [1000, 5]) {
    it(`writes every table and reads what was there before (${maxParams} parameters a statement)`, async () => {
      await db.run('DELETE FROM a');
      await db.run('DELETE FROM b');
      await db.run("INSERT INTO a (id, n) VALUES ('x', 1)");
      const d = { name: engine, maxParams };
      const upsert = { keys: ['id'], action: 'update' } as const;
      const rows = await db.transaction((tx) =>
        runAll(tx, d, [
          ...insertStatements(d, 'a', ['id', 'n'], [['x', 2], ['y', 3]], upsert),
          ...insertStatements(d, 'b', ['id', 'n'], [['z', 4]]),
        ], [{ sql: 'SELECT id, n FROM a WHERE id IN (?, ?) ORDER BY id', params: ['x', 'y'] }]),
      );
      expect(rows.map((r) => [r.id, Number(r.n)])).toEqual([['x', 1]]);
      expect(await all('a')).toEqual([['x', 2], ['y', 3]]);
      expect(await all('b')).toEqual([['z', 4]]);
    });
  }
});

describe('flatten', () => {
  it('lays rows end to end in order, as a statement binds them, empty rows and nulls included', () => {
    const rows: unknown[][] = [['p', 1, null], [], [undefined, 2n, 'x'], [true]];
    expect(flatten(rows)).toEqual(['p', 1, null, undefined, 2n, 'x', true]);
    expect(flatten(rows)).toEqual(rows.flat());
    expect(flatten([])).toEqual([]);
  });
});
