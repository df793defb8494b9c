import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WritableDb } from '../db.js';
import { openStorage } from '../open-storage.js';
import { PG_COLUMN_TYPES } from '../postgres/column-types.js';
import { openPostgres } from '../postgres/driver.js';
import { isPreparable } from '../postgres/prepared.js';
import { createPgTestDatabase, type PgTestDatabase } from '../testing/index.js';
import { insertStatements, runAll, selectByIds } from './bulk-sql.js';

// Bulk writes on PostgreSQL as one array per column (bulk-sql.ts) against the migrated schema:
// what they store must equal what the VALUES lists (SQLite's form, run here on PostgreSQL) store.
const PG = { name: 'postgres', maxParams: 60000 } as const;
const LISTS = { name: 'sqlite', maxParams: 60000 } as const;

let pgdb: PgTestDatabase;
let db: WritableDb;
beforeAll(async () => {
  pgdb = await createPgTestDatabase();
  await (await openStorage({ databaseUrl: pgdb.url })).close();
  db = openPostgres({ connectionString: pgdb.url });
});
afterAll(async () => {
  await db?.close();
  await pgdb?.drop();
});

describe('PG_COLUMN_TYPES', () => {
  it('names each listed column with its type in the migrated schema', async () => {
    const rows = await db.all<{ table_name: string; column_name: string; data_type: string }>(
      'SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema()',
    );
    const actual = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r.data_type]));
    const declared = Object.entries(PG_COLUMN_TYPES).flatMap(([table, cols]) => Object.entries(cols).map(([c, t]) => [`${table}.${c}`, t]));
    expect(declared.length).toBeGreaterThan(100);
    expect(declared.filter(([k, t]) => actual.get(k) !== t)).toEqual([]);
  });
});

const OBS = ['project_id', 'id', 'trace_id', 'type', 'start_time', 'end_time', 'input', 'output', 'prompt_version', 'total_cost', 'start_time_explicit', 'usage_details', 'provided_cost_details', 'cost_details', 'created_at', 'updated_at', 'last_event_key', 'metadata', 'merge_state', 'environment', 'level'];

const awkward = [
  '{"q":"he said \\"hi\\", then {left}","path":"C:\\\\tmp"}',
  'NULL',
  '',
  'comma, {brace} "quote" \\backslash',
  'Grüße — 東京 — 🚀 — e\u0301',
  'lone \ud800 surrogate',
];
const LARGE = `${'x'.repeat(999_990)} end 🚀`;

/** An observations row: `i` picks the awkward text (row 6: a megabyte), the numbers and which columns are NULL. */
function row(projectId: string, i: number): unknown[] {
  const text = i === 6 ? LARGE : awkward[i % awkward.length];
  return [
    projectId, `o-${i}`, i % 3 === 0 ? null : `t-${i % 17}`, 'GENERATION', 1_700_000_000_000 + i, i % 4 === 0 ? null : Number.MAX_SAFE_INTEGER - i,
    i % 5 === 0 ? null : text, text, i % 2 === 0 ? null : -i, [0.1, 1e-300, -2.5e300, null, 0][i % 5], i % 2 === 0,
    '{"total":12}', '{}', '{"total":0.5}', i, i + 1, `k${i}`, JSON.stringify({ n: i, t: text.slice(0, 40) }), i % 6 === 0 ? null : `{"m":${i}}`, 'default', 'DEFAULT',
  ];
}

async function stored(projectId: string): Promise<unknown[][]> {
  return db.values(`SELECT ${OBS.slice(1).join(', ')} FROM observations WHERE project_id = ? ORDER BY created_at`, [projectId]);
}

