import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WritableDb } from '../db.js';
import { runMigrations } from '../migrate.js';
import { openStorage } from '../open-storage.js';
import { openPostgres, postgresDialect } from '../postgres/driver.js';
import { migrationsFor } from '../schema/migrations.js';
import { openSqlite, sqliteDialect } from '../sqlite/driver.js';
import { createPgTestDatabase, ENGINES, ingestItem, rawEvent, type Engine } from '../testing/index.js';
import { h, iso } from '../testing/store-queries.js';

const TOTALS = ['trace_totals', 'group_totals', 'session_users'];
const MIGRATION = migrationsFor('sqlite').find((m) => m.sql.includes('CREATE TABLE group_totals'))!.version;

/** A migrated database of `engine`, its storage and a second connection for raw SQL. */
async function open(engine: Engine) {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'sl-totals-'));
    const file = join(dir, 'test.db');
    return { options: { sqliteFile: file }, raw: (): WritableDb => openSqlite({ file }), dialect: sqliteDialect, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const pg = await createPgTestDatabase();
  return { options: { databaseUrl: pg.url }, raw: (): WritableDb => openPostgres({ connectionString: pg.url }), dialect: postgresDialect, drop: () => pg.drop() };
}

describe.each(ENGINES)('totals migration backfill (%s)', (engine) => {
  it('fills the totals of data stored before it as ingestion keeps them', async () => {
    const target = await open(engine);
    try {
      const storage = await openStorage(target.options);
      await storage.ingest([ingestItem('p', [
        rawEvent('trace-create', { id: 'A', sessionId: 's1', userId: 'u1', timestamp: iso(h(1)) }, h(1)),
        rawEvent('trace-create', { id: 'B', sessionId: 's1', userId: 'u2', timestamp: iso(h(2)) }, h(2)),
        rawEvent('trace-create', { id: 'C', userId: 'u1', timestamp: iso(h(3)) }, h(3)),
        rawEvent('generation-create', { id: 'a1', traceId: 'A', startTime: iso(h(1)), usageDetails: { total: 10 }, costDetails: { total: 0.1 } }, h(1)),
        rawEvent('generation-create', { id: 'b1', traceId: 'B', startTime: iso(h(2)), usageDetails: { total: 5 }, costDetails: { total: 0.2 } }, h(2)),
        rawEvent('span-create', { id: 'orphan', traceId: 'Z', startTime: iso(h(2)), level: 'ERROR' }, h(2)),
      ])]);
      const before = { sessions: await storage.sessions.summaries('p', { page: 1, limit: 10 }), users: await storage.users.list('p', { page: 1, limit: 10 }) };
      await storage.close();

      // Back to the schema before the migration, with the data in place: the totals tables gone.
      const db = target.raw();
      for (const t of TOTALS) await db.run(`DROP TABLE ${t}`);
      await db.run('DELETE FROM schema_migrations WHERE version = ?', [MIGRATION]);
      await runMigrations(db, target.dialect, migrationsFor(engine));
      expect(Number((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM trace_totals'))?.n)).toBe(3);
      await db.close();

      const reopened = await openStorage(target.options);
      const after = { sessions: await reopened.sessions.summaries('p', { page: 1, limit: 10 }), users: await reopened.users.list('p', { page: 1, limit: 10 }) };
      await reopened.close();
      expect(after).toEqual(before);
      expect(after.users.rows).toEqual([
        { userId: 'u1', traceCount: 2, firstSeen: h(1), lastSeen: h(3), totalTokens: 10, totalCost: 0.1 },
        { userId: 'u2', traceCount: 1, firstSeen: h(2), lastSeen: h(2), totalTokens: 5, totalCost: 0.2 },
      ]);
      expect(after.sessions.rows[0]).toMatchObject({ id: 's1', traceCount: 2, userIds: ['u1', 'u2'], totalTokens: 15, totalCost: 0.3 });
    } finally {
      await target.drop();
    }
  });
});

describe.each(ENGINES)('group score sums migration backfill (%s)', (engine) => {
  it('fills the sums of scores stored before it as ingestion keeps them', async () => {
    const target = await open(engine);
    const version = migrationsFor('sqlite').find((m) => m.sql.includes('CREATE TABLE group_score_sums'))!.version;
    const score = (id: string, target: Record<string, string>, value: number) => rawEvent('score-create', { id, name: 'quality', value, ...target }, h(5));
    const sorted = async (storage: Awaited<ReturnType<typeof openStorage>>) => {
      const sort = { field: 'score' as const, direction: 'desc' as const, scoreName: 'quality' };
      return { sessions: await storage.sessions.summaries('p', { page: 1, limit: 10, sort }), users: await storage.users.list('p', { page: 1, limit: 10, sort }) };
    };
    try {
      const storage = await openStorage(target.options);
      await storage.ingest([ingestItem('p', [
        rawEvent('trace-create', { id: 'A', sessionId: 's1', userId: 'u1', timestamp: iso(h(1)) }, h(1)),
        rawEvent('trace-create', { id: 'B', sessionId: 's2', userId: 'u1', timestamp: iso(h(2)) }, h(2)),
        score('a', { traceId: 'A' }, 0.1), score('b', { traceId: 'B' }, 0.7), score('own', { sessionId: 's1' }, 0.4), score('z', { traceId: 'Z' }, 1),
      ])]);
      const before = await sorted(storage);
      await storage.close();

      const db = target.raw();
      await db.run('DROP TABLE group_score_sums');
      await db.run('DELETE FROM schema_migrations WHERE version = ?', [version]);
      await runMigrations(db, target.dialect, migrationsFor(engine));
      await db.close();

      const reopened = await openStorage(target.options);
      const after = await sorted(reopened);
      await reopened.close();
      expect(after).toEqual(before);
      expect(after.sessions.rows.map((s) => [s.id, s.score])).toEqual([['s2', 0.7], ['s1', 0.25]]);
      expect(after.users.rows.map((u) => [u.userId, u.score])).toEqual([['u1', 0.4]]);
    } finally {
      await target.drop();
    }
  });
});

describe.each(ENGINES)('user days migration backfill (%s)', (engine) => {
  it('fills the daily totals of data stored before it as ingestion keeps them, a trace before 1970 included', async () => {
    const target = await open(engine);
    const version = migrationsFor('sqlite').find((m) => m.sql.includes('CREATE TABLE user_days'))!.version;
    const DAY = 86_400_000;
    const score = (id: string, traceId: string, value: number, dataType = 'NUMERIC', name = 'quality') => rawEvent('score-create', { id, traceId, name, value, dataType }, h(5));
    try {
      const storage = await openStorage(target.options);
      await storage.ingest([ingestItem('p', [
        rawEvent('trace-create', { id: 'A', userId: 'u1', timestamp: iso(h(1)) }, h(1)),
        rawEvent('trace-create', { id: 'B', userId: 'u1', timestamp: iso(h(30)) }, h(30)),
        rawEvent('trace-create', { id: 'old', userId: 'u1', timestamp: iso(-DAY - 1) }, h(1)),
        rawEvent('generation-create', { id: 'a1', traceId: 'A', startTime: iso(h(1)), usageDetails: { total: 10 }, costDetails: { total: 0.1 } }, h(1)),
        rawEvent('generation-create', { id: 'b1', traceId: 'B', startTime: iso(h(30)), usageDetails: { total: 5 }, costDetails: { total: 0.2 } }, h(30)),
        score('qa', 'A', 0.25), score('qb', 'B', 0.75), score('ok', 'A', 1, 'BOOLEAN', 'helpful'), score('qo', 'old', 0.5),
      ])]);
      const range = [-3 * DAY, h(72)] as const;
      const before = await storage.users.activity('p', 'u1', ...range);
      await storage.close();

      const db = target.raw();
      await db.run('DROP TABLE user_days');
      await db.run('DROP TABLE user_day_scores');
      await db.run('DELETE FROM schema_migrations WHERE version = ?', [version]);
      await runMigrations(db, target.dialect, migrationsFor(engine));
      await db.close();

      const reopened = await openStorage(target.options);
      const after = await reopened.users.activity('p', 'u1', ...range);
      const scan = await reopened.users.activity('p', 'u1', ...range, 'scan');
      await reopened.close();
      expect(after).toEqual(before);
      expect(after).toEqual(scan);
      expect(after.days).toEqual([
        { day: -2 * DAY, traceCount: 1, totalTokens: 0, totalCost: 0 },
        { day: h(0), traceCount: 1, totalTokens: 10, totalCost: 0.1 },
        { day: h(24), traceCount: 1, totalTokens: 5, totalCost: 0.2 },
      ]);
      expect(after.scores.map((s) => [s.day, s.name, s.mean])).toEqual([[-2 * DAY, 'quality', 0.5], [h(0), 'helpful', 1], [h(0), 'quality', 0.25], [h(24), 'quality', 0.75]]);
    } finally {
      await target.drop();
    }
  });
});
