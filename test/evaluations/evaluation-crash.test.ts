// Evaluations across real server processes (the built CLI): a `kill -9` in the middle of a bulk
// evaluation, then a restart, leaves every target scored exactly once (both engines); two
// instances on one PostgreSQL database share the new-target queue and evaluate each trace once.
// Asserts behaviour only — no timing assertions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage, type EvaluationRuleRecord, type JobRecord, type Storage } from '@sightline/storage';
import { afterAll, describe, expect, it } from 'vitest';
import { runBulk } from '../../packages/server/src/evaluation-jobs/bulk-evaluate.js';
import { basic, createPgTestDatabase, startFakeLlm, startServer, type FakeLlm, type ServerProcess } from '../support/index.js';

const PUBLIC_KEY = 'pk-lf-evals';
const SECRET_KEY = 'sk-lf-evals';
const AUTH = basic(PUBLIC_KEY, SECRET_KEY);
const TARGETS = 40;

const serverEnv = {
  SIGHTLINE_INIT_PUBLIC_KEY: PUBLIC_KEY,
  SIGHTLINE_INIT_SECRET_KEY: SECRET_KEY,
  SIGHTLINE_ENCRYPTION_KEY: 'cd'.repeat(32),
  SIGHTLINE_LLM_ALLOWED_HOSTS: '127.0.0.1',
  SIGHTLINE_JOB_LEASE_MS: '1500',
  SIGHTLINE_JOB_CONCURRENCY: '8',
  SIGHTLINE_EVAL_SCAN_MS: '100',
  SIGHTLINE_EVAL_SETTLE_MS: '0',
};

const lastUser = (body: { messages?: { role: string; content: string }[] }) => body.messages?.filter((m) => m.role === 'user').at(-1)?.content ?? '';
const judge = (body: { messages?: { role: string; content: string }[] }) => JSON.stringify({ score: 1, reasoning: `ok: ${lastUser(body).split('\n')[0]}` });

