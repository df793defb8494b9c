// Durability of the 207: a trace acknowledged in a 207 `successes` array survives `kill -9` of
// the server mid-flight, on both engines, and the server restarts cleanly on the same data.
// Runs the built CLI (`npm test` builds first). Asserts behaviour only — no timing assertions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { basic, createPgTestDatabase, startServer as startSharedServer, type PgTestDatabase, type ServerProcess as Server } from './support/index.js';

const PUBLIC_KEY = 'pk-lf-crash';
const SECRET_KEY = 'sk-lf-crash';
const AUTH = basic(PUBLIC_KEY, SECRET_KEY);
const CLIENTS = 3;
const BATCH = 10;
/** Answered batches per round before the kill; more are in flight when it lands. */
const LOAD_BATCHES = 60;
const KILLS = 3;

/** `sightline serve` with the fixed key pair: SQLite in `dataDir`, or PostgreSQL at `databaseUrl`. */
const startServer = (dataDir: string, databaseUrl: string | undefined): Promise<Server> =>
  startSharedServer({ dataDir, databaseUrl, env: { SIGHTLINE_INIT_PUBLIC_KEY: PUBLIC_KEY, SIGHTLINE_INIT_SECRET_KEY: SECRET_KEY } });

/**
 * `CLIENTS` loops POSTing batches of trace-create events until the server goes away. Returns
 * the trace ids whose events came back in a 207's `successes`, grouped by user id.
 */
async function sendUntilKilled(server: Server, round: number, acked: Map<string, Set<string>>): Promise<number> {
  let stop = false;
  let badAnswers = 0;
  let sent = 0;
  let loaded!: () => void;
  const underLoad = new Promise<void>((resolve) => (loaded = resolve));
  const client = async (c: number) => {
    const userId = `crash-r${round}-c${c}`;
    const ids = acked.get(userId) ?? new Set<string>();
    acked.set(userId, ids);
    for (let b = 0; !stop; b++) {
      const batch = Array.from({ length: BATCH }, (_, i) => {
        const traceId = `${userId}-b${b}-${i}`;
        return {
          id: `ev-${traceId}`,
          type: 'trace-create',
          timestamp: new Date().toISOString(),
          body: { id: traceId, name: 'crash-test', userId, input: { round, client: c, batch: b } },
        };
      });
      let res: Response;
      try {
        res = await fetch(`${server.url}/api/public/ingestion`, {
          method: 'POST',
          headers: { authorization: AUTH, 'content-type': 'application/json' },
          body: JSON.stringify({ batch }),
        });
      } catch {
        return; // the server is gone: whatever was in flight was never acknowledged
      }
      if (++sent === LOAD_BATCHES) loaded();
      let body: { successes?: { id: string }[]; errors?: unknown[] };
      try {
        body = (await res.json()) as typeof body;
      } catch {
        return; // killed while answering
      }
      if (res.status !== 207) {
        badAnswers++;
        continue;
      }
      expect(body.errors).toEqual([]);
      for (const s of body.successes ?? []) ids.add(s.id.replace(/^ev-/, ''));
    }
  };
  const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
  await Promise.race([underLoad, Promise.all(clients)]);
  server.child.kill('SIGKILL');
  await server.exited;
  stop = true;
  await Promise.all(clients);
  expect(badAnswers).toBe(0);
  return sent;
}

/** Every acknowledged trace id must be listed (paged by user id, 100 per page). */
async function expectAllReadable(server: Server, acked: Map<string, Set<string>>): Promise<void> {
  for (const [userId, ids] of acked) {
    const found = new Set<string>();
    for (let page = 1; ; page++) {
      const res = await fetch(`${server.url}/api/public/traces?userId=${userId}&limit=100&page=${page}&fields=core`, { headers: { authorization: AUTH } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { data: { id: string }[]; meta: { totalPages: number } };
      for (const t of body.data) found.add(t.id);
      if (page >= body.meta.totalPages || body.data.length === 0) break;
    }
    const missing = [...ids].filter((id) => !found.has(id));
    expect(missing, `acknowledged traces of ${userId} missing after a crash`).toEqual([]);
  }
}

describe.each(['sqlite', 'postgres'] as const)('kill -9 during ingestion (%s)', (engine) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('keeps every acknowledged trace and restarts cleanly, three times over', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sl-crash-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    let db: PgTestDatabase | undefined;
    if (engine === 'postgres') {
      db = await createPgTestDatabase();
      cleanups.push(() => db!.drop());
    }
    const acked = new Map<string, Set<string>>();
    for (let round = 1; round <= KILLS; round++) {
      const server = await startServer(dataDir, db?.url);
      await expectAllReadable(server, acked);
      const sent = await sendUntilKilled(server, round, acked);
      expect(sent, server.output()).toBeGreaterThan(0);
    }
    const total = [...acked.values()].reduce((n, ids) => n + ids.size, 0);
    expect(total).toBeGreaterThan(0);

    // The last restart: starts cleanly, has everything, and stops gracefully.
    const server = await startServer(dataDir, db?.url);
    await expectAllReadable(server, acked);
    server.child.kill('SIGTERM');
    expect(await server.exited, server.output()).toEqual({ code: 0, signal: null });
  }, 180_000);
});
