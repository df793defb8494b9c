import pg from 'pg';
import type { Db, Row, SqlDialect, WritableDb } from '../db.js';

// BIGINT columns hold epoch milliseconds, well inside the safe integer range.
pg.types.setTypeParser(20, (v: string) => Number(v));
pg.types.setTypeParser(1700, (v: string) => Number(v));

export interface PostgresOptions {
  connectionString: string;
  /** Pool size; default 10. */
  max?: number;
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

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  jsonText: (column, key) => ({ sql: `(${column}::jsonb ->> ?)`, params: [key] }),
  ilike: 'ILIKE',
  maxParams: 60000,
  bool: (v) => v,
  async lockKeys(tx, keys) {
    if (keys.length === 0) return;
    const ids = [...new Set(keys.map((k) => lockId(k)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    // unnest keeps array order, so locks are taken in sorted order and writers cannot deadlock.
    await tx.all('SELECT pg_advisory_xact_lock(x) FROM unnest(?::bigint[]) AS t(x)', [ids.map(String)]);
  },
  monthStartMs: (expr) =>
    `CAST(EXTRACT(EPOCH FROM date_trunc('month', to_timestamp((${expr}) / 1000) AT TIME ZONE 'UTC')) * 1000 AS BIGINT)`,
  jsonEntries: (column, alias) => `jsonb_each_text(${column}::jsonb) AS ${alias}(key, value)`,
};

function on(client: pg.Pool | pg.PoolClient): Db {
  return {
    async all<T = Row>(sql: string, params: unknown[] = []) {
      return (await client.query(toPositional(sql), params)).rows as T[];
    },
    async get<T = Row>(sql: string, params: unknown[] = []) {
      return (await client.query(toPositional(sql), params)).rows[0] as T | undefined;
    },
    async run(sql: string, params: unknown[] = []) {
      return { changes: (await client.query(toPositional(sql), params)).rowCount ?? 0 };
    },
  };
}

/** Opens a PostgreSQL connection pool. Transactions take a dedicated client from the pool. */
export function openPostgres(options: PostgresOptions): WritableDb {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10 });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return {
    ...on(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(on(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
