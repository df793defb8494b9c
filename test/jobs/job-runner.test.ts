// The durable job runner in-process on both engines, against a fake OpenAI-compatible provider:
// retries with backoff honouring Retry-After, permanent failures, lease expiry reclaim, per-key
// concurrency, graceful drain, and two runners sharing one queue without running a job twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '@sightline/storage';
import { enqueueJob } from '../../packages/server/src/jobs/enqueue.js';
import { JobError } from '../../packages/server/src/jobs/job-error.js';
import type { JobKind } from '../../packages/server/src/jobs/job-kind.js';
import { createJobRunner, type JobRunner, type JobRunnerOptions } from '../../packages/server/src/jobs/job-runner.js';
import { LLM_CALL, llmCallKind } from '../../packages/server/src/jobs/llm-call-kind.js';
import { createLogger } from '../../packages/server/src/logger.js';
import type { TestStorage } from '@sightline/storage/testing';
import { ENGINES, openTestStorage, startFakeLlm, type FakeLlm } from '../support/index.js';
import { KEY_A, KEY_B, llmDeps } from '../llm/helpers.js';

const logger = createLogger({ silent: true });
const FAST = { baseMs: 20, maxMs: 200 };

/** Waits until every listed job has finished (succeeded or failed). */
async function settled(storage: Storage, projectId: string, ids: string[], timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const jobs = await Promise.all(ids.map((id) => storage.jobs.get(projectId, id)));
    if (jobs.every((j) => j && (j.state === 'succeeded' || j.state === 'failed'))) return jobs.map((j) => j!);
    if (Date.now() > deadline) throw new Error(`jobs not finished: ${JSON.stringify(jobs.map((j) => [j?.id, j?.state, j?.lastError]))}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.each(ENGINES)('job runner (%s)', (engine) => {
  let db: TestStorage;
  let fake: FakeLlm;
  const runners: JobRunner[] = [];
  let project = 0;
  const newProject = () => `jobs-${++project}`;
  const runner = (options: Partial<JobRunnerOptions> & Pick<JobRunnerOptions, 'kinds'>) => {
    const r = createJobRunner({ storage: db.storage, logger, pollMs: 20, backoff: FAST, ...options });
    runners.push(r);
    r.start();
    return r;
  };
  /** A project with an OpenAI-compatible connection named `fake` to the fake provider, saved under `key`. */
  const withConnection = async (key = KEY_A) => {
    const projectId = newProject();
    const deps = llmDeps(key);
    await db.storage.llmConnections.upsert({
      projectId, id: `conn-${projectId}`, provider: 'fake', adapter: 'openai', secretKey: deps.box.encrypt('sk-fake', projectId), displaySecretKey: '...fake',
      baseURL: `${fake.url}/v1`, customModels: [], withDefaultModels: true, extraHeaders: null, extraHeaderKeys: [], config: null, createdAt: 1, updatedAt: 1,
    });
    return projectId;
  };
  const llmJob = (projectId: string, content: string, maxAttempts = 5) =>
    enqueueJob(db.storage, { projectId, kind: LLM_CALL, maxAttempts, payload: { provider: 'fake', messages: [{ role: 'user', content }], params: { model: 'm' } } });

  beforeAll(async () => {
    db = await openTestStorage(engine);
    fake = await startFakeLlm();
  });
  afterAll(async () => {
    for (const r of runners) await r.drain();
    await fake.close();
    await db.close();
  });

  it('runs an llm-call job through the connection and stores the answer', async () => {
    const p = await withConnection();
    runner({ kinds: [llmCallKind(db.storage, llmDeps())] });
    const { job } = await llmJob(p, 'first');
    const [done] = await settled(db.storage, p, [job.id]);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 1, result: { text: 'echo: first', model: 'm-fake', usage: { input: expect.any(Number) } } });
  });

  it('retries a 429 after its Retry-After and a 500 with backoff, then succeeds', async () => {
    const p = await withConnection();
    const before = fake.requests.length;
    fake.script.push(() => ({ status: 429, headers: { 'retry-after': '1' } }), () => ({ status: 500 }));
    const { job } = await llmJob(p, 'flaky');
    const [done] = await settled(db.storage, p, [job.id]);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 3, result: { text: 'echo: flaky' } });
    expect(done.lastError).toMatch(/HTTP 500/);
    expect(fake.requests.length - before).toBe(3);
    // The retry after the 429 waited for its Retry-After (one second), not the 20 ms backoff.
    expect(done.finishedAt! - done.createdAt).toBeGreaterThanOrEqual(1000);
  });

  it('fails a 401 at once with the reason, and gives up after the last attempt', async () => {
    const p = await withConnection();
    fake.script.push(() => ({ status: 401, body: { error: { message: 'Incorrect API key provided' } } }));
    const refused = await llmJob(p, 'unauthorised');
    const [failed] = await settled(db.storage, p, [refused.job.id]);
    expect(failed).toMatchObject({ state: 'failed', attempts: 1 });
    expect(failed.lastError).toMatch(/HTTP 401: Incorrect API key provided/);
    fake.script.push(() => ({ status: 503 }), () => ({ status: 503 }));
    const down = await llmJob(p, 'down', 2);
    const [gaveUp] = await settled(db.storage, p, [down.job.id]);
    expect(gaveUp).toMatchObject({ state: 'failed', attempts: 2 });
    expect(gaveUp.lastError).toMatch(/HTTP 503.*\(attempt 2 of 2\)/);
  });

  it('fails clearly when the connection was saved under another encryption key, or is missing', async () => {
    const p = await withConnection(KEY_B);
    const { job } = await llmJob(p, 'rekeyed');
    const missing = await enqueueJob(db.storage, { projectId: newProject(), kind: LLM_CALL, payload: { provider: 'none', messages: [{ role: 'user', content: 'x' }], params: { model: 'm' } } });
    const [rekeyed] = await settled(db.storage, p, [job.id]);
    expect(rekeyed).toMatchObject({ state: 'failed', attempts: 1 });
    expect(rekeyed.lastError).toMatch(/encrypted with key \w+, but the current SIGHTLINE_ENCRYPTION_KEY is key/);
    const [absent] = await settled(db.storage, missing.job.projectId, [missing.job.id]);
    expect(absent.lastError).toMatch(/LLM connection for provider none not found/);
  });

  it("runs a job again once a dead runner's lease expires", async () => {
    const p = newProject();
    const ran: string[] = [];
    const kind: JobKind = { name: `reclaim-${engine}`, run: async (_payload, { job }) => (ran.push(job.id), 'ok') };
    const { job } = await enqueueJob(db.storage, { projectId: p, kind: kind.name, payload: null });
    // A runner that claimed the job and died: its lease is the only trace of it.
    expect(await db.storage.jobs.claim({ owner: 'dead', now: Date.now(), leaseMs: 300, limit: 1, kinds: [kind.name] })).toHaveLength(1);
    runner({ kinds: [kind] });
    const [done] = await settled(db.storage, p, [job.id]);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 2, result: 'ok' });
    expect(ran).toEqual([job.id]);
  });

  it('fails a job whose last attempt died with its runner, instead of running it forever', async () => {
    const p = newProject();
    const kind: JobKind = { name: `poison-${engine}`, run: async () => 'never' };
    const { job } = await enqueueJob(db.storage, { projectId: p, kind: kind.name, payload: null, maxAttempts: 1 });
    expect(await db.storage.jobs.claim({ owner: 'killed', now: Date.now(), leaseMs: 200, limit: 1, kinds: [kind.name] })).toHaveLength(1);
    runner({ kinds: [kind] });
    const [gaveUp] = await settled(db.storage, p, [job.id]);
    expect(gaveUp).toMatchObject({ state: 'failed', attempts: 2 });
    expect(gaveUp.lastError).toMatch(/gave up after 1 attempts; the last one never finished/);
  });

  it('bounds concurrency per key', async () => {
    const p = newProject();
    const inFlight = new Map<string, number>();
    const peak = new Map<string, number>();
    const kind: JobKind = {
      name: `keyed-${engine}`,
      concurrencyKey: (job) => String((job.payload as { key: string }).key),
      async run(payload) {
        const key = (payload as { key: string }).key;
        inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
        peak.set(key, Math.max(peak.get(key) ?? 0, inFlight.get(key)!));
        await new Promise((r) => setTimeout(r, 30));
        inFlight.set(key, inFlight.get(key)! - 1);
      },
    };
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) ids.push((await enqueueJob(db.storage, { projectId: p, kind: kind.name, payload: { key: i % 2 ? 'a' : 'b' } })).job.id);
    runner({ kinds: [kind], concurrency: 12, perKeyConcurrency: 3 });
    const done = await settled(db.storage, p, ids);
    expect(done.every((j) => j.state === 'succeeded')).toBe(true);
    expect(peak.get('a')).toBe(3);
    expect(peak.get('b')).toBe(3);
  });

  it('two runners share one queue and never run a job twice', async () => {
    const p = newProject();
    const runs = new Map<string, number>();
    const kind: JobKind = {
      name: `shared-${engine}`,
      async run(_payload, { job }) {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 5));
        return job.id;
      },
    };
    const ids: string[] = [];
    for (let i = 0; i < 80; i++) ids.push((await enqueueJob(db.storage, { projectId: p, kind: kind.name, payload: i })).job.id);
    const a = runner({ kinds: [kind], concurrency: 5, owner: 'runner-a' });
    const b = runner({ kinds: [kind], concurrency: 5, owner: 'runner-b' });
    const done = await settled(db.storage, p, ids);
    expect(done.every((j) => j.state === 'succeeded' && j.attempts === 1)).toBe(true);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(runs.size).toBe(80);
    expect(a.owner).not.toBe(b.owner);
  });

  it('drains on shutdown: a job that outlasts the wait is released, not failed', async () => {
    const p = newProject();
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const kind: JobKind = {
      name: `slow-${engine}`,
      run: (_payload, { signal }) =>
        new Promise((_resolve, reject) => {
          started();
          signal.addEventListener('abort', () => reject(new JobError('aborted', true)));
        }),
    };
    const { job } = await enqueueJob(db.storage, { projectId: p, kind: kind.name, payload: null });
    const r = runner({ kinds: [kind], drainTimeoutMs: 100 });
    await running;
    await r.drain();
    expect(await db.storage.jobs.get(p, job.id)).toMatchObject({ state: 'queued', attempts: 0, leaseOwner: null });
  });
});
