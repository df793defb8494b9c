import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '@sightline/storage';
import { ingestItem, rawEvent } from '@sightline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/index.js';

// `sightline export` and `sightline exports` read the database directly (SQLite here).
describe('sightline export CLI', () => {
  let dir: string;
  const at = '2024-06-01T00:00:00Z';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sightline-export-cli-'));
    expect((await runCli(['projects', 'create', 'shop', '--data-dir', dir])).code).toBe(0);
    const storage = await openStorage({ dataDir: dir });
    try {
      const [shop] = (await storage.projects.list()).filter((p) => p.name === 'shop');
      await storage.ingest([
        ingestItem(shop.id, [
          rawEvent('trace-create', { id: 'c1', timestamp: '2024-06-01T10:00:00Z', userId: 'alice', name: 'chat' }, at),
          rawEvent('span-create', { id: 'c1-span', traceId: 'c1', startTime: '2024-06-01T10:00:00Z' }, at),
          rawEvent('trace-create', { id: 'c2', timestamp: '2024-06-02T10:00:00Z', userId: 'bob', name: '-danger' }, at),
        ]),
      ]);
    } finally {
      await storage.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the filtered traces to a file with a progress line on stderr', async () => {
    const out = join(dir, 'alice.jsonl');
    const r = await runCli(['export', '--project', 'shop', '--user-id', 'alice', '--out', out, '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('exported 1 / 1 traces');
    expect(r.stdout).toContain(`exported 1 traces to ${out}`);
    const docs = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(docs.map((d) => d.id)).toEqual(['c1']);
    expect(docs[0].observations.map((o: { id: string }) => o.id)).toEqual(['c1-span']);
    // An existing file is never overwritten.
    expect((await runCli(['export', '--project', 'shop', '--out', out, '--data-dir', dir])).code).toBe(1);
  });

  it('writes CSV to stdout without --out', async () => {
    const r = await runCli(['export', '--project', 'shop', '--format', 'csv', '--from-timestamp', '2024-06-02T00:00:00Z', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\r\n').filter(Boolean);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(/^c2,2024-06-02T10:00:00\.000Z,'-danger,bob,/);
  });

  it('names the flag of a bad value and refuses an unknown project', async () => {
    const bad = await runCli(['export', '--project', 'shop', '--from-timestamp', 'last tuesday', '--data-dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--from-timestamp: must be an ISO-8601 datetime');
    const format = await runCli(['export', '--project', 'shop', '--format', 'xlsx', '--data-dir', dir]);
    expect(format.stderr).toContain('--format: must be one of jsonl, csv');
    expect((await runCli(['export', '--project', 'nope', '--data-dir', dir])).stderr).toContain('--project: no project with id or name nope');
  });

  it('schedules an export and runs it into the blob store, then finds nothing new', async () => {
    const scheduled = await runCli(['exports', 'schedule', '--project', 'shop', '--frequency', 'hourly', '--data-dir', dir]);
    expect(scheduled.code, scheduled.stderr).toBe(0);
    expect(scheduled.stdout).toMatch(/\thourly\tjsonl\tnext /);
    // The window ends SIGHTLINE_EXPORT_SETTLE_MS (default a minute) before now; 0 takes everything committed.
    const env = { SIGHTLINE_EXPORT_SETTLE_MS: '0' };
    const run = await runCli(['exports', 'run', '--project', 'shop', '--data-dir', dir], env);
    expect(run.code, run.stderr).toBe(0);
    const key = /^2 traces written to (\S+)$/m.exec(run.stdout)?.[1];
    expect(key, run.stdout).toMatch(/^exports\/[^/]+\/traces_19700101T000000Z_\d{8}T\d{6}Z\.jsonl$/);
    expect(readFileSync(join(dir, 'blobs', key!), 'utf8').trim().split('\n')).toHaveLength(2);
    const again = await runCli(['exports', 'run', '--project', 'shop', '--data-dir', dir], env);
    expect(again.stdout).toContain('nothing changed since the last run; no object written');
    expect((await runCli(['exports', 'show', '--project', 'shop', '--data-dir', dir])).stdout).toMatch(/last run \S+ ok, 0 traces/);
  });
});
