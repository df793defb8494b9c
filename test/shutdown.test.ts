import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { basic, startServer } from './support/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sightline-shutdown-'));
const env = { SIGHTLINE_INIT_PUBLIC_KEY: 'pk-lf-shutdown', SIGHTLINE_INIT_SECRET_KEY: 'sk-lf-shutdown' };
const auth = basic(env.SIGHTLINE_INIT_PUBLIC_KEY, env.SIGHTLINE_INIT_SECRET_KEY);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const batch = (r: number) =>
  Array.from({ length: 200 }, (_, i) => ({
    id: `e-${r}-${i}`,
    type: 'trace-create',
    timestamp: new Date().toISOString(),
    body: { id: `t-${r}-${i}`, name: 'shutdown', input: 'x'.repeat(500) },
  }));

it('SIGTERM lets in-flight ingestion finish: every acknowledged event is stored and the process exits 0', async () => {
  const server = await startServer({ dataDir: dir, env });
  const requests = Array.from({ length: 20 }, (_, r) =>
    fetch(`${server.url}/api/public/ingestion`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ batch: batch(r) }),
    }).then(
      async (res) => ({ r, status: res.status, body: (await res.json()) as { successes: { id: string }[] } }),
      () => ({ r, status: 0, body: { successes: [] } }),
    ),
  );
  // Once the first request is answered the rest are on their way: ask the server to stop while they are being committed.
  await Promise.race(requests);
  server.child.kill('SIGTERM');
  const results = await Promise.all(requests);
  expect((await server.exited).code).toBe(0);

  // A request is either answered 207 (then all of it is stored) or refused outright; never cut off half-way.
  for (const res of results) expect([0, 207]).toContain(res.status);
  const acknowledged = results.filter((res) => res.status === 207);
  expect(acknowledged.length).toBeGreaterThan(0);

  const again = await startServer({ dataDir: dir, env });
  try {
    for (const { r } of acknowledged) {
      const page = await fetch(`${again.url}/api/public/traces/t-${r}-199`, { headers: { authorization: auth } });
      expect(page.status).toBe(200);
    }
    const list = await fetch(`${again.url}/api/public/traces?limit=1`, { headers: { authorization: auth } });
    const total = ((await list.json()) as { meta: { totalItems: number } }).meta.totalItems;
    expect(total).toBe(acknowledged.length * 200);
  } finally {
    again.child.kill('SIGKILL');
    await again.exited;
  }
});
