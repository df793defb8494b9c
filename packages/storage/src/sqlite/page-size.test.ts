import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openWriter, SQLITE_PAGE_SIZE } from './driver.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'sl-page-size-'));
  dirs.push(d);
  return join(d, 'sightline.db');
};

describe('SQLite page size', () => {
  it('is 8 KiB for a new database file', () => {
    const file = fresh();
    const w = openWriter(file);
    w.exec('CREATE TABLE t (x)');
    w.close();
    expect(new Database(file, { readonly: true }).pragma('page_size', { simple: true })).toBe(SQLITE_PAGE_SIZE);
  });

  it('stays as it is for an existing database, whose rows read and write as before', () => {
    const file = fresh();
    const old = new Database(file);
    old.pragma('page_size = 4096');
    old.pragma('journal_mode = WAL');
    old.exec("CREATE TABLE t (x); INSERT INTO t VALUES ('kept')");
    old.close();
    const w = openWriter(file);
    w.prepare('INSERT INTO t VALUES (?)').run('added');
    expect(w.pragma('page_size', { simple: true })).toBe(4096);
    expect(w.prepare('SELECT x FROM t ORDER BY rowid').pluck().all()).toEqual(['kept', 'added']);
    w.close();
  });
});
