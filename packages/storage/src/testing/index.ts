import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../open-storage.js';
import type { Storage } from '../storage.js';
import { createPgTestDatabase } from './postgres-fixture.js';

export { createPgTestDatabase, type PgTestDatabase } from './postgres-fixture.js';

/** The engines every storage test runs against (see `describeEachEngine`). */
export const ENGINES = ['sqlite', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

/**
 * The production SQLite ingestion worker, run from its TypeScript sources (the test runner's
 * transform does not reach worker threads, so a loader does it there), so in-process suites
 * commit on the same thread split as the built server and test the current code.
 */
const SOURCE_INGEST_WORKER = {
  script: new URL('../sqlite/ingest-worker.ts', import.meta.url),
  execArgv: ['--import', new URL('../../../../test/support/ts-register.mjs', import.meta.url).href],
};

export interface TestStorage {
  storage: Storage;
  /** Closes the storage and removes its database. */
  close(): Promise<void>;
}

/**
 * A migrated storage on a fresh database: a SQLite file in a temporary folder (ingestion
 * committed on the worker thread, as in production), or a new PostgreSQL database (see
 * `createPgTestDatabase`).
 *
 * @example
 * const { storage, close } = await openTestStorage('postgres');
 * afterAll(close);
 */
export async function openTestStorage(engine: Engine): Promise<TestStorage> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'sl-sqlite-'));
    const storage = await openStorage({ sqliteFile: join(dir, 'test.db'), ingestWorker: SOURCE_INGEST_WORKER });
    return {
      storage,
      async close() {
        await storage.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const db = await createPgTestDatabase();
  const storage = await openStorage({ databaseUrl: db.url }).catch(async (err: unknown) => {
    await db.drop();
    throw err;
  });
  return {
    storage,
    async close() {
      await storage.close();
      await db.drop();
    },
  };
}

export { ingestItem, rawEvent, type RawEvent } from './events.js';
export { dataset, metricsQuery, rollupMismatches, T0 as METRICS_T0 } from './metrics-data.js';
