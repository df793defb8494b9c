import { beforeAll, describe, expect, it } from 'vitest';
import { postgresDialect } from '../postgres/driver.js';
import { sqliteDialect } from '../sqlite/driver.js';
import { describeEachEngine } from '../testing/each-engine.js';
import { rawEvent } from '../testing/index.js';
import { h, iso, tq } from '../testing/store-queries.js';
import { compileFilter } from './filter-sql.js';

/** Traces whose metadata key `k` holds values of every JSON type, and look-alikes elsewhere. */
const METADATA: [string, Record<string, unknown>][] = [
  ['str', { k: 'ap-south-1' }],
  ['num', { k: 5 }],
  ['numText', { k: '5' }],
  ['nullText', { k: 'null' }],
  ['jsonNull', { k: null }],
  ['array', { k: ['ap-south-1'] }],
  ['nested', { n: { k: 'ap-south-1' } }],
  ['otherKey', { j: 'ap-south-1' }],
  ['quoted', { k: '"ap-south-1"' }],
  ['str2', { k: 'ap-south-1', plan: 'pro' }],
];

const eq = (value: string) => [{ type: 'stringObject' as const, column: 'metadata', key: 'k', operator: '=', value }];

// `metadata.k = v` of the public traces list: PostgreSQL tests a plain string as containment
// (the GIN index of migration 30); the matches must be those of the key's text on both engines.
describeEachEngine('traces filtered by a metadata value', (ctx) => {
  const p = ctx.newProject();
  beforeAll(async () => {
    await ctx.ingest(p, ...METADATA.map(([id, metadata], i) => rawEvent('trace-create', { id, metadata, timestamp: iso(h(i)) }, h(i))));
  });
  const ids = async (value: string) => (await ctx.storage.traces.list(p, tq({ filter: eq(value) }))).rows.map((t) => t.id).sort();

  it('matches a string value exactly: not inside an array, another key or a nested object', async () => {
    expect(await ids('ap-south-1')).toEqual(['str', 'str2']);
    expect(await ids('"ap-south-1"')).toEqual(['quoted']);
    expect(await ids('ap-south')).toEqual([]);
  });

  it('matches the text of a number, and "null" only as a string', async () => {
    expect(await ids('5')).toEqual(['num', 'numText']);
    expect(await ids('null')).toEqual(['nullText']);
  });

  it('counts the matches exactly', async () => {
    const r = await ctx.storage.traces.list(p, tq({ filter: eq('ap-south-1'), limit: 1 }));
    expect([r.totalItems, r.totalEstimated]).toEqual([2, false]);
  });
});

describe('the metadata condition on PostgreSQL', () => {
  it('is containment for a plain string and the key text otherwise', () => {
    const [plain] = compileFilter('traces', eq('ap-south-1'), postgresDialect, 't');
    expect(plain).toEqual({ sql: 't.metadata::jsonb @> CAST(? AS jsonb)', params: ['{"k":"ap-south-1"}'] });
    for (const value of ['5', 'true', '[1]', '{"a":1}']) expect(compileFilter('traces', eq(value), postgresDialect, 't')[0].sql).not.toContain('@>');
    // Observations' metadata has no such index; SQLite has no containment.
    expect(compileFilter('observations', eq('ap-south-1'), postgresDialect, 'o')[0].sql).not.toContain('@>');
    expect(compileFilter('traces', eq('ap-south-1'), sqliteDialect, 't')[0].sql).not.toContain('@>');
  });
});
