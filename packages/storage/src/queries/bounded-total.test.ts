import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, WritableDb } from '../db.js';
import { runMigrations } from '../migrate.js';
import { listObservations } from '../observations/list-observations.js';
import { openPostgres, postgresDialect } from '../postgres/driver.js';
import { migrations as pgMigrations } from '../postgres/migrations.js';
import { listScores } from '../scores/list-scores.js';
import { openSqlite, sqliteDialect } from '../sqlite/driver.js';
import { migrations as sqliteMigrations } from '../sqlite/migrations.js';
import { createPgTestDatabase, ENGINES, type PgTestDatabase } from '../testing/index.js';
import { EXACT_TOTAL_LIMIT, pageTotal } from './bounded-total.js';

const GENERATIONS = EXACT_TOTAL_LIMIT + 2_000;
const SPANS = 3_000;
const SCORES = EXACT_TOTAL_LIMIT + 1_500;
const T0 = Date.UTC(2026, 0, 1);

async function insert(db: Db, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  for (let from = 0; from < rows.length; from += 400) {
    const part = rows.slice(from, from + 400);
    await db.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${part.map((r) => `(${r.map(() => '?').join(', ')})`).join(', ')}`, part.flat());
  }
}

/** Generations and scores evenly over time (one a second), spans beside them, and a second project. */
async function seed(db: Db): Promise<void> {
  const observation = (project: string, i: number, type: string) =>
    [project, `${type}-${i}`, type, 'default', T0 + i * 1000, '{}', 'DEFAULT', '{}', '{}', '{}', T0, T0, 'k'];
  await insert(db, 'observations', ['project_id', 'id', 'type', 'environment', 'start_time', 'metadata', 'level', 'usage_details', 'provided_cost_details', 'cost_details', 'created_at', 'updated_at', 'last_event_key'], [
    ...Array.from({ length: GENERATIONS }, (_, i) => observation('p', i, 'GENERATION')),
    ...Array.from({ length: SPANS }, (_, i) => observation('p', i, 'SPAN')),
    ...Array.from({ length: 50 }, (_, i) => observation('other', i, 'GENERATION')),
  ]);
  await insert(db, 'traces', ['project_id', 'id', 'timestamp', 'user_id', 'environment', 'metadata', 'public', 'bookmarked', 'tags', 'created_at', 'updated_at', 'last_event_key'],
    Array.from({ length: 100 }, (_, i) => ['p', `t${i}`, T0, `u${i % 10}`, 'default', '{}', false, false, '[]', T0, T0, 'k']));
  await insert(db, 'scores', ['project_id', 'id', 'name', 'value', 'data_type', 'source', 'trace_id', 'timestamp', 'metadata', 'environment', 'created_at', 'updated_at', 'last_event_key'],
    Array.from({ length: SCORES }, (_, i) => ['p', `s${i}`, i % 2 === 0 ? 'quality' : 'speed', 1, 'NUMERIC', 'API', `t${i % 100}`, T0 + i * 1000, '{}', 'default', T0, T0, 'k']));
}

describe('pageTotal', () => {
  const estimate = { count: 20_000, estimated: true };
  it('keeps an exact total as it is', () => {
    expect(pageTotal({ count: 120, estimated: false }, 100, 50, 20)).toEqual({ count: 120, estimated: false });
  });
  it('reaches past a page that has a next row, and is exact on the last page', () => {
    expect(pageTotal({ count: 1_000, estimated: true }, 5_000, 50, 51)).toEqual({ count: 5_051, estimated: true });
    expect(pageTotal(estimate, 100, 50, 51)).toEqual(estimate);
    expect(pageTotal(estimate, 30_000, 50, 7)).toEqual({ count: 30_007, estimated: false });
    expect(pageTotal(estimate, 40_000, 50, 0)).toEqual(estimate);
  });
});

// Public v1 lists count their matches exactly up to EXACT_TOTAL_LIMIT and estimate beyond it, on
// both engines; the rows of every page stay exact.
describe.each(ENGINES)('list totals past the exact bound (%s)', (engine) => {
  let db: WritableDb;
  let pg: PgTestDatabase | undefined;
  const d = engine === 'sqlite' ? sqliteDialect : postgresDialect;
  beforeAll(async () => {
    if (engine === 'sqlite') {
      db = openSqlite({ file: ':memory:' });
      await runMigrations(db, sqliteDialect, sqliteMigrations);
    } else {
      pg = await createPgTestDatabase();
      db = openPostgres({ connectionString: pg.url, max: 1 });
      await runMigrations(db, postgresDialect, pgMigrations);
    }
    await seed(db);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await pg?.drop();
  });

  it('estimates the observations total past the bound, within 2 %, and marks it', async () => {
    const page = await listObservations(db, d, 'p', { page: 1, limit: 50, type: 'GENERATION' });
    expect(page.totalEstimated).toBe(true);
    expect(Math.abs(page.totalItems - GENERATIONS) / GENERATIONS).toBeLessThan(0.02);
    expect(page.rows.map((o) => o.id)).toEqual(Array.from({ length: 50 }, (_, i) => `GENERATION-${GENERATIONS - 1 - i}`));
  });

  it('counts exactly up to the bound, with no mark', async () => {
    const spans = await listObservations(db, d, 'p', { page: 1, limit: 50, type: 'SPAN' });
    expect(spans).toMatchObject({ totalItems: SPANS });
    expect(spans.totalEstimated).toBeUndefined();
    const since = await listObservations(db, d, 'p', { page: 1, limit: 50, type: 'GENERATION', fromStartTime: T0 + (GENERATIONS - 700) * 1000 });
    expect(since.totalItems).toBe(700);
    expect(since.totalEstimated).toBeUndefined();
  });

  it('gives the exact total on the last page of an estimated list, and a total past every page that has a next one', async () => {
    const last = await listObservations(db, d, 'p', { page: Math.ceil(GENERATIONS / 100), limit: 100, type: 'GENERATION' });
    expect(last.totalItems).toBe(GENERATIONS);
    expect(last.totalEstimated).toBeUndefined();
    expect(last.rows.at(-1)?.id).toBe('GENERATION-0');
    const before = await listObservations(db, d, 'p', { page: Math.ceil(GENERATIONS / 100) - 1, limit: 100, type: 'GENERATION' });
    expect(before.totalEstimated).toBe(true);
    expect(before.totalItems).toBeGreaterThan((Math.ceil(GENERATIONS / 100) - 1) * 100);
  });

  it('estimates the scores total past the bound, and counts a filter on the trace exactly', async () => {
    const all = await listScores(db, d, 'p', { page: 1, limit: 50 });
    expect(all.totalEstimated).toBe(true);
    expect(Math.abs(all.totalItems - SCORES) / SCORES).toBeLessThan(0.02);
    expect(all.rows[0]).toMatchObject({ id: `s${SCORES - 1}`, trace: { userId: `u${(SCORES - 1) % 10}` } });
    const user = await listScores(db, d, 'p', { page: 1, limit: 50, userId: 'u3' });
    expect(user.totalItems).toBe(SCORES / 10);
    expect(user.totalEstimated).toBeUndefined();
    const name = await listScores(db, d, 'p', { page: 1, limit: 50, name: 'speed' });
    expect(name).toMatchObject({ totalItems: SCORES / 2 });
  });
});
