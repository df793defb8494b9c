import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Row, SqlDialect, WritableDb } from '../db.js';
import { runMigrations } from '../migrate.js';
import { migrationsFor } from '../schema/migrations.js';
import { openPostgres, postgresDialect } from '../postgres/driver.js';
import { migrations as pgMigrations } from '../postgres/migrations.js';
import { openSqlite, sqliteDialect } from '../sqlite/driver.js';
import { migrations as sqliteMigrations } from '../sqlite/migrations.js';
import { createPgTestDatabase, ENGINES, type PgTestDatabase } from '../testing/index.js';
import type { ObservationTableSortField } from '../observations/observation-store.js';
import { listObservationTable } from '../observations/observation-table.js';
import { listSessionSummaries } from '../sessions/list-session-summaries.js';
import { listUsers } from '../users/list-users.js';
import { searchTraces } from '../traces/search-traces.js';

const ROWS = 20_000;
const T0 = Date.UTC(2026, 0, 1);

/** Seeds `ROWS` observations: most with an end, tokens and a cost, a share without each; a second project beside. */
async function seed(db: Db, engine: SqlDialect['name']): Promise<void> {
  const columns = 'project_id, id, type, environment, start_time, end_time, metadata, level, usage_details, provided_cost_details, cost_details, total_cost, created_at, updated_at, last_event_key';
  for (let from = 0; from < ROWS; from += 500) {
    const values: unknown[] = [];
    const rows: string[] = [];
    for (let i = from; i < Math.min(ROWS, from + 500); i++) {
      const start = T0 + i * 1000;
      const usage = i % 7 === 0 ? {} : { input: i % 300, output: i % 50, total: (i % 300) + (i % 50) };
      rows.push('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
      values.push(i % 10 === 0 ? 'other' : 'p', `o${i}`, i % 4 === 0 ? 'SPAN' : 'GENERATION', 'default', start, i % 5 === 0 ? null : start + (i % 977),
        '{}', 'DEFAULT', JSON.stringify(usage), '{}', '{}', i % 3 === 0 ? null : (i % 101) / 1e5, start, start, 'k');
    }
    await db.run(`INSERT INTO observations (${columns}) VALUES ${rows.join(', ')}`, values);
  }
  await seedScores(db, engine);
  await db.run('ANALYZE', []);
}

/** Traces of 500 users and 700 sessions, their sessions and user totals, and scores: one in ten of the name sorted by. */
async function seedScores(db: Db, engine: SqlDialect['name']): Promise<void> {
  const insert = async (table: string, columns: string, rows: unknown[][]) => {
    for (let from = 0; from < rows.length; from += 400) {
      const part = rows.slice(from, from + 400);
      await db.run(`INSERT INTO ${table} (${columns}) VALUES ${part.map((r) => `(${r.map(() => '?').join(', ')})`).join(', ')}`, part.flat());
    }
  };
  const traces = Array.from({ length: 5000 }, (_, i) => ['p', `t${i}`, T0 + i, `s${i % 700}`, `u${i % 500}`, 'default', '{}', false, false, '[]', T0, T0, 'k']);
  await insert('traces', 'project_id, id, timestamp, session_id, user_id, environment, metadata, public, bookmarked, tags, created_at, updated_at, last_event_key', traces);
  await insert('sessions', 'project_id, id, environment, created_at', Array.from({ length: 700 }, (_, i) => ['p', `s${i}`, 'default', T0 + i]));
  await insert('group_totals', 'project_id, kind, id, trace_count, first_trace, last_trace, observation_count, error_count, total_tokens, cost_hi, cost_lo',
    Array.from({ length: 500 }, (_, i) => ['p', 'user', `u${i}`, 10, T0, T0 + i, 0, 0, 0, 0, 0]));
  const scores = Array.from({ length: 8000 }, (_, i) => ['p', `q${i}`, i % 10 === 0 ? 'quality' : `other-${i % 7}`, (i % 13) / 13, 'NUMERIC', 'API', `t${i % 5000}`, T0, '{}', 'default', T0, T0, 'k']);
  await insert('scores', 'project_id, id, name, value, data_type, source, trace_id, timestamp, metadata, environment, created_at, updated_at, last_event_key', scores);
  // The per-group score means ingestion keeps, filled as the migration that added them backfills them.
  const backfill = migrationsFor(engine).flatMap((m) => m.sql.split(';')).map((q) => q.trim()).filter((q) => q.startsWith('INSERT INTO group_score_sums '));
  expect(backfill).toHaveLength(1);
  await db.run(backfill[0], []);
}

interface Plan {
  explain(sql: string, params: unknown[]): Promise<string[]>;
  /** A plan line that means the whole match was sorted before the first row came out. */
  fullSort: RegExp;
}

const PLANS: Record<SqlDialect['name'], Plan & { scoresScan: RegExp }> = {
  sqlite: { fullSort: /USE TEMP B-TREE FOR ORDER BY/, scoresScan: /SCAN (s|scores|ms)\b(?! USING)/, explain: () => Promise.resolve([]) },
  postgres: { fullSort: /^\s*(->\s+)?(Incremental )?Sort\s+\(/, scoresScan: /Seq Scan on scores/, explain: () => Promise.resolve([]) },
};

// A page of the observations table sorted by a figure costs its offset plus its rows: the rows with a
// value come in the order of the figure's index, both directions, on both engines (no sort of the
// whole match, which NULLS LAST made PostgreSQL do) — the tokens sort included (observations_tokens).
describe.each(ENGINES)('sort query plans on a seeded database (%s)', (engine) => {
  let db: WritableDb;
  let pg: PgTestDatabase | undefined;
  const d = engine === 'sqlite' ? sqliteDialect : postgresDialect;
  const plan = PLANS[engine];
  beforeAll(async () => {
    if (engine === 'sqlite') {
      db = openSqlite({ file: ':memory:' });
      await runMigrations(db, sqliteDialect, sqliteMigrations);
      plan.explain = async (sql, params) => (await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail);
    } else {
      pg = await createPgTestDatabase();
      db = openPostgres({ connectionString: pg.url, max: 1 });
      await runMigrations(db, postgresDialect, pgMigrations);
      plan.explain = async (sql, params) => (await db.all<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).map((r) => r['QUERY PLAN']);
    }
    await seed(db, engine);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await pg?.drop();
  });

  const recorder = () => {
    const seen: { sql: string; params: unknown[] }[] = [];
    const recording: Db = {
      all: <T = Row>(sql: string, params: unknown[]) => (seen.push({ sql, params }), db.all<T>(sql, params)),
      get: <T = Row>(sql: string, params: unknown[]) => (seen.push({ sql, params }), db.get<T>(sql, params)),
      run: (sql, params) => db.run(sql, params),
      values: (sql, params) => db.values(sql, params),
    };
    return { seen, recording };
  };

  // Sessions and users sorted by a score name read that name's kept means (group_score_sums, migration 29), never the project's scores.
  it('sessions and users sorted by a score walk the kept means by index, without a sort', async () => {
    const { seen, recording } = recorder();
    const users = await listUsers(recording, d, 'p', { page: 1, limit: 50, sort: { field: 'score', direction: 'desc', scoreName: 'quality' } });
    expect(users.rows).toHaveLength(50);
    const sessions = await listSessionSummaries(recording, d, 'p', { page: 1, limit: 50, sort: { field: 'score', direction: 'asc', scoreName: 'quality' } });
    expect(sessions.rows).toHaveLength(50);
    const reads = seen.filter((q) => q.sql.includes('ORDER BY x.mean'));
    expect(reads.length).toBeGreaterThanOrEqual(2);
    for (const q of reads) {
      const lines = await plan.explain(q.sql, q.params);
      expect(lines.filter((l) => plan.scoresScan.test(l)), lines.join('\n')).toEqual([]);
      expect(lines.join('\n'), q.sql).not.toMatch(/\bscores\b/);
      // SQLite walks the means' index in order; PostgreSQL's planner sorts the 20-odd rows of this small seed itself (on 20k traces it walked group_score_sums_mean backward: bench/RESULTS.md, the group score sums entry).
      if (engine === 'sqlite') expect(lines.join('\n'), q.sql).toMatch(/group_score_sums_mean/);
      else expect(lines.join('\n'), q.sql).toMatch(/group_score_sums/);
    }
  });

  // The ordered read yields the page's ids; its rows are then read by primary key, one read.
  const expectPageByKey = async (seen: { sql: string; params: unknown[] }[]) => {
    expect(seen).toHaveLength(2);
    expect(seen[1].sql).toMatch(/ o\.id IN \(/);
    expect((await plan.explain(seen[1].sql, seen[1].params)).join('\n')).toMatch(/sqlite_autoindex_observations_1|observations_pkey/);
  };

  const fields: ObservationTableSortField[] = ['latency', 'cost', 'tokens'];
  for (const field of fields) {
    for (const direction of ['asc', 'desc'] as const) {
      it(`${field} ${direction}: the first page reads the figure's index in order, no sort`, async () => {
        const seen: { sql: string; params: unknown[] }[] = [];
        const recording: Db = {
          all: <T = Row>(sql: string, params: unknown[]) => (seen.push({ sql, params }), db.all<T>(sql, params)),
          get: <T = Row>(sql: string, params: unknown[]) => (seen.push({ sql, params }), db.get<T>(sql, params)),
          run: (sql, params) => db.run(sql, params),
          values: (sql, params) => db.values(sql, params),
        };
        const page = await listObservationTable(recording, d, 'p', { page: 3, limit: 50, sort: { field, direction } });
        expect(page.rows).toHaveLength(50);
        await expectPageByKey(seen);
        const lines = await plan.explain(seen[0].sql, seen[0].params);
        expect(lines.filter((l) => plan.fullSort.test(l)), lines.join('\n')).toEqual([]);
        expect(lines.join('\n')).toMatch(new RegExp(`observations_${field}`));
      });

      it(`${field} ${direction} of one type: reads that type's run of the index, no sort`, async () => {
        const { seen, recording } = recorder();
        const page = await listObservationTable(recording, d, 'p', { page: 1, limit: 50, types: ['GENERATION'], sort: { field, direction } });
        expect(page.rows.map((r) => r.type)).toEqual(Array(50).fill('GENERATION'));
        await expectPageByKey(seen);
        const lines = await plan.explain(seen[0].sql, seen[0].params);
        expect(lines.filter((l) => plan.fullSort.test(l)), lines.join('\n')).toEqual([]);
        expect(lines.join('\n')).toMatch(new RegExp(`observations_${field}`));
      });
    }
  }

  // Every page of a sort, filtered or not, is the slice of the whole match sorted in memory: rows
  // with the figure by figure then id, the rest by id (both in the sort's direction), across the
  // change from the figure's index to the rows without a figure.
  it('pages of the latency, cost and tokens sorts are exact slices of the sorted match', async () => {
    const all = await db.all<{ id: string; type: string; start_time: number; end_time: number | null; total_cost: number | null; usage_details: string }>(
      "SELECT id, type, start_time, end_time, total_cost, usage_details FROM observations WHERE project_id = 'p'", [],
    );
    const value: Record<'latency' | 'cost' | 'tokens', (r: (typeof all)[number]) => number | null> = {
      latency: (r) => (r.end_time === null ? null : Number(r.end_time) - Number(r.start_time)),
      cost: (r) => (r.total_cost === null ? null : Number(r.total_cost)),
      tokens: (r) => (JSON.parse(r.usage_details) as { total?: number }).total ?? null,
    };
    const limit = 2500;
    for (const types of [undefined, ['GENERATION' as const], ['SPAN' as const, 'GENERATION' as const]]) {
      for (const field of ['latency', 'cost', 'tokens'] as const) {
        for (const direction of ['asc', 'desc'] as const) {
          const sign = direction === 'asc' ? 1 : -1;
          const byId = (a: { id: string }, b: { id: string }) => sign * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
          const match = all.filter((r) => !types || types.includes(r.type as never));
          const valued = match.filter((r) => value[field](r) !== null).sort((a, b) => sign * (value[field](a)! - value[field](b)!) || byId(a, b));
          const expected = [...valued, ...match.filter((r) => value[field](r) === null).sort(byId)].map((r) => r.id);
          const got: string[] = [];
          for (let page = 1; ; page++) {
            const res = await listObservationTable(db, d, 'p', { page, limit, types, sort: { field, direction } });
            got.push(...res.rows.map((r) => r.id));
            if (!res.hasMore) break;
          }
          expect(got, `${field} ${direction} ${String(types)}`).toEqual(expected);
        }
      }
    }
  }, 120_000);

  // A page after a cursor enters the sort's index at the cursor's value. Written as an OR alone, the
  // condition left SQLite walking trace_totals_latency from its start, skipping every trace before
  // the cursor: the second page of the latency sort grew with the project (bench/RESULTS.md).
  // SQLite's plan only: PostgreSQL's depends on the table's statistics (this seed has no
  // trace_totals rows); bench/reads.mjs times that page at 1M traces there.
  for (const direction of engine === 'sqlite' ? (['asc', 'desc'] as const) : []) {
    it(`traces sorted by latency ${direction}: a page after a cursor seeks the index at the cursor`, async () => {
      const { seen, recording } = recorder();
      await searchTraces(recording, d, 'p', { sort: { field: 'latency', direction }, limit: 50, cursor: { value: 1000, id: 't1' } });
      const read = seen.find((q) => q.sql.includes('FROM trace_totals x'));
      expect(read).toBeDefined();
      const lines = (await plan.explain(read!.sql, read!.params)).join('\n');
      expect(lines, read!.sql).toMatch(/trace_totals_latency \(project_id=\? AND latency_ms[<>]\?\)/);
    });
  }
});
