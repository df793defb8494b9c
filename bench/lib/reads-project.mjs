// A seeded reads-benchmark project (reads-data.mjs) kept on disk, so a benchmark that times a
// few reads can seed once and rerun: SQLite in `dir`, or a PostgreSQL database whose URL is
// written to `dir/postgres-url`. The server starts once on a fresh database (migrations, the
// "default" project, the bench key pair, the UI owner), then the project is bulk-seeded
// (reads-seed.mjs) and PostgreSQL vacuumed and analyzed, as autovacuum would.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPostgres, postgresDialect } from '../../packages/storage/dist/postgres/driver.js';
import { openSqlite, sqliteDialect } from '../../packages/storage/dist/sqlite/driver.js';
import { createDatabase } from './pg-database.mjs';
import { createReadsWorkload } from './reads-data.mjs';
import { seedProject } from './reads-seed.mjs';
import { AUTH, startServer } from './server-process.mjs';

export const BENCH_USER = { email: 'bench-owner@example.com', password: 'bench owner password' };
export const SERVER_ENV = { SIGHTLINE_INIT_USER_EMAIL: BENCH_USER.email, SIGHTLINE_INIT_USER_PASSWORD: BENCH_USER.password };

/**
 * The project in `dir` (seeding it first when `dir/project.json` is absent): {projectId, now,
 * traces, counts, where} — `where` is what startServer takes ({dataDir} or {databaseUrl}).
 */
export async function seededProject({ dir, engine, traces, onProgress }) {
  const meta = join(dir, 'project.json');
  if (existsSync(meta)) return JSON.parse(readFileSync(meta, 'utf8'));
  mkdirSync(dir, { recursive: true });
  const pg = engine === 'postgres' ? await createDatabase() : null;
  const where = pg ? { databaseUrl: pg.url } : { dataDir: dir };
  const server = await startServer({ ...where, env: SERVER_ENV });
  const projects = await (await fetch(`${server.url}/api/public/projects`, { headers: { authorization: AUTH } })).json();
  const projectId = projects.data[0].id;
  await server.stop();

  const now = Date.now();
  const workload = createReadsWorkload({ traces, now });
  const db = pg ? openPostgres({ connectionString: pg.url, queryTimeoutMillis: 3_600_000 }) : openSqlite({ file: join(dir, 'sightline.db') });
  const t0 = performance.now();
  const counts = await seedProject(db, pg ? postgresDialect : sqliteDialect, projectId, workload, { onProgress });
  if (pg) await db.run('VACUUM (ANALYZE)');
  await db.close();
  const project = { projectId, now, traces, engine, counts, seedSeconds: (performance.now() - t0) / 1000, where };
  writeFileSync(meta, JSON.stringify(project, null, 1));
  return project;
}

/** Opens the project's database with the storage driver of `dist` (default: this checkout's build). */
export function openProjectDb(project) {
  return project.where.databaseUrl
    ? { db: openPostgres({ connectionString: project.where.databaseUrl }), dialect: postgresDialect }
    : { db: openSqlite({ file: join(project.where.dataDir, 'sightline.db') }), dialect: sqliteDialect };
}
