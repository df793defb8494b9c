import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WritableDb } from '../db.js';
import { entityKey } from '../entity-key.js';
import { createPgTestDatabase, type PgTestDatabase } from '../testing/index.js';
import { openPostgres, postgresDialect } from './driver.js';

// Random ids, as real ones are: ids that differ in one character can fall into buckets that never meet.
const ids = new Map<string, string[]>();
const keys = (prefix: string, n: number) => {
  if (!ids.has(prefix)) ids.set(prefix, Array.from({ length: n }, () => entityKey('p', 'trace', randomUUID())).sort());
  return ids.get(prefix)!;
};

describe('PostgreSQL entity locks (lockKeys)', () => {
  let pg: PgTestDatabase;
  let db: WritableDb;
  beforeAll(async () => {
    pg = await createPgTestDatabase();
    db = openPostgres({ connectionString: pg.url, max: 4 });
  });
  afterAll(async () => {
    await db?.close();
    await pg?.drop();
  });

  /** Whether a transaction locking `second` has to wait for one that holds `first` to end. */
  async function waits(first: string[], second: string[]): Promise<boolean> {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const firstLocked = new Promise<void>((r) => (locked = r));
    const t1 = db.transaction(async (tx) => {
      await postgresDialect.lockKeys(tx, first);
      locked();
      await held;
    });
    await firstLocked;
    let done = false;
    const t2 = db.transaction(async (tx) => {
      await postgresDialect.lockKeys(tx, second);
      done = true;
    });
    // pg_locks shows the whole server: only this test's database counts.
    const waiting = async () => Number((await db.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    ))?.n) > 0;
    while (!done && !(await waiting())) await new Promise((r) => setTimeout(r, 5));
    const waited = !done;
    release();
    await Promise.all([t1, t2]);
    expect(done).toBe(true);
    return waited;
  }

  it('lets commits of a hundred keys each run side by side unless they share a key', async () => {
    expect(await waits(keys('a', 100), keys('b', 100))).toBe(false);
    expect(await waits(keys('c', 3), keys('d', 3))).toBe(false);
    expect(await waits(keys('e', 100), [...keys('f', 99), keys('e', 100)[50]].sort())).toBe(true);
  });

  it('makes a commit of more keys than fine locks cover (bucket locks) wait for, and hold up, one sharing a key', async () => {
    const big = keys('g', 600);
    expect(await waits(big, [...keys('h', 99), big[300]].sort())).toBe(true);
    expect(await waits([...keys('i', 99), big[10]].sort(), big)).toBe(true);
    expect(await waits(keys('j', 600), [...keys('k', 600), keys('j', 600)[599]].sort())).toBe(true);
  });
});
