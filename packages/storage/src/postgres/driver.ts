import { AppError } from '@sightline/core';
import pg from 'pg';
import type { Db, Row, SqlDialect, WritableDb } from '../db.js';
import { lockLevel } from '../entity-key.js';
import { isConflict, translateError } from './errors.js';
import { concat, joinArms } from '../queries/where.js';
import { preparedOf } from './prepared.js';

// BIGINT columns hold epoch milliseconds, well inside the safe integer range.
pg.types.setTypeParser(20, (v: string) => Number(v));
pg.types.setTypeParser(1700, (v: string) => Number(v));

export interface PostgresOptions {
  connectionString: string;
  /** Pool size; default 10. */
  max?: number;
  /** How long to wait for a connection (a free pool slot, or a new connection to the server); default 5 s. */
  connectionTimeoutMillis?: number;
  /** Client-side bound on one statement, so a stalled server cannot hold a request forever; default 30 s. */
  queryTimeoutMillis?: number;
  /**
   * Whether statements marked preparable (prepared.ts) are named, so each connection parses and
   * plans them once; default true unless SIGHTLINE_PG_PREPARED_STATEMENTS is `0`. Off for a
   * pooler that cannot carry named statements across transactions (PgBouncer in transaction
   * mode before 1.21, or without `max_prepared_statements`).
   */
  preparedStatements?: boolean;
  /**
   * Whether PostgreSQL may plan parallel workers for this pool's statements; default false unless
   * SIGHTLINE_PG_PARALLEL_QUERY is `1`. Sightline's reads walk indexes a page at a time and run
   * many small statements at once (the dashboard sends 24 together): starting workers for each
   * costs more than it saves — the 7-day dashboard at 10 million observations took ≈ 195 ms
   * median with them and ≈ 140 ms without (bench/RESULTS.md). Each new connection runs
   * `SET max_parallel_workers_per_gather = 0`.
   */
  parallelQuery?: boolean;
}

/** Rewrites `?` placeholders to `$1..$n`. Generic SQL never has `?` inside literals. */
export function toPositional(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

/** 64-bit lock id of an entity key (FNV-1a), as a decimal string for `pg_advisory_xact_lock(bigint)`. */
function lockId(key: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < key.length; i++) {
    h ^= BigInt(key.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return BigInt.asIntN(64, h);
}

/**
 * Advisory locks are kept in PostgreSQL's shared lock table, which has a fixed size
 * (about max_locks_per_transaction × max_connections entries, 6,400 by default) and fails every transaction
 * needing a slot when full. So a transaction never takes one lock per key when it has many:
 * keys hash into BUCKETS coarse locks per level, and
 * - a call with at most FINE_MAX keys of a level takes each key's bucket shared, then the keys
 *   exclusively (small commits run side by side unless they share a key);
 * - a call with more takes the keys' buckets exclusively, and no key locks.
 * Two transactions locking one key always conflict (key × key, bucket shared × exclusive, or
 * bucket × bucket), and one call holds at most 2 × FINE_MAX or BUCKETS locks per level: with
 * FINE_MAX at half of BUCKETS, as many as the coarse path. FINE_MAX was 32, which sent every
 * commit of a 100-event batch (about 70 entity keys) down the coarse path, where two such commits
 * almost always share one of their ~70 buckets out of 1,024: concurrent commits ran one at a time.
 * Locks are taken level by level (entities, then sessions, then trace-score keys: entity-key.ts), buckets before
 * keys, each in ascending order, the order every transaction follows, so none can deadlock.
 */
const BUCKETS = 1024;
const FINE_MAX = BUCKETS / 2;
/** First half of the two-int advisory lock ids of buckets, one per level (entity-key.ts) (a space apart from the bigint key locks). */
const BUCKET_SPACE = [0x53474c30, 0x53474c31, 0x53474c32];

const ascending = (a: bigint | number, b: bigint | number) => (a < b ? -1 : a > b ? 1 : 0);

/** The coarse bucket of a lock id. */
const bucketOf = (id: bigint) => Number(BigInt.asUintN(64, id) % BigInt(BUCKETS));

/**
 * The lock statements of one level's keys: its buckets (shared when it also locks the keys
 * themselves, exclusive when there are too many keys to lock one by one), then its keys; each
 * `unnest` keeps array order, so locks are taken in sorted order.
 */
function levelLocks(space: number, keys: string[]): { sql: string; params: unknown[] }[] {
  const ids = [...new Set(keys.map((k) => lockId(k)))].sort(ascending);
  const buckets = [...new Set(ids.map(bucketOf))].sort(ascending);
  const fine = ids.length <= FINE_MAX;
  const out: { sql: string; params: unknown[] }[] = [{ sql: `SELECT ${fine ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock'}(?::int, x) FROM unnest(?::int[]) AS t(x)`, params: [space, buckets] }];
  if (fine) out.push({ sql: 'SELECT pg_advisory_xact_lock(x) FROM unnest(?::bigint[]) AS t(x)', params: [ids.map(String)] });
  return out;
}

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  jsonText: (column, key) => ({ sql: `(${column}::jsonb ->> ?)`, params: [key] }),
  ilike: 'ILIKE',
  maxParams: 60000,
  bool: (v) => v,
  async lockKeys(tx, keys) {
    const parts = ([0, 1, 2] as const).flatMap((level) => {
      const own = keys.filter((k) => lockLevel(k) === level);
      return own.length > 0 ? levelLocks(BUCKET_SPACE[level], own) : [];
    });
    if (parts.length === 0) return;
    // One round trip: a UNION ALL runs its arms one after the other, in the order written, so
    // the levels, and within each its buckets before its keys, are still locked in order.
    await tx.all(parts.map((p) => `SELECT 1 AS locked FROM (${p.sql}) l`).join(' UNION ALL '), parts.flatMap((p) => p.params));
  },
  monthStartMs: (expr) =>
    `CAST(EXTRACT(EPOCH FROM date_trunc('month', to_timestamp((${expr}) / 1000) AT TIME ZONE 'UTC')) * 1000 AS BIGINT)`,
  jsonEntries: (column, alias) => `jsonb_each_text(${column}::jsonb) AS ${alias}(key, value)`,
  claimRows: ' FOR UPDATE SKIP LOCKED',
  mergeOrdered: (arms, orderBy, armLimit) =>
    concat('SELECT * FROM (', ...joinArms(arms.map((arm, i) => concat('SELECT * FROM (', arm, ` ORDER BY ${orderBy} LIMIT ?) a${i}`, { sql: '', params: [armLimit] }))), `) u ORDER BY ${orderBy}`),
};

function on(client: pg.Pool | pg.PoolClient, prepare: boolean): Db {
  const query = async (sql: string, params: unknown[], arrays = false) => {
    try {
      // A text marked preparable (prepared.ts) is parsed and planned once per connection.
      const p = prepare ? preparedOf(sql, toPositional) : undefined;
      const text = p ? p.text : toPositional(sql);
      return arrays ? await client.query({ name: p?.name, text, values: params, rowMode: 'array' }) : await client.query({ name: p?.name, text, values: params });
    } catch (err) {
      throw translateError(err);
    }
  };
  return {
    async all<T = Row>(sql: string, params: unknown[] = []) {
      return (await query(sql, params)).rows as T[];
    },
    async values(sql: string, params: unknown[] = []) {
      return (await query(sql, params, true)).rows as unknown[][];
    },
    async get<T = Row>(sql: string, params: unknown[] = []) {
      return (await query(sql, params)).rows[0] as T | undefined;
    },
    async run(sql: string, params: unknown[] = []) {
      return { changes: (await query(sql, params)).rowCount ?? 0 };
    },
  };
}

const CONFLICT_ATTEMPTS = 8;

/**
 * Runs a transaction again when PostgreSQL aborted it for a deadlock or a serialization
 * failure (after a short random pause, so the two sides do not collide again); still failing
 * after a few attempts, it is a 503 with Retry-After, never a 500. Every `transaction` body is
 * a function of its inputs and the database, so running it again is safe.
 */
async function retryConflicts<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isConflict(err) || n >= CONFLICT_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** Math.min(n, 5)));
    }
  }
}

