// Several Sightline processes on one PostgreSQL database serve the same project.
// 1. Concurrent, shuffled create/update events for the same traces, observations and scores,
//    sent to different instances at once, end in exactly the state the envelope timestamps
//    define: the same as one instance given the same events in timestamp order (no lost
//    update), with one row per entity and one log row per event (no duplicates).
// 2. A key revoked with `sightline keys revoke` (another process, same DATABASE_URL) stops
//    working on every instance once the documented bound (5 s key cache) has passed.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgTestDatabase, rng, runCli, shuffle, type PgTestDatabase } from '../support/index.js';
import { batches, comparable, mergeWorkload, type Envelope } from './support/merge-workload.js';
import { basic, cliEnv, send, startServer, type Server } from './support/server.js';

const INSTANCES = 3;
const TRACES = 40;
/** The key cache bound documented in the README (packages/server/src/auth/authenticate.ts KEY_CACHE_MS). */
const KEY_CACHE_MS = 5_000;

describe('N instances on one PostgreSQL database', () => {
  let cluster: PgTestDatabase;
  let reference: PgTestDatabase;
  const servers: Server[] = [];
  let single: Server;

  beforeAll(async () => {
    cluster = await createPgTestDatabase();
    reference = await createPgTestDatabase();
    // The first instance creates the project and key pair; the others start together.
    servers.push(await startServer({ databaseUrl: cluster.url }));
    servers.push(...(await Promise.all(Array.from({ length: INSTANCES - 1 }, () => startServer({ databaseUrl: cluster.url })))));
    single = await startServer({ databaseUrl: reference.url });
  });
  afterAll(async () => {
    for (const s of [...servers, single]) if (s) await s.stop();
    await cluster?.drop();
    await reference?.drop();
  });

  async function post(server: Server, batch: Envelope[]): Promise<void> {
    const res = await send(server.url, 'POST', '/api/public/ingestion', { body: { batch } });
    expect(res.status, JSON.stringify(res.body)).toBe(207);
    expect(res.body.errors).toEqual([]);
    expect(res.body.successes).toHaveLength(batch.length);
  }

  it.each([
    { seed: 1, prefix: 'so1' },
    { seed: 2, prefix: 'so2' },
  ])(`shuffled concurrent updates through ${INSTANCES} instances end in the timestamp-defined state (seed $seed)`, async ({ seed, prefix }) => {
    const events = mergeWorkload(prefix, TRACES, seed);
    const random = rng(seed * 7919);

    // Reference: one instance, events in envelope-timestamp order, one batch after the other.
    const ordered = [...events].sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
    for (const batch of batches(ordered, 50, random)) await post(single, batch);

    // Cluster: shuffled, small batches, six senders spread over the instances, all at once.
    const work = batches(shuffle(events, random), 12, random);
    let next = 0;
    const sender = async (s: number) => {
      while (next < work.length) {
        const batch = work[next++];
        await post(servers[(s + next) % servers.length], batch);
      }
    };
    await Promise.all(Array.from({ length: INSTANCES * 2 }, (_, s) => sender(s)));

    const traceIds = [...new Set(events.filter((e) => e.type === 'trace-create').map((e) => e.body.id as string))];
    for (const [i, id] of traceIds.entries()) {
      const got = await send(servers[i % servers.length].url, 'GET', `/api/public/traces/${id}`);
      const want = await send(single.url, 'GET', `/api/public/traces/${id}`);
      expect(got.status).toBe(200);
      expect(want.status).toBe(200);
      expect(want.body.observations).toHaveLength(3);
      expect(want.body.scores).toHaveLength(2);
      expect(comparable(got.body), `trace ${id}`).toEqual(comparable(want.body));
    }

    // One row per entity and one log row per event, however many instances wrote them.
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    try {
      const like = `${prefix}-%`;
      const count = async (sql: string) => Number((await client.query<{ n: string }>(sql, [like])).rows[0].n);
      expect(await count('SELECT count(*) AS n FROM traces WHERE id LIKE $1')).toBe(TRACES);
      expect(await count('SELECT count(*) AS n FROM observations WHERE id LIKE $1')).toBe(TRACES * 3);
      expect(await count('SELECT count(*) AS n FROM scores WHERE id LIKE $1')).toBe(TRACES * 2);
      expect(await count('SELECT count(*) AS n FROM events WHERE entity_id LIKE $1')).toBe(events.length);
      expect(await count('SELECT count(*) AS n FROM (SELECT event_id FROM events WHERE entity_id LIKE $1 GROUP BY event_id HAVING count(*) > 1) d')).toBe(0);
    } finally {
      await client.end();
    }
  }, 120_000);

  it(`a key revoked through the CLI stops working on every instance within ${KEY_CACHE_MS / 1000} s`, async () => {
    const env = cliEnv({ DATABASE_URL: cluster.url });
    const projects = await runCli(['projects', 'list'], env);
    expect(projects.code, projects.stderr).toBe(0);
    const projectId = projects.stdout.split('\t')[0];
    const created = await runCli(['keys', 'create', '--project', projectId, '--note', 'revocation'], env);
    expect(created.code, created.stderr).toBe(0);
    const publicKey = /public key: (\S+)/.exec(created.stdout)![1];
    const secretKey = /secret key: (\S+)/.exec(created.stdout)![1];
    const auth = basic(publicKey, secretKey);

    // Every instance has looked the key up and holds it in its cache.
    for (const s of servers) expect((await send(s.url, 'GET', '/api/public/traces?limit=1', { auth })).status).toBe(200);

    const revoked = await runCli(['keys', 'revoke', publicKey], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    const revokedAt = Date.now();

    // Until the bound an instance may still accept its cached copy of the key; a request sent
    // after the bound must be refused everywhere. The cache entry is stamped before its lookup
    // starts, so this holds however slow the machine is.
    while (Date.now() - revokedAt <= KEY_CACHE_MS + 100) {
      for (const s of servers) expect([200, 401]).toContain((await send(s.url, 'GET', '/api/public/traces?limit=1', { auth })).status);
      await new Promise((r) => setTimeout(r, 250));
    }
    for (const s of servers) {
      const res = await send(s.url, 'GET', '/api/public/traces?limit=1', { auth });
      expect(res.status).toBe(401);
      expect(res.body.message).toMatch(/Invalid credentials/);
    }
    // The bootstrap key is untouched.
    for (const s of servers) expect((await send(s.url, 'GET', '/api/public/traces?limit=1')).status).toBe(200);
  }, 60_000);
});
