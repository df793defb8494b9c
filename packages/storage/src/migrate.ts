import type { Migration, SqlDialect, WritableDb } from './db.js';

/**
 * Applies pending migrations in order, each in its own transaction, recording them in
 * `schema_migrations`. On PostgreSQL an advisory lock keeps concurrently starting instances
 * from migrating twice.
 */
export async function runMigrations(db: WritableDb, dialect: SqlDialect, migrations: Migration[]): Promise<void> {
  await db.transaction(async (tx) => {
    // Lock first: concurrent `CREATE TABLE IF NOT EXISTS` on PostgreSQL can still collide (pg_type unique violation).
    await dialect.lockKeys(tx, ['schema_migrations']);
    await tx.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    const done = new Set((await tx.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      for (const statement of m.sql.split(';').map((s) => s.trim()).filter(Boolean)) await tx.run(statement);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, Date.now()]);
    }
  });
}
