// The search index folds case in Node (search-words.ts); PostgreSQL's ILIKE, which checks every
// candidate, folds with the database's lower(). A match the index would miss is a row ILIKE finds
// whose words the index spelled differently: that cannot happen if the index's fold is the same
// for a character and for its lower() — then every character ILIKE takes for another is folded
// alike, word character or separator alike. Checked for every code point.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WritableDb } from '../db.js';
import { openPostgres } from '../postgres/driver.js';
import { createPgTestDatabase, type PgTestDatabase } from '../testing/index.js';
import { searchWords } from './search-words.js';

/** The index's reading of a text: its folded words (nothing for a separator or a lone mark). */
const asIndexed = (text: string) => searchWords(text).map((w) => w.word).join(' ');

describe('case folding of the search index against PostgreSQL lower()', () => {
  let pg: PgTestDatabase;
  let db: WritableDb;

  beforeAll(async () => {
    pg = await createPgTestDatabase();
    db = openPostgres({ connectionString: pg.url });
  });
  afterAll(async () => {
    await db?.close();
    await pg?.drop();
  });

  // The database's default collation, and ICU's root locale where the server has ICU (a Turkish
  // collation is not covered: its lower('I') is a dotless ı, which the index folds apart from i).
  it.each(['default', 'und-x-icu'])('folds every character as it folds its lower() (collation %s)', async (collation) => {
    const exists = collation === 'default' || (await db.get('SELECT 1 AS ok FROM pg_collation WHERE collname = ?', [collation]));
    if (!exists) return;
    const rows = await db.values(`SELECT i, lower(chr(i) COLLATE "${collation}") FROM generate_series(1, 196607) i WHERE i NOT BETWEEN 55296 AND 57343`);
    expect(rows.length).toBeGreaterThan(190_000);
    const differ: string[] = [];
    let several = 0;
    for (const [i, lower] of rows) {
      const ch = String.fromCodePoint(Number(i));
      const l = String(lower);
      if (Array.from(l).length !== 1) several++;
      if (asIndexed(ch) !== asIndexed(l)) differ.push(`U+${Number(i).toString(16)} (${ch} → ${l})`);
    }
    expect(differ).toEqual([]);
    // ICU lowers İ to i + U+0307: the index reads both as "i" (marks are not spelled).
    expect(several).toBeLessThan(5);
  });
});
