import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPrivateCluster, findPgBin } from '../../../../test/support/private-pg.js';

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface PgTestDatabase {
  /** Connection string of a fresh, empty database. */
  url: string;
  /** Terminates its connections and drops it. */
  drop(): Promise<void>;
}

let adminUrl: Promise<string> | undefined;
let counter = 0;

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

const reachable = (url: string): Promise<boolean> =>
  withClient(url, (c) => c.query('SELECT 1')).then(
    () => true,
    () => false,
  );

/**
 * Starts a throwaway cluster owned by this process (see test/support/private-pg.ts) and
 * removes it when the process exits.
 */
async function startPrivateCluster(): Promise<string> {
  if (!findPgBin()) throw new Error('no PostgreSQL reachable and no initdb/pg_ctl found under /usr/lib/postgresql; set DATABASE_URL');
  const cluster = await createPrivateCluster();
  process.once('exit', () => cluster.destroySync());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cluster.destroySync();
      process.kill(process.pid, signal);
    });
  }
  await cluster.start();
  return cluster.url;
}

/**
 * The admin connection: DATABASE_URL when set, else a local server on the default port, else
 * (when that does not answer) a private cluster started once per process.
 */
function getAdminUrl(): Promise<string> {
  adminUrl ??= (async () => {
    const candidate = process.env.DATABASE_URL || DEFAULT_ADMIN_URL;
    return (await reachable(candidate)) ? candidate : startPrivateCluster();
  })();
  return adminUrl;
}

/** Creates an empty database with a unique name for one test file or suite. */
export async function createPgTestDatabase(): Promise<PgTestDatabase> {
  const admin = await getAdminUrl();
  const name = `sl_test_${process.pid}_${++counter}_${randomBytes(4).toString('hex')}`;
  await withClient(admin, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await withClient(admin, async (c) => {
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await c.query(`DROP DATABASE IF EXISTS "${name}"`);
      });
    },
  };
}
