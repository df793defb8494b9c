// The job runner across real server processes (the built CLI): a `kill -9` in the middle of a
// batch of LLM calls, then a restart, leaves every job completed exactly once (on both engines);
// two instances on one PostgreSQL database share the queue without running a job twice.
// Runs the built CLI (`npm test` builds first). Asserts behaviour only — no timing assertions.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage, type JobRecord, type Storage } from '@sightline/storage';
import { afterAll, describe, expect, it } from 'vitest';
import { enqueueJob } from '../../packages/server/src/jobs/enqueue.js';
import { basic, createPgTestDatabase, startFakeLlm, startServer, type FakeLlm, type ServerProcess } from '../support/index.js';

const PUBLIC_KEY = 'pk-lf-jobs';
const SECRET_KEY = 'sk-lf-jobs';
const AUTH = basic(PUBLIC_KEY, SECRET_KEY);
const JOBS = 60;

const serverEnv = {
  SIGHTLINE_INIT_PUBLIC_KEY: PUBLIC_KEY,
  SIGHTLINE_INIT_SECRET_KEY: SECRET_KEY,
  SIGHTLINE_ENCRYPTION_KEY: 'ab'.repeat(32),
  SIGHTLINE_LLM_ALLOWED_HOSTS: '127.0.0.1',
  SIGHTLINE_JOB_LEASE_MS: '1500',
  SIGHTLINE_JOB_CONCURRENCY: '8',
};

async function api(server: ServerProcess, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method, headers: { authorization: AUTH, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { data: { id: string }[] } & Record<string, unknown> };
}

/** Saves the fake provider as the project's `fake` connection; returns the project id. */
async function connect(server: ServerProcess, fake: FakeLlm): Promise<string> {
  const put = await api(server, 'PUT', '/api/public/llm-connections', { provider: 'fake', adapter: 'openai', secretKey: 'sk-fake-provider', baseURL: `${fake.url}/v1` });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  return (await api(server, 'GET', '/api/public/projects')).body.data[0].id;
}

const enqueueBatch = (storage: Storage, projectId: string, prefix: string, n: number) =>
  Promise.all(Array.from({ length: n }, (_, i) => enqueueJob(storage, {
    projectId, kind: 'llm-call', idempotencyKey: `${prefix}-${i}`, payload: { provider: 'fake', messages: [{ role: 'user', content: `${prefix} ${i}` }], params: { model: 'm' } },
  })));

