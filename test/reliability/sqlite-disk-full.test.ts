// A full disk under SQLite: the server answers 503 with Retry-After (never a 500, never a hang,
// never a crash), keeps serving reads, loses nothing it acknowledged, leaves a database that
// passes `PRAGMA integrity_check`, and takes writes again once space is freed.
// The small disk is a tmpfs mounted for this test (needs root / CAP_SYS_ADMIN, as on CI here);
// where mounting is not allowed the test is skipped and says why.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { ackedIds, send, startServer, traceBatch } from './support/server.js';

const mnt = mkdtempSync(join(tmpdir(), 'sl-diskfull-'));
let mounted = false;
let why = '';
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m,mode=0755', 'tmpfs', mnt], { stdio: 'pipe' });
  mounted = true;
} catch (err) {
  why = String((err as { stderr?: Buffer }).stderr ?? err).trim();
}

afterAll(() => {
  if (mounted) execFileSync('umount', ['-l', mnt]);
  rmSync(mnt, { recursive: true, force: true });
});

/** Writes 64 KiB blocks to `file` until the file system says ENOSPC. */
function fillDisk(file: string): number {
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, block);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return written;
}

it.skipIf(!mounted)(`SQLite on a full disk: 503 + Retry-After, no corruption, writes resume after space is freed${mounted ? '' : ` (skipped: mount failed: ${why})`}`, async () => {
  const dataDir = join(mnt, 'data');
  mkdirSync(dataDir);
  const server = await startServer({ dataDir });
  const acked = new Set<string>();
  const statuses = new Map<number, number>();
  const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
  try {
    for (let b = 0; b < 5; b++) {
      const res = await send(server.url, 'POST', '/api/public/ingestion', { body: { batch: traceBatch(`before-${b}`, 50, 2000) } });
      expect(res.status, JSON.stringify(res.body)).toBe(207);
      for (const id of ackedIds(res)) acked.add(id);
    }

    const ballast = join(mnt, 'ballast');
    fillDisk(ballast);

    // Keep writing until the database itself has no room left: a few commits may still fit in
    // pages SQLite had already allocated. Every answer is a 207 (then stored) or a 503 with Retry-After.
    let refused = 0;
    for (let b = 0; b < 200 && refused < 3; b++) {
      const res = await send(server.url, 'POST', '/api/public/ingestion', { body: { batch: traceBatch(`full-${b}`, 50, 2000) }, limitMs: 30_000 });
      count(res.status);
      expect([207, 503], JSON.stringify(res.body)).toContain(res.status);
      if (res.status === 503) {
        refused++;
        expect(Number(res.retryAfter)).toBeGreaterThan(0);
        expect(res.body.message).toMatch(/the disk is full; SQLITE_FULL/);
      }
      for (const id of ackedIds(res)) acked.add(id);
    }
    expect(refused, `statuses: ${JSON.stringify([...statuses])}`).toBe(3);

    // The legacy single-entity routes go through the same path; writes outside ingestion
    // (a custom model, a deletion) say the same instead of failing with a 500.
    const writes = [
      await send(server.url, 'POST', '/api/public/traces', { body: { name: 'full' } }),
      await send(server.url, 'POST', '/api/public/models', { body: { modelName: 'full-disk', matchPattern: '(?i)^full-disk$', unit: 'TOKENS', inputPrice: 1 } }),
      await send(server.url, 'DELETE', `/api/public/traces/${[...acked][1]}`),
    ];
    for (const res of writes) {
      expect(res.status, JSON.stringify(res.body)).toBe(503);
      expect(res.body.message).toMatch(/the disk is full; SQLITE_FULL/);
      expect(Number(res.retryAfter)).toBeGreaterThan(0);
    }
    // Reads and readiness keep working while writes are refused.
    expect((await send(server.url, 'GET', '/api/public/traces?limit=5')).status).toBe(200);
    expect((await send(server.url, 'GET', `/api/public/traces/${[...acked][0]}`)).status).toBe(200);
    expect((await send(server.url, 'GET', '/api/public/health')).status).toBe(200);

    rmSync(ballast);
    // Writes resume by themselves; a client that honours Retry-After gets through.
    let resumed = false;
    for (let attempt = 0; attempt < 20 && !resumed; attempt++) {
      const res = await send(server.url, 'POST', '/api/public/ingestion', { body: { batch: traceBatch(`after-${attempt}`, 50, 2000) } });
      count(res.status);
      expect([207, 503]).toContain(res.status);
      if (res.status === 207) {
        resumed = true;
        for (const id of ackedIds(res)) acked.add(id);
      } else {
        await new Promise((r) => setTimeout(r, Number(res.retryAfter ?? 1) * 1000));
      }
    }
    expect(resumed).toBe(true);
  } finally {
    expect(await server.stop(), server.output()).toEqual({ code: 0, signal: null });
  }
  expect(server.output()).not.toMatch(/unhandled error|"level":"error","msg":"unhandled/);

  const db = new Database(join(dataDir, 'sightline.db'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const stored = new Set((db.prepare('SELECT id FROM traces').all() as { id: string }[]).map((r) => r.id));
    expect([...acked].filter((id) => !stored.has(id))).toEqual([]);
  } finally {
    db.close();
  }
}, 180_000);
