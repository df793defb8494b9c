// Each driver translates its engine's errors into AppErrors in one place (postgres/errors.ts,
// sqlite/errors.ts): one test body, run against both engines.
import { AppError } from '@sightline/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WritableDb } from './db.js';
import { openPostgres } from './postgres/driver.js';
import { openSqlite } from './sqlite/driver.js';
import { createPgTestDatabase, ENGINES, type Engine } from './testing/index.js';

async function openRaw(engine: Engine): Promise<{ db: WritableDb; close(): Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'sl-errors-'));
    const db = openSqlite({ file: join(dir, 'e.db') });
    return { db, close: async () => (await db.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const pg = await createPgTestDatabase();
  const db = openPostgres({ connectionString: pg.url });
  return { db, close: async () => (await db.close(), await pg.drop()) };
}

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

async function expectAppError(p: Promise<unknown>, status: number, code: string, message: RegExp): Promise<void> {
  const err = await failure(p);
  expect(err).toBeInstanceOf(AppError);
  expect(err).toMatchObject({ status, code });
  expect((err as AppError).message).toMatch(message);
}

describe.each(ENGINES)('engine errors as AppErrors (%s)', (engine) => {
  let db: WritableDb;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openRaw(engine));
    await db.run('CREATE TABLE keyed (id TEXT PRIMARY KEY, n INTEGER CHECK (n >= 0))');
  });
  afterAll(async () => {
    await close?.();
  });

  it('a duplicate key is a 409 conflict, and the transaction it broke stored nothing', async () => {
    await db.run('INSERT INTO keyed (id, n) VALUES (?, ?)', ['taken', 1]);
    await expectAppError(db.run('INSERT INTO keyed (id, n) VALUES (?, ?)', ['taken', 2]), 409, 'conflict', /unique/i);
    const inTransaction = db.transaction(async (tx) => {
      await tx.run('INSERT INTO keyed (id, n) VALUES (?, ?)', ['fresh', 1]);
      await tx.run('INSERT INTO keyed (id, n) VALUES (?, ?)', ['taken', 3]);
    });
    await expectAppError(inTransaction, 409, 'conflict', /unique/i);
    expect(await db.all('SELECT id, n FROM keyed ORDER BY id')).toEqual([{ id: 'taken', n: 1 }]);
    // The connection stays usable after the rollback.
    await db.transaction((tx) => tx.run('INSERT INTO keyed (id, n) VALUES (?, ?)', ['fresh', 1]));
    expect(await db.get('SELECT n FROM keyed WHERE id = ?', ['fresh'])).toEqual({ n: 1 });
  });

  it('a value a constraint refuses is a 400 naming the rule', async () => {
    await expectAppError(db.run('INSERT INTO keyed (id, n) VALUES (?, ?)', ['negative', -1]), 400, 'invalid_request', /cannot be stored.*check/i);
  });

  it('a value beyond what the engine can store is a 400', async () => {
    const bad =
      engine === 'postgres'
        ? db.run('INSERT INTO keyed (id, n) VALUES (?, ?)', ['nul\u0000byte', 1]) // text cannot hold NUL (22021)
        : db.get('SELECT ? LIKE ? AS m', ['a', '%'.repeat(60_000)]); // over SQLITE_LIMIT_LIKE_PATTERN_LENGTH
    await expectAppError(bad, 400, 'invalid_request', /cannot be stored/);
  });

  it('a mistake in our own SQL is not dressed up as the client\'s: it stays a plain error (a logged 500)', async () => {
    const err = await failure(db.all('SELECT * FROM no_such_table'));
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(AppError);
  });
});

describe('an unreachable PostgreSQL', () => {
  it('is a 503 storage_unavailable with Retry-After', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const db = openPostgres({ connectionString: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 2_000 });
    try {
      const err = await failure(db.transaction((tx) => tx.all('SELECT 1')));
      expect(err).toMatchObject({ status: 503, code: 'storage_unavailable', details: { retryAfter: 2 } });
      expect(await failure(db.all('SELECT 1'))).toMatchObject({ status: 503, code: 'storage_unavailable' });
    } finally {
      await db.close();
    }
  });
});