async function allFinished(storage: Storage, projectId: string, ids: string[]): Promise<JobRecord[]> {
  for (;;) {
    const jobs = await Promise.all(ids.map((id) => storage.jobs.get(projectId, id)));
    if (jobs.every((j) => j?.state === 'succeeded' || j?.state === 'failed')) return jobs as JobRecord[];
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

/** Prompts the fake provider received, counted. */
const promptCounts = (fake: FakeLlm) => {
  const counts = new Map<string, number>();
  for (const r of fake.requests) {
    const content = (r.body as { messages?: { content: string }[] }).messages?.[0]?.content ?? '';
    counts.set(content, (counts.get(content) ?? 0) + 1);
  }
  return counts;
};

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A fake provider with `latencyMs`, a data directory, a database of `engine`, and a way to start servers on them. */
async function setUp(engine: 'sqlite' | 'postgres', latencyMs: number) {
  const fake = await startFakeLlm({ latencyMs });
  cleanups.push(() => fake.close());
  const dataDir = mkdtempSync(join(tmpdir(), 'sl-jobs-crash-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  let databaseUrl: string | undefined;
  if (engine === 'postgres') {
    const db = await createPgTestDatabase();
    cleanups.push(() => db.drop());
    databaseUrl = db.url;
  }
  const start = async (env: Record<string, string> = {}) => {
    const server = await startServer({ dataDir, databaseUrl, env: { ...serverEnv, ...env } });
    cleanups.push(async () => void (await server.stop()));
    return server;
  };
  return { fake, dataDir, databaseUrl, start };
}

describe.each(['sqlite', 'postgres'] as const)('LLM jobs across processes (%s)', (engine) => {
  it('kill -9 mid-batch, restart: every job completes exactly once', async () => {
    const { fake, dataDir, databaseUrl, start } = await setUp(engine, 200);
    const first = await start();
    const projectId = await connect(first, fake);
    const storage = await openStorage({ databaseUrl, dataDir });
    cleanups.push(() => storage.close());
    const ids = (await enqueueBatch(storage, projectId, 'crash', JOBS)).map((r) => r.job.id);

    await until(() => fake.requests.length >= 16);
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = await Promise.all(ids.map((id) => storage.jobs.get(projectId, id)));
    const interrupted = atKill.filter((j) => j?.state === 'running').length;
    expect(interrupted).toBeGreaterThan(0);

    const second = await start();
    const jobs = await allFinished(storage, projectId, ids);
    expect(jobs.map((j) => j.state)).toEqual(Array(JOBS).fill('succeeded'));
    jobs.forEach((j, i) => expect(j.result).toMatchObject({ text: `echo: crash ${i}` }));
    // Only the calls cut off by the kill were made twice; every other job was called once.
    const counts = promptCounts(fake);
    expect(counts.size).toBe(JOBS);
    expect([...counts.values()].filter((n) => n > 1).length).toBeLessThanOrEqual(interrupted);
    expect(jobs.filter((j) => j.attempts > 1).length).toBeLessThanOrEqual(interrupted);
    // Enqueueing the same batch again is a no-op: one job per idempotency key.
    expect((await enqueueBatch(storage, projectId, 'crash', JOBS)).some((r) => r.created)).toBe(false);

    expect(await second.stop(), second.output()).toEqual({ code: 0, signal: null });
  }, 120_000);
});

describe('LLM jobs on one PostgreSQL database', () => {
  it('two instances share the queue and never call for a job twice', async () => {
    const { fake, dataDir, databaseUrl, start } = await setUp('postgres', 50);
    const a = await start();
    const b = await start();
    const projectId = await connect(a, fake);
    const storage = await openStorage({ databaseUrl, dataDir });
    cleanups.push(() => storage.close());
    const ids = (await enqueueBatch(storage, projectId, 'shared', 80)).map((r) => r.job.id);
    const jobs = await allFinished(storage, projectId, ids);
    expect(jobs.every((j) => j.state === 'succeeded' && j.attempts === 1)).toBe(true);
    const counts = promptCounts(fake);
    expect(counts.size).toBe(80);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(await a.stop(), a.output()).toEqual({ code: 0, signal: null });
    expect(await b.stop(), b.output()).toEqual({ code: 0, signal: null });
    // An instance on PostgreSQL without SIGHTLINE_ENCRYPTION_KEY says at start that instances need it.
    const keyless = await start({ SIGHTLINE_ENCRYPTION_KEY: '', SIGHTLINE_JOBS: 'off' });
    expect(keyless.output()).toMatch(/SIGHTLINE_ENCRYPTION_KEY is not set: .*Every instance on one PostgreSQL database must be given the same key/);
    expect(await keyless.stop()).toEqual({ code: 0, signal: null });
  }, 120_000);
});

describe('the encryption key without SIGHTLINE_ENCRYPTION_KEY (sqlite)', () => {
  it('is generated into the data directory when the first secret is saved, and read again after a restart', async () => {
    const { fake, dataDir, start } = await setUp('sqlite', 0);
    const keyFile = join(dataDir, 'encryption.key');
    const keyless = { SIGHTLINE_ENCRYPTION_KEY: '' };
    const first = await start(keyless);
    expect(existsSync(keyFile)).toBe(false);
    const projectId = await connect(first, fake);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(await first.stop()).toEqual({ code: 0, signal: null });
    const storage = await openStorage({ dataDir });
    cleanups.push(() => storage.close());
    const [{ job }] = await enqueueBatch(storage, projectId, 'rekey', 1);
    const second = await start(keyless);
    const [done] = await allFinished(storage, projectId, [job.id]);
    expect(done).toMatchObject({ state: 'succeeded', result: { text: 'echo: rekey 0' } });
    expect(fake.requests.at(-1)?.headers.authorization).toBe('Bearer sk-fake-provider');
    expect(second.output()).not.toContain('sk-fake-provider');
    expect(await second.stop()).toEqual({ code: 0, signal: null });
  }, 60_000);
});
