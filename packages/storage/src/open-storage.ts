import { join } from 'node:path';
import { openPostgres, postgresDialect } from './postgres/driver.js';
import { migrations as postgresMigrations } from './postgres/migrations.js';
import { createStorage } from './create-storage.js';
import { openSqlite, sqliteDialect } from './sqlite/driver.js';
import { startIngestThread, type IngestWorkerScript } from './sqlite/ingest-thread.js';
import { migrations as sqliteMigrations } from './sqlite/migrations.js';
import type { Storage } from './storage.js';

export interface OpenStorageOptions {
  /** `postgres://…` selects PostgreSQL; absent selects SQLite. */
  databaseUrl?: string;
  /** Folder of the SQLite file (`sightline.db`). */
  dataDir?: string;
  /** Explicit SQLite file path (tests); overrides dataDir. */
  sqliteFile?: string;
  /** Run migrations before returning (default true). */
  migrate?: boolean;
  /** SQLite ingestion worker to start instead of the compiled one (tests run it from sources). */
  ingestWorker?: IngestWorkerScript;
}

/** Opens the configured storage engine and brings its schema up to date. */
export async function openStorage(options: OpenStorageOptions): Promise<Storage> {
  const url = options.databaseUrl;
  let storage: Storage;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    storage = createStorage({
      db: openPostgres({ connectionString: url }),
      sql: postgresDialect,
      migrations: postgresMigrations,
      capabilities: { singleWriter: false, sharedByInstances: true },
    });
  } else {
    const file = options.sqliteFile ?? join(options.dataDir ?? 'data', 'sightline.db');
    // Ingestion commits run on a worker thread (started on first use, after migrations).
    storage = createStorage({
      db: openSqlite({ file }),
      sql: sqliteDialect,
      migrations: sqliteMigrations,
      capabilities: { singleWriter: true, sharedByInstances: false },
      ingestThread: startIngestThread(file, options.ingestWorker),
    });
  }
  if (options.migrate !== false) {
    try {
      await storage.migrate();
    } catch (err) {
      await storage.close().catch(() => {});
      throw err;
    }
  }
  return storage;
}