describe('insertStatements on PostgreSQL: one array per column', () => {
  const upsert = { keys: ['project_id', 'id'], action: 'update' } as const;

  for (const n of [1, 7, 2500]) {
    it(`stores ${n} row(s) as the VALUES lists do: NULLs, JSON, large texts, unicode, numbers, booleans`, async () => {
      const [a, b] = [`arrays-${n}`, `lists-${n}`];
      const arrays = insertStatements(PG, 'observations', OBS, Array.from({ length: n }, (_, i) => row(a, i)), upsert);
      const lists = insertStatements(LISTS, 'observations', OBS, Array.from({ length: n }, (_, i) => row(b, i)), upsert);
      expect(arrays).toHaveLength(1);
      expect(arrays[0].params).toHaveLength(OBS.length);
      expect(isPreparable(arrays[0].sql)).toBe(true);
      expect(lists.length).toBe(Math.ceil((n * OBS.length) / 60000));
      await db.transaction(async (tx) => {
        for (const s of [...arrays, ...lists]) await tx.run(s.sql, s.params);
      });
      const [x, y] = [await stored(a), await stored(b)];
      expect(x).toHaveLength(n);
      expect(x).toEqual(y);
      // And the values are the ones sent (the lone surrogate is sent as U+FFFD, as any parameter).
      expect(x.map((r) => r.slice(0, 10))).toEqual(
        Array.from({ length: n }, (_, i) => row(a, i).slice(1, 11).map((v) => (typeof v === 'string' ? v.replace('\ud800', '\ufffd') : v))),
      );
    });
  }

  it('has one text whatever the number of rows, and upserts on a key conflict', async () => {
    const one = insertStatements(PG, 'observations', OBS, [row('u', 0)], upsert);
    const many = insertStatements(PG, 'observations', OBS, [row('u', 1), row('u', 2)], upsert);
    expect(one[0].sql).toBe(many[0].sql);
    await db.transaction(async (tx) => {
      for (const s of [...one, ...many]) await tx.run(s.sql, s.params);
    });
    const changed = row('u', 1);
    changed[7] = 'replaced';
    // Run it twice on the pool's connections: the second time as the prepared statement.
    for (let k = 0; k < 2; k++) {
      await db.transaction(async (tx) => {
        for (const s of insertStatements(PG, 'observations', OBS, [changed], upsert)) await tx.run(s.sql, s.params);
      });
    }
    const outputs = await db.all<{ id: string; output: string }>("SELECT id, output FROM observations WHERE project_id = 'u' ORDER BY id");
    expect(outputs.map((r) => [r.id, r.output])).toEqual([['o-0', awkward[0]], ['o-1', 'replaced'], ['o-2', awkward[2]]]);
  });

  it('falls back to VALUES lists for a table or value it has no array for', () => {
    expect(isPreparable(insertStatements(PG, 'no_such_table', ['a'], [['x']])[0].sql)).toBe(false);
    const withObject = insertStatements(PG, 'trace_tags', ['project_id', 'tag', 'trace_id'], [['p', { not: 'a string' }, 't']]);
    expect(withObject[0].sql).toContain('VALUES');
  });

  it('writes several tables and reads the rows as they were in one prepared statement (runAll), twice', async () => {
    for (const k of [1, 2]) {
      const rows = await db.transaction((tx) =>
        runAll(tx, PG, [
          ...insertStatements(PG, 'trace_tags', ['project_id', 'tag', 'trace_id'], [['r', `tag${k}`, 't1'], ['r', `tag${k}`, 't2']], { keys: ['project_id', 'tag', 'trace_id'], action: 'ignore' }),
          ...insertStatements(PG, 'sessions', ['project_id', 'id', 'environment', 'created_at', 'first_trace_timestamp', 'first_trace_id'], [['r', 's1', `env${k}`, 1, 2, 't1']], { keys: ['project_id', 'id'], action: 'update' }),
        ], [{ sql: "SELECT environment FROM sessions WHERE project_id = 'r'", params: [] }]),
      );
      expect(rows.map((r) => r.environment)).toEqual(k === 1 ? [] : ['env1']);
    }
    expect((await db.all("SELECT tag FROM trace_tags WHERE project_id = 'r' ORDER BY tag, trace_id")).map((r) => r.tag)).toEqual(['tag1', 'tag1', 'tag2', 'tag2']);
    expect(await selectByIds<{ id: string; environment: string }>(db, PG, 'sessions', 'r', ['s1', 'missing'])).toMatchObject([{ id: 's1', environment: 'env2' }]);
    expect(await selectByIds(db, PG, 'sessions', 'r', [])).toEqual([]);
  });
});

describe('named statements on PostgreSQL connections', () => {
  const tags = (tag: string) => insertStatements(PG, 'trace_tags', ['project_id', 'tag', 'trace_id'], [['n', tag, 't']], { keys: ['project_id', 'tag', 'trace_id'], action: 'ignore' });
  const preparedOnConnection = (prepared: boolean, tag: string) => {
    const own = openPostgres({ connectionString: pgdb.url, max: 1, preparedStatements: prepared });
    return own
      .transaction(async (tx) => {
        for (const s of tags(tag)) await tx.run(s.sql, s.params);
        return tx.all<{ statement: string }>('SELECT statement FROM pg_prepared_statements');
      })
      .finally(() => own.close());
  };

  it('prepares a preparable text on the connection, and can be turned off (poolers without named statements)', async () => {
    const on = await preparedOnConnection(true, 'on');
    expect(on.map((r) => r.statement)).toEqual([expect.stringContaining('INSERT INTO trace_tags (project_id, tag, trace_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])')]);
    expect(await preparedOnConnection(false, 'off')).toEqual([]);
    expect((await db.all("SELECT tag FROM trace_tags WHERE project_id = 'n' ORDER BY tag")).map((r) => r.tag)).toEqual(['off', 'on']);
  });
});
