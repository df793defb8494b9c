// The PostgreSQL database made unusable while the server runs: connections refused
// (ALLOW_CONNECTIONS false, existing backends terminated) or the database dropped. Every request
// that needs the database — ingestion, reads, and authentication of a key whose cache entry has
// expired — answers 503 with Retry-After, never a 500; once connections are allowed again,
// ingestion resumes and everything acknowledged is there.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProjectWithKey } from '../../packages/server/src/admin/projects.js';
import { createApp } from '../../packages/server/src/app.js';
import { KEY_CACHE_MS } from '../../packages/server/src/auth/authenticate.js';
import { createIngestor, type Ingestor } from '../../packages/server/src/ingest/ingestor.js';
import { createLogger } from '../../packages/server/src/logger.js';
import { basicAuth } from '../../packages/server/src/testing/test-app.js';
import { openStorage, type Storage } from '@sightline/storage';
import { createPgTestDatabase, type PgTestDatabase } from '@sightline/storage/testing';

const ADMIN_URL = (url: string) => Object.assign(new URL(url), { pathname: '/postgres' }).toString();

/** Runs statements on the server's maintenance database (never the one under test). */
async function admin(url: string, ...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL(url) });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

const terminate = (name: string) => `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`;

interface Harness {
  db: PgTestDatabase;
  name: string;
  storage: Storage;
  ingestor: Ingestor;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies of several shapes, read field by field
  request(method: string, path: string, auth: string, body?: unknown): Promise<{ status: number; retryAfter: string | null; body: any }>;
  /** A project's key, used once so that its lookup is cached. */
  auth: string;
  /** A second key of the project, never used: its first lookup must reach the database. */
  freshAuth: string;
}

async function start(): Promise<Harness> {
  const db = await createPgTestDatabase();
  const name = new URL(db.url).pathname.slice(1);
  const storage = await openStorage({ databaseUrl: db.url });
  const logger = createLogger({ silent: true });
  const ingestor = createIngestor(storage, logger);
  const app = createApp({ storage, ingestor, logger, version: 'test' });
  const project = await createProjectWithKey(storage, 'outage');
  const fresh = await createProjectWithKey(storage, 'outage-fresh');
  const request: Harness['request'] = async (method, path, auth, body) => {
    const headers: Record<string, string> = { authorization: auth };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text ? JSON.parse(text) : undefined };
  };
  return { db, name, storage, ingestor, request, auth: basicAuth(project.publicKey, project.secretKey), freshAuth: basicAuth(fresh.publicKey, fresh.secretKey) };
}

const batch = (ids: string[]) => ({
  batch: ids.map((id) => ({ id: `ev-${id}`, type: 'trace-create', timestamp: new Date().toISOString(), body: { id, name: 'outage' } })),
});

/** Every request that needs the database answers 503 with a positive Retry-After. */
async function expectUnavailable(h: Harness, ids: string[]): Promise<void> {
  const answers = {
    ingestion: await h.request('POST', '/api/public/ingestion', h.auth, batch(ids)),
    list: await h.request('GET', '/api/public/traces?limit=10', h.auth),
    one: await h.request('GET', `/api/public/traces/${ids[0]}`, h.auth),
    metrics: await h.request('GET', `/api/public/metrics?query=${encodeURIComponent(JSON.stringify({ view: 'traces', metrics: [{ measure: 'count', aggregation: 'count' }], fromTimestamp: '2020-01-01T00:00:00Z', toTimestamp: '2100-01-01T00:00:00Z' }))}`, h.auth),
    deletion: await h.request('DELETE', '/api/public/traces', h.auth, { traceIds: ids }),
    // A key never looked up before: authentication itself needs the database.
    freshKey: await h.request('GET', '/api/public/traces?limit=1', h.freshAuth),
    ready: await h.request('GET', '/api/public/ready', h.auth),
  };
  // The key used so far, once its cached lookup has expired.
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(Date.now() + KEY_CACHE_MS + 1_000);
    Object.assign(answers, { expiredKey: await h.request('GET', '/api/public/traces?limit=1', h.auth) });
  } finally {
    vi.useRealTimers();
  }
  for (const [what, res] of Object.entries(answers)) {
    expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(503);
    if (what !== 'ready') expect(Number(res.retryAfter), `${what} Retry-After`).toBeGreaterThan(0);
  }
}

