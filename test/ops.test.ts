import { openStorage } from '@sightline/storage';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { basic, runCli, startServer, until } from './support/index.js';

const root = mkdtempSync(join(tmpdir(), 'sightline-ops-'));
const env = { SIGHTLINE_INIT_PUBLIC_KEY: 'pk-lf-ops', SIGHTLINE_INIT_SECRET_KEY: 'sk-lf-ops', SIGHTLINE_METRICS_TOKEN: 'ops-metrics-token' };
const auth = basic(env.SIGHTLINE_INIT_PUBLIC_KEY, env.SIGHTLINE_INIT_SECRET_KEY);

afterAll(() => rmSync(root, { recursive: true, force: true }));

it('serves /metrics to loopback clients, and to proxied ones only with the token', async () => {
  const dir = join(root, 'metrics');
  const server = await startServer({ dataDir: dir, env });
  try {
    const ingest = await fetch(`${server.url}/api/public/ingestion`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ batch: [{ id: 'e1', type: 'trace-create', timestamp: new Date().toISOString(), body: { id: 'ops-t1' } }] }),
    });
    expect(ingest.status).toBe(207);

    const local = await fetch(`${server.url}/metrics`);
    expect(local.status).toBe(200);
    const text = await local.text();
    expect(text).toContain('# TYPE sightline_ingestion_queue_events gauge');
    expect(text).toMatch(/^sightline_ingestion_events_accepted_total 1$/m);
    expect(text).toMatch(/^sightline_ingestion_requests_total\{status="207"\} 1$/m);
    expect(text).toMatch(/^sightline_database_ready 1$/m);

    // Relayed by a proxy on this host: the peer is loopback but the client is not.
    const proxied = { 'x-forwarded-for': '203.0.113.9' };
    expect((await fetch(`${server.url}/metrics`, { headers: proxied })).status).toBe(403);
    expect((await fetch(`${server.url}/metrics`, { headers: { ...proxied, authorization: 'Bearer wrong' } })).status).toBe(403);
    expect((await fetch(`${server.url}/metrics`, { headers: { ...proxied, authorization: `Bearer ${env.SIGHTLINE_METRICS_TOKEN}` } })).status).toBe(200);
  } finally {
    server.child.kill('SIGKILL');
    await server.exited;
  }
});

it('`sightline backup` copies the live SQLite database consistently while ingestion continues', async () => {
  const dir = join(root, 'backup');
  const dest = join(root, 'backup-copy', 'sightline.db');
  const server = await startServer({ dataDir: dir, env });
  const acknowledged: string[] = [];
  let stop = false;
  let failures = 0;
  const writer = async (w: number) => {
    for (let r = 0; !stop; r++) {
      const ids = Array.from({ length: 50 }, (_, i) => `bk-${w}-${r}-${i}`);
      const res = await fetch(`${server.url}/api/public/ingestion`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          batch: ids.map((id) => ({ id: `e-${id}`, type: 'trace-create', timestamp: new Date().toISOString(), body: { id, name: 'backup', input: 'x'.repeat(300) } })),
        }),
      });
      if (res.status === 207) acknowledged.push(...ids);
      else failures++;
      await res.body?.cancel();
    }
  };
  try {
    const writers = [0, 1, 2].map(writer);
    expect(await until(() => acknowledged.length >= 3000, 60_000), 'load before the backup').toBe(true);
    const before = [...acknowledged];
    const result = await runCli(['backup', dest], { SIGHTLINE_DATA_DIR: dir });
    const duringOrAfter = acknowledged.length;
    // Keep writing until more is acknowledged, to show the server went on working.
    expect(await until(() => acknowledged.length > duringOrAfter, 60_000), 'acknowledged after the backup').toBe(true);
    stop = true;
    await Promise.all(writers);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/backed up to/);
    expect(failures).toBe(0);
    // Requests were acknowledged while the backup ran (the server did not pause) and after it.
    expect(duringOrAfter).toBeGreaterThan(before.length);
    expect(acknowledged.length).toBeGreaterThan(duringOrAfter);

    const raw = new Database(dest, { readonly: true });
    try {
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      raw.close();
    }
    const copy = await openStorage({ sqliteFile: dest });
    try {
      const [project] = await copy.projects.list();
      const missing: string[] = [];
      for (const id of before) if (!(await copy.traces.get(project.id, id))) missing.push(id);
      expect(missing).toEqual([]);
    } finally {
      await copy.close();
    }

    // A second backup to the same file is refused rather than overwriting it.
    const again = await runCli(['backup', dest], { SIGHTLINE_DATA_DIR: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    expect(existsSync(dest)).toBe(true);
  } finally {
    stop = true;
    server.child.kill('SIGKILL');
    await server.exited;
  }
});
