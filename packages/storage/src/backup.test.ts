import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from './open-storage.js';
import { ingestItem, openTestStorage, rawEvent } from './testing/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sl-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('storage.backup', () => {
  it('SQLite: writes a consistent, complete copy to a new file and refuses to overwrite one', async () => {
    const { storage, close } = await openTestStorage('sqlite');
    try {
      await storage.projects.create({ id: 'p1', name: 'p1', createdAt: Date.now() });
      await storage.ingest([ingestItem('p1', [rawEvent('trace-create', { id: 'b-t1', name: 'kept' }, Date.now())])]);
      const dest = join(dir, 'nested', 'copy.db');
      await storage.backup(dest);
      await expect(storage.backup(dest)).rejects.toThrow(/already exists/);

      const raw = new Database(dest, { readonly: true });
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      raw.close();
      const copy = await openStorage({ sqliteFile: dest });
      try {
        expect((await copy.traces.get('p1', 'b-t1'))?.name).toBe('kept');
      } finally {
        await copy.close();
      }
    } finally {
      await close();
    }
  });

  it('PostgreSQL: tells the user to use pg_dump', async () => {
    const { storage, close } = await openTestStorage('postgres');
    try {
      await expect(storage.backup(join(dir, 'pg.db'))).rejects.toThrow(/pg_dump/);
    } finally {
      await close();
    }
  });
});
