import type { Migration, SqlDialect, WritableDb } from './db.js';

/**
 * Applies the pending migrations in order, all of them in one transaction together with their
 * rows in `schema_migrations`: a failing statement rolls back every migration of this run, so
 * the schema is never left between two versions. Hence a migration may only hold statements
 * that can run inside a transaction (no `CREATE INDEX CONCURRENTLY`, no `VACUUM`). Concurrent
 * starts migrate once: on PostgreSQL an advisory lock taken first serialises them, on SQLite
 * the write transaction itself (`BEGIN IMMEDIATE`); the later one then finds nothing pending.
 */
export async function runMigrations(db: WritableDb, dialect: SqlDialect, migrations: Migration[]): Promise<void> {
  await db.transaction(async (tx) => {
    // Lock first: concurrent `CREATE TABLE IF NOT EXISTS` on PostgreSQL can still collide (pg_type unique violation).
    await dialect.lockKeys(tx, ['schema_migrations']);
    await tx.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    const done = new Set((await tx.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      for (const statement of statements(m.sql)) await tx.run(statement);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, Date.now()]);
    }
  });
}

/**
 * A migration's statements, split at `;` — except inside a trigger, whose body's statements end
 * with `;` too: a `CREATE TRIGGER … BEGIN` (SQLite's) runs on to its closing `END`, and inside a dollar-quoted
 * function body (`$$ … $$`), which runs on to its closing `$$`.
 */
export function statements(sql: string): string[] {
  const out: string[] = [];
  let pending = '';
  for (const part of sql.split(';')) {
    pending = pending ? `${pending};${part}` : part;
    if (/^\s*CREATE\s+TRIGGER\b/i.test(pending) && /\bBEGIN\b/i.test(pending) && !/\bEND\s*$/i.test(pending)) continue;
    if ((pending.match(/\$\$/g)?.length ?? 0) % 2 === 1) continue;
    if (pending.trim()) out.push(pending.trim());
    pending = '';
  }
  if (pending.trim()) out.push(pending.trim());
  return out;
}
