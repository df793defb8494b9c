import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Migration, SqlDialect, WritableDb } from '../db.js';
import { runMigrations, statements } from '../migrate.js';
import { openPostgres, postgresDialect } from '../postgres/driver.js';
import { migrations as postgresMigrations } from '../postgres/migrations.js';
import { openSqlite, sqliteDialect } from '../sqlite/driver.js';
import { migrations as sqliteMigrations } from '../sqlite/migrations.js';
import { createPgTestDatabase } from '../testing/postgres-fixture.js';
import { migrationsFor } from './migrations.js';

/**
 * The SQL each engine ran for migrations 1..9 when they were two hand-kept files, captured once
 * from them. Deployed databases recorded these versions, so rendering must never change them.
 */
type Engine = SqlDialect['name'];

const baseline = JSON.parse(readFileSync(new URL('./migrations.baseline.json', import.meta.url), 'utf8')) as Record<Engine, Migration[]>;

const normalise = (sql: string) => sql.replace(/\s+/g, ' ').trim();
const comparable = (ms: Migration[]) => ms.map((m) => ({ ...m, sql: normalise(m.sql) }));

interface Fresh {
  db: WritableDb;
  dialect: SqlDialect;
  migrations: Migration[];
  close(): Promise<void>;
}

/**
 * A fresh, empty database of each engine with the migrations its driver runs in production (the
 * drivers alone, not the storage on top, so this test depends only on what it tests).
 */
const fresh: Record<Engine, () => Promise<Fresh>> = {
  async sqlite() {
    const db = openSqlite({ file: ':memory:' });
    return { db, dialect: sqliteDialect, migrations: sqliteMigrations, close: () => db.close() };
  },
  async postgres() {
    const pg = await createPgTestDatabase();
    const db = openPostgres({ connectionString: pg.url });
    return {
      db,
      dialect: postgresDialect,
      migrations: postgresMigrations,
      async close() {
        await db.close();
        await pg.drop();
      },
    };
  },
};

describe.each(Object.keys(fresh) as Engine[])('schema migrations: %s', (engine) => {
  it('renders every shipped migration as the SQL the engine ran before', () => {
    const shipped = baseline[engine];
    const rendered = migrationsFor(engine).slice(0, shipped.length);
    expect(comparable(rendered)).toEqual(comparable(shipped));
  });

  it('numbers the migrations 1..n without gaps', () => {
    expect(migrationsFor(engine).map((m) => m.version)).toEqual(migrationsFor(engine).map((_, i) => i + 1));
  });

  it('migrates a fresh database to the latest version, and a second run finds nothing to do', async () => {
    const { db, dialect, migrations, close } = await fresh[engine]();
    try {
      const versions = async () => (await db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => Number(r.version));
      await runMigrations(db, dialect, migrations);
      const latest = migrationsFor(engine).map((m) => m.version);
      expect(await versions()).toEqual(latest);
      await runMigrations(db, dialect, migrations);
      expect(await versions()).toEqual(latest);
    } finally {
      await close();
    }
  });
});

describe('splitting a migration into statements', () => {
  it('splits at semicolons, but runs SQLite trigger bodies on to END and PostgreSQL function bodies on to their closing $$', () => {
    const sql = `CREATE TABLE a (x INTEGER);
CREATE TRIGGER a_note AFTER INSERT ON a BEGIN
  INSERT INTO b VALUES (new.x);
  INSERT INTO c VALUES (new.x);
END;
CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO b VALUES (NEW.x);
  RETURN NULL;
END $$;
CREATE TRIGGER a_pg AFTER INSERT ON a FOR EACH ROW WHEN (NEW.x IS DISTINCT FROM 0) EXECUTE FUNCTION f('0');
DROP TABLE d`;
    const out = statements(sql);
    expect(out).toHaveLength(5);
    expect(out[1]).toMatch(/^CREATE TRIGGER a_note[\s\S]*INSERT INTO c VALUES \(new\.x\);\nEND$/);
    expect(out[2]).toMatch(/^CREATE FUNCTION f\(\)[\s\S]*RETURN NULL;\nEND \$\$$/);
    expect(out[3]).toMatch(/^CREATE TRIGGER a_pg .* EXECUTE FUNCTION f\('0'\)$/);
    expect(out[4]).toBe('DROP TABLE d');
  });
});