async function api(server: ServerProcess, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, { method, headers: { authorization: AUTH, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { data: { id: string; traceId: string; source: string }[] } };
}

async function ingestTraces(server: ServerProcess, prefix: string, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  const batch = ids.map((id) => ({ id: `e-${id}`, type: 'trace-create', timestamp: new Date().toISOString(), body: { id, name: 'qa', input: `question ${id}`, output: 'answer' } }));
  const res = await api(server, 'POST', '/api/public/ingestion', { batch });
  expect(res.status).toBe(207);
  return ids;
}

async function createRule(storage: Storage, projectId: string, over: Partial<EvaluationRuleRecord>): Promise<EvaluationRuleRecord> {
  const now = Date.now();
  await storage.evaluators.createEvaluator({
    projectId, id: 'ev-1', name: 'correct', version: 1, type: 'llm_as_judge', description: null, prompt: '{{q}}\nAnswer: {{a}}', variables: ['q', 'a'],
    provider: 'fake', model: 'judge-model', modelParams: {}, output: { dataType: 'NUMERIC', scoreDescription: '0 or 1', reasoningDescription: 'why', categories: null },
    scoreName: 'correct', scoreConfigId: null, templateId: null, createdAt: now, updatedAt: now,
  });
  const rule: EvaluationRuleRecord = {
    projectId, id: 'rule-1', name: 'correctness', evaluatorId: 'ev-1', target: 'trace', filter: [],
    mapping: [{ variable: 'q', source: 'input', object: 'trace', observationName: null, jsonPath: null }, { variable: 'a', source: 'output', object: 'trace', observationName: null, jsonPath: null }],
    sampling: 1, delayMs: 0, enabled: true, status: 'active', pausedReason: null, pausedMessage: null, createdAt: now, updatedAt: now, ...over,
  };
  await storage.evaluators.createRule(rule);
  return rule;
}

/** Every evaluation job of the rule, once all have finished. */
async function allFinished(storage: Storage, projectId: string, expected: number): Promise<JobRecord[]> {
  for (;;) {
    const jobs = (await storage.jobs.list(projectId, { kind: 'evaluation' }, { page: 1, limit: 1000 })).rows;
    if (jobs.length >= expected && jobs.every((j) => j.state === 'succeeded' || j.state === 'failed')) return jobs;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

/** The EVAL scores of the traces, read back through the public API: trace id → how many. */
async function scoresPerTrace(server: ServerProcess): Promise<Map<string, number>> {
  const res = await api(server, 'GET', '/api/public/v2/scores?name=correct&limit=100');
  expect(res.status).toBe(200);
  const counts = new Map<string, number>();
  for (const s of res.body.data) {
    expect(s.source).toBe('EVAL');
    counts.set(s.traceId, (counts.get(s.traceId) ?? 0) + 1);
  }
  return counts;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function setUp(engine: 'sqlite' | 'postgres', latencyMs: number) {
  const fake = await startFakeLlm({ latencyMs, reply: judge });
  cleanups.push(() => fake.close());
  const dataDir = mkdtempSync(join(tmpdir(), 'sl-eval-crash-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  let databaseUrl: string | undefined;
  if (engine === 'postgres') {
    const db = await createPgTestDatabase();
    cleanups.push(() => db.drop());
    databaseUrl = db.url;
  }
  const start = async () => {
    const server = await startServer({ dataDir, databaseUrl, env: serverEnv });
    cleanups.push(async () => void (await server.stop()));
    return server;
  };
  const open = async () => {
    const storage = await openStorage({ databaseUrl, dataDir });
    cleanups.push(() => storage.close());
    return storage;
  };
  return { fake, start, open };
}

async function connect(server: ServerProcess, fake: FakeLlm): Promise<string> {
  const put = await api(server, 'PUT', '/api/public/llm-connections', { provider: 'fake', adapter: 'openai', secretKey: 'sk-fake-provider', baseURL: `${fake.url}/v1` });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  return (await api(server, 'GET', '/api/public/projects')).body.data[0].id;
}

/** Prompts the fake judge received, counted. */
const promptCounts = (fake: FakeLlm) => {
  const counts = new Map<string, number>();
  for (const r of fake.requests) counts.set(lastUser(r.body), (counts.get(lastUser(r.body)) ?? 0) + 1);
  return counts;
};

describe.each(['sqlite', 'postgres'] as const)('evaluations across processes (%s)', (engine) => {
  it('kill -9 during a bulk evaluation, restart: every target is scored exactly once', async () => {
    const { fake, start, open } = await setUp(engine, 200);
    const first = await start();
    const projectId = await connect(first, fake);
    const ids = await ingestTraces(first, 'bulk', TARGETS);
    const storage = await open();
    const rule = await createRule(storage, projectId, { enabled: false, status: 'inactive' });
    const evaluator = (await storage.evaluators.getEvaluator(projectId, rule.evaluatorId))!;
    expect(await runBulk(storage, rule, evaluator, { from: Date.now() - 3_600_000, to: Date.now() + 60_000 })).toEqual({ queued: TARGETS, existing: 0, capped: false });

    await until(() => fake.requests.length >= 12);
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = (await storage.jobs.list(projectId, { state: 'running' }, { page: 1, limit: 100 })).rows.length;
    expect(atKill).toBeGreaterThan(0);

    const second = await start();
    const jobs = await allFinished(storage, projectId, TARGETS);
    expect(jobs).toHaveLength(TARGETS);
    expect(jobs.filter((j) => j.state !== 'succeeded').map((j) => j.lastError)).toEqual([]);
    const scores = await scoresPerTrace(second);
    expect([...scores.keys()].sort()).toEqual([...ids].sort());
    expect([...scores.values()].every((n) => n === 1)).toBe(true);
    // Only judge calls cut off by the kill were made twice.
    expect([...promptCounts(fake).values()].filter((n) => n > 1).length).toBeLessThanOrEqual(atKill);
    // A second bulk run over the same range queues nothing: one job per rule and target.
    expect(await runBulk(storage, rule, evaluator, { from: Date.now() - 3_600_000, to: Date.now() + 60_000 })).toMatchObject({ queued: 0, existing: TARGETS });
    expect(await second.stop(), second.output()).toEqual({ code: 0, signal: null });
  }, 180_000);
});

describe('evaluations on one PostgreSQL database', () => {
  it('two instances share the new-target queue and evaluate each trace once', async () => {
    const { fake, start, open } = await setUp('postgres', 50);
    const a = await start();
    const b = await start();
    const projectId = await connect(a, fake);
    const storage = await open();
    await createRule(storage, projectId, {});
    const ids = [...(await ingestTraces(a, 'live-a', TARGETS / 2)), ...(await ingestTraces(b, 'live-b', TARGETS / 2))];
    const jobs = await allFinished(storage, projectId, TARGETS);
    expect(jobs).toHaveLength(TARGETS);
    expect(jobs.every((j) => j.state === 'succeeded' && j.attempts === 1)).toBe(true);
    const counts = promptCounts(fake);
    expect(counts.size).toBe(TARGETS);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const scores = await scoresPerTrace(b);
    expect([...scores.keys()].sort()).toEqual([...ids].sort());
    expect(await a.stop(), a.output()).toEqual({ code: 0, signal: null });
    expect(await b.stop(), b.output()).toEqual({ code: 0, signal: null });
  }, 180_000);
});