/** Sends the batch until it is acknowledged (the ingestor refuses for Retry-After after an outage). */
async function ingestEventually(h: Harness, ids: string[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const res = await h.request('POST', '/api/public/ingestion', h.auth, batch(ids));
    if (res.status === 207) {
      expect(res.body.errors).toEqual([]);
      return;
    }
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    if (attempt > 100) throw new Error(`ingestion did not resume: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, Math.max(100, Number(res.retryAfter) * 250)));
  }
}

async function storedIds(h: Harness): Promise<string[]> {
  const res = await h.request('GET', '/api/public/traces?limit=100', h.auth);
  expect(res.status).toBe(200);
  return (res.body.data as { id: string }[]).map((t) => t.id).sort();
}

describe('PostgreSQL database unusable: 503 with Retry-After, never 500', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await start();
  });
  afterEach(async () => {
    await admin(h.db.url, `ALTER DATABASE "${h.name}" ALLOW_CONNECTIONS true`).catch(() => {});
    await h.ingestor.drain();
    await h.storage.close();
    await h.db.drop();
  });

  it('refusing connections (ALLOW_CONNECTIONS false, backends terminated); resumes with every acknowledged event', async () => {
    const before = Array.from({ length: 5 }, () => `before-${randomUUID()}`);
    const during = Array.from({ length: 5 }, () => `during-${randomUUID()}`);
    await ingestEventually(h, before);
    expect(await storedIds(h)).toEqual([...before].sort());

    await admin(h.db.url, `ALTER DATABASE "${h.name}" ALLOW_CONNECTIONS false`, terminate(h.name));
    await expectUnavailable(h, during);

    await admin(h.db.url, `ALTER DATABASE "${h.name}" ALLOW_CONNECTIONS true`);
    await ingestEventually(h, during);
    expect(await storedIds(h)).toEqual([...before, ...during].sort());
  });

  it('read-only (default_transaction_read_only, as a standby after failover): writes 503, reads answer; resumes', async () => {
    const before = Array.from({ length: 5 }, () => `before-${randomUUID()}`);
    const during = Array.from({ length: 5 }, () => `during-${randomUUID()}`);
    await ingestEventually(h, before);
    await admin(h.db.url, `ALTER DATABASE "${h.name}" SET default_transaction_read_only = on`, terminate(h.name));
    const answers = {
      ingestion: await h.request('POST', '/api/public/ingestion', h.auth, batch(during)),
      deletion: await h.request('DELETE', '/api/public/traces', h.auth, { traceIds: before }),
      deletionOfOne: await h.request('DELETE', `/api/public/traces/${before[0]}`, h.auth),
    };
    for (const [what, res] of Object.entries(answers)) {
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(503);
      expect(Number(res.retryAfter), `${what} Retry-After`).toBeGreaterThan(0);
    }
    expect(await storedIds(h)).toEqual([...before].sort());

    await admin(h.db.url, `ALTER DATABASE "${h.name}" RESET default_transaction_read_only`, terminate(h.name));
    await ingestEventually(h, during);
    expect(await storedIds(h)).toEqual([...before, ...during].sort());
  });

  it('the database dropped', async () => {
    const before = Array.from({ length: 5 }, () => `before-${randomUUID()}`);
    await ingestEventually(h, before);
    await admin(h.db.url, terminate(h.name), `DROP DATABASE "${h.name}"`);
    await expectUnavailable(h, before);
  });
});
