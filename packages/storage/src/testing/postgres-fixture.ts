import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
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

/** The newest PostgreSQL installed under /usr/lib/postgresql. */
function findBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const dir = versions.map((v) => join(root, v, 'bin')).find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')));
  if (!dir) throw new Error(`no PostgreSQL reachable and no initdb/pg_ctl found under ${root}; set DATABASE_URL`);
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

/**
 * Starts a throwaway cluster owned by this process (trust auth, socket in its own folder) and
 * stops it when the process exits. PostgreSQL refuses to run as root, so as root the cluster
 * belongs to the `postgres` OS user.
 */
async function startPrivateCluster(): Promise<string> {
  const bin = findBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'sl-pg-'));
  const asRoot = process.getuid?.() === 0;
  let prefix: string[] = [];
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    prefix = ['runuser', '-u', 'postgres', '--'];
  }
  const pgRun = (tool: string, args: string[]) => {
    const argv = [...prefix, join(bin, tool), ...args];
    return run(argv[0], argv.slice(1));
  };
  const data = join(dir, 'data');
  await pgRun('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--no-locale']);
  const port = await freePort();
  const stop = () => {
    try {
      const argv = [...prefix, join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop'];
      execFileSync(argv[0], argv.slice(1), { stdio: 'ignore' });
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop();
      process.kill(process.pid, signal);
    });
  }
  // -l sends the server's output to a file, so pg_ctl returns instead of holding our pipes open.
  await pgRun('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
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
