import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgTestDatabase, type PgTestDatabase } from '../testing/index.js';
import { openPostgres } from './driver.js';

describe('PostgreSQL parallel query', () => {
  let pg: PgTestDatabase;
  beforeAll(async () => {
    pg = await createPgTestDatabase();
  });
  afterAll(async () => {
    await pg?.drop();
  });

  const workers = async (parallelQuery?: boolean) => {
    const db = openPostgres({ connectionString: pg.url, max: 2, parallelQuery });
    try {
      // Both through the pool and in a transaction (a client checked out on its own).
      const direct = await db.get<{ w: string }>('SHOW max_parallel_workers_per_gather');
      const inTx = await db.transaction((tx) => tx.get<{ w: string }>('SHOW max_parallel_workers_per_gather'));
      return [Object.values(direct!)[0], Object.values(inTx!)[0]];
    } finally {
      await db.close();
    }
  };

  it('is off on every connection of the pool by default, and left to the server when asked for', async () => {
    expect(await workers()).toEqual(['0', '0']);
    const server = await workers(true);
    expect(server[0]).toBe(server[1]);
    expect(server[0]).not.toBe('0');
  });
});