/**
 * A client class whose connections run `setup` before the pool hands them out (a failure fails
 * the connection, as a refused login would).
 */
function clientWith(setup: string): typeof pg.Client {
  return class extends pg.Client {
    // The pool connects with a callback; a caller of its own may await the promise.
    override connect(): Promise<pg.Client>;
    override connect(callback: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): void;
    override connect(callback?: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): Promise<pg.Client> | void {
      const ready = super.connect().then(async () => {
        await this.query(setup);
        return this;
      });
      if (!callback) return ready;
      const cb = callback as (err: Error | null, c?: pg.Client) => void;
      ready.then((c) => cb(null, c), (err: Error) => cb(err));
    }
  };
}

/** Opens a PostgreSQL connection pool. Transactions take a dedicated client from the pool. */
export function openPostgres(options: PostgresOptions): WritableDb {
  const parallel = options.parallelQuery ?? process.env.SIGHTLINE_PG_PARALLEL_QUERY === '1';
  const pool = new pg.Pool({
    Client: parallel ? pg.Client : clientWith('SET max_parallel_workers_per_gather = 0'),
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    query_timeout: options.queryTimeoutMillis ?? 30_000,
    keepAlive: true,
  });
  const prepare = options.preparedStatements ?? process.env.SIGHTLINE_PG_PREPARED_STATEMENTS !== '0';
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // pg-pool listens for a client's errors only while the client is idle or inside pool.query, and
  // only once; an 'error' event at any other moment (a second one, or one while checked out) would
  // be unhandled and end the process. Every client keeps a listener of its own for its lifetime:
  // the failure still reaches the statement in flight, and a broken client is discarded on release.
  pool.on('connect', (client) => client.on('error', () => {}));

  async function once<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const client = await pool.connect().catch((err: unknown) => {
      throw translateError(err);
    });
    // pg-pool removes its error listener from a checked-out client, so a connection that drops
    // between two statements (server shutdown) would be an unhandled 'error' event and kill the
    // process. Note it instead: the next statement fails, and the client is discarded.
    let broken: unknown;
    const onError = (err: unknown) => {
      broken ??= err;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await fn(on(client, prepare));
      await client.query('COMMIT');
      return result;
    } catch (caught) {
      const err = translateError(caught);
      // On a dead or stalled connection ROLLBACK could only wait for the timeout again; the
      // server rolls back by itself when the discarded connection closes.
      if (broken === undefined && !(err instanceof AppError && err.code === 'storage_unavailable')) {
        await client.query('ROLLBACK').catch((e: unknown) => (broken = e));
      } else {
        broken ??= err;
      }
      throw err;
    } finally {
      client.removeListener('error', onError);
      client.release(broken === undefined ? undefined : broken instanceof Error ? broken : true);
    }
  }
  return {
    ...on(pool, prepare),
    transaction: (fn) => retryConflicts(() => once(fn)),
    async close() {
      await pool.end();
    },
  };
}
