// LLM-as-a-judge evaluations in-process on both engines, against the fake provider: a rule queues
// each new trace once, the judge's verdict becomes an EVAL score with its reasoning and a linked
// judge trace (read back through the public API), malformed answers fail the evaluation with the
// reason, 429 and 500 answers are retried, experiments are scored against expected outputs, bulk
// runs estimate and queue existing traces, and nothing crosses projects.
import type { EvaluationRuleRecord, EvaluatorRecord, JobRecord, Storage } from '@sightline/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVALUATION, evaluationKind } from '../../packages/server/src/evaluation-jobs/evaluation-kind.js';
import { createEvaluationScanner } from '../../packages/server/src/evaluation-jobs/evaluation-scanner.js';
import { createIngestor } from '../../packages/server/src/ingest/ingestor.js';
import { createJobRunner, type JobRunner } from '../../packages/server/src/jobs/job-runner.js';
import { createLogger } from '../../packages/server/src/logger.js';
import { createTestApp, type TestApp } from '../../packages/server/src/testing/test-app.js';
import { browsersByRole, type RoleBrowsers } from '../../packages/server/src/testing/ui-roles.js';
import { ENGINES, startFakeLlm, type FakeLlm } from '../support/index.js';
import { llmDeps } from '../llm/helpers.js';

const logger = createLogger({ silent: true });
const SETUP = 'evaluation-flow-setup-token';
const lastUser = (body: { messages?: { role: string; content: string }[] }) => body.messages?.filter((m) => m.role === 'user').at(-1)?.content ?? '';

/** The fake judge: malformed when the prompt says so, otherwise a score of 0.9 quoting the prompt's first line. */
const judge = (body: { messages?: { role: string; content: string }[] }) => {
  const prompt = lastUser(body);
  if (prompt.includes('MALFORMED')) return 'I would rate this highly.';
  if (prompt.includes('Verdict:')) return JSON.stringify({ score: 'PASS', reasoning: 'meets the bar' });
  return `Here you go:\n\`\`\`json\n${JSON.stringify({ score: 0.9, reasoning: `judged: ${prompt.split('\n')[0]}` })}\n\`\`\``;
};

async function settled(storage: Storage, projectId: string, ids: string[], timeoutMs = 30_000): Promise<JobRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const jobs = await Promise.all(ids.map((id) => storage.jobs.get(projectId, id)));
    if (jobs.every((j) => j && (j.state === 'succeeded' || j.state === 'failed'))) return jobs as JobRecord[];
    if (Date.now() > deadline) throw new Error(`jobs not finished: ${JSON.stringify(jobs.map((j) => [j?.state, j?.lastError]))}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.each(ENGINES)('LLM-as-a-judge evaluations (%s)', (engine) => {
  let t: TestApp;
  let fake: FakeLlm;
  let runner: JobRunner;
  let roles: RoleBrowsers;
  const deps = llmDeps();
  let n = 0;

  const ingest = async (auth: string, ...batch: Record<string, unknown>[]) => {
    const res = await t.json('POST', '/api/public/ingestion', { auth, body: { batch: batch.map((e) => ({ id: `ev-${++n}`, timestamp: new Date().toISOString(), ...e })) } });
    expect(res.status).toBe(207);
    expect(res.body.errors).toEqual([]);
  };
  const trace = (id: string, body: Record<string, unknown> = {}) => ({ type: 'trace-create', body: { id, name: 'qa', input: { question: `what is ${id}?` }, output: `answer ${id}`, ...body } });

  async function connect(projectId: string) {
    await t.storage.llmConnections.upsert({
      projectId, id: `conn-${projectId}`, provider: 'fake', adapter: 'openai', secretKey: deps.box.encrypt('sk-fake', projectId), displaySecretKey: '...fake',
      baseURL: `${fake.url}/v1`, customModels: [], withDefaultModels: true, extraHeaders: null, extraHeaderKeys: [], config: null, createdAt: 1, updatedAt: 1,
    });
  }

  /** A new rule (and its evaluator); the rules of earlier tests are switched off, so each test sees only its own. */
  async function rule(projectId: string, over: Partial<EvaluationRuleRecord> = {}, evaluatorOver: Partial<EvaluatorRecord> = {}): Promise<EvaluationRuleRecord> {
    if (!over.id) for (const old of await t.storage.evaluators.activeRules()) await t.storage.evaluators.updateRule({ ...old, enabled: false, status: 'inactive' });
    const id = `r${++n}`;
    const now = Date.now();
    const evaluator: EvaluatorRecord = {
      projectId, id: `ev-${id}`, name: `helpfulness-${id}`, version: 1, type: 'llm_as_judge', description: null,
      prompt: 'Question: {{question}}\nAnswer: {{answer}}', variables: ['question', 'answer'], provider: 'fake', model: 'gpt-4o-mini', modelParams: { temperature: 0 },
      output: { dataType: 'NUMERIC', scoreDescription: '0 to 1', reasoningDescription: 'one sentence', categories: null },
      scoreName: 'helpfulness', scoreConfigId: null, templateId: null, createdAt: now, updatedAt: now, ...evaluatorOver,
    };
    await t.storage.evaluators.createEvaluator(evaluator);
    const r: EvaluationRuleRecord = {
      projectId, id, name: `rule-${id}`, evaluatorId: evaluator.id, target: 'trace', filter: [],
      mapping: [
        { variable: 'question', source: 'input', object: 'trace', observationName: null, jsonPath: '$.question' },
        { variable: 'answer', source: 'output', object: 'trace', observationName: null, jsonPath: null },
      ],
      sampling: 1, delayMs: 0, enabled: true, status: 'active', pausedReason: null, pausedMessage: null, createdAt: now, updatedAt: now, ...over,
    };
    await t.storage.evaluators.createRule(r);
    return r;
  }

  const scanner = () => createEvaluationScanner({ storage: t.storage, logger, evaluators: t.storage.evaluators, owner: 'test', settleMs: 0 });
  /** The rule's job for a target, once queued. */
  const jobOf = async (projectId: string, ruleId: string, targetId: string) => {
    const all = await t.storage.jobs.list(projectId, { kind: EVALUATION }, { page: 1, limit: 500 });
    return all.rows.find((j) => j.idempotencyKey === `eval:${ruleId}:${targetId}`) ?? null;
  };

  /** Re-queues a job due now under a new id with the same payload (the test's stand-in for the delay passing). */
  const enqueueNow = async (projectId: string, ruleId: string, targetId: string, oldId: string) => {
    const old = (await t.storage.jobs.get(projectId, oldId))!;
    const { job } = await t.storage.jobs.enqueue({ id: `${oldId}-now`, projectId, kind: EVALUATION, payload: old.payload, runAt: 0, maxAttempts: 3, idempotencyKey: `now:${ruleId}:${targetId}`, createdAt: Date.now() });
    return job.id;
  };

  beforeAll(async () => {
    t = await createTestApp(engine, { llm: deps, setupToken: SETUP });
    fake = await startFakeLlm({ reply: judge });
    const ingestor = createIngestor(t.storage, logger);
    runner = createJobRunner({
      storage: t.storage, logger, pollMs: 20, backoff: { baseMs: 20, maxMs: 200 },
      kinds: [evaluationKind({ storage: t.storage, llm: deps, ingestor, evaluators: t.storage.evaluators })],
    });
    runner.start();
    await connect(t.a.project.id);
    roles = await browsersByRole(t, SETUP, t.a.project.id);
  });
  afterAll(async () => {
    await runner.drain();
    await fake.close();
    await t.close();
  });

  it('queues a new trace once and writes an EVAL score with the reasoning and the judge trace linked', async () => {
    const p = t.a.project.id;
    // A price for the model the fake judge reports, so the judge call is priced like any generation.
    const model = await t.json('POST', '/api/public/models', { body: { modelName: 'judge-fake', matchPattern: '(?i)^gpt-4o-mini-fake$', inputPrice: 0.001, outputPrice: 0.002, unit: 'TOKENS' } });
    expect(model.status, JSON.stringify(model.body)).toBe(200);
    await ingest(t.a.auth, trace('old'));
    const r = await rule(p);
    await ingest(t.a.auth, trace('t-new'));
    const s = scanner();
    expect(await s.scan()).toBe(1);
    expect(await s.scan()).toBe(0);
    expect(await jobOf(p, r.id, 'old')).toBeNull(); // existed before the rule: only a bulk run evaluates it
    const job = (await jobOf(p, r.id, 't-new'))!;
    const [done] = await settled(t.storage, p, [job.id]);
    expect(done.state, done.lastError ?? '').toBe('succeeded');

    const scores = await t.json('GET', '/api/public/v2/scores?name=helpfulness');
    expect(scores.status).toBe(200);
    const score = scores.body.data.find((x: { traceId: string }) => x.traceId === 't-new');
    expect(score).toMatchObject({ id: `eval-${job.id}`, source: 'EVAL', value: 0.9, dataType: 'NUMERIC', comment: 'judged: Question: what is t-new?' });
    expect(score.metadata).toMatchObject({ ruleId: r.id, evaluatorId: r.evaluatorId, evaluatorVersion: 1, executionTraceId: `eval-exec-${job.id}` });
    expect(fake.requests.at(-1)?.body.messages[0].content).toContain('Answer: answer t-new');

    const exec = await t.json('GET', `/api/public/traces/eval-exec-${job.id}`);
    expect(exec.status).toBe(200);
    expect(exec.body).toMatchObject({ environment: 'sightline-evaluation' });
    const generation = exec.body.observations.find((o: { type: string }) => o.type === 'GENERATION');
    expect(generation).toMatchObject({ model: 'gpt-4o-mini-fake', modelParameters: { temperature: 0 }, usageDetails: { input: expect.any(Number), output: expect.any(Number) } });
    expect(generation.calculatedTotalCost).toBeCloseTo(generation.usageDetails.input * 0.001 + generation.usageDetails.output * 0.002, 9);
    // The judge's own trace is never evaluated, and running the job again writes the same score.
    expect(await s.scan()).toBe(0);
    expect(scores.body.data.filter((x: { traceId: string }) => x.traceId === 't-new')).toHaveLength(1);
  });

  it('runs a rule created through the public API', async () => {
    const p = t.a.project.id;
    for (const old of await t.storage.evaluators.activeRules()) await t.storage.evaluators.updateRule({ ...old, enabled: false, status: 'inactive' });
    const evaluator = await t.json('POST', '/api/public/unstable/evaluators', { body: {
      name: 'api-judge', type: 'llm_as_judge', prompt: 'Question: {{question}}\nAnswer: {{answer}}', modelConfig: { provider: 'fake', model: 'gpt-4o-mini' },
      outputDefinition: { dataType: 'NUMERIC', reasoning: { description: 'why' }, score: { description: '0 to 1', minValue: 0, maxValue: 1 } },
    } });
    expect(evaluator.status, JSON.stringify(evaluator.body)).toBe(200);
    const created = await t.json('POST', '/api/public/unstable/evaluation-rules', { body: {
      name: 'api rule', evaluator: { name: 'api-judge', type: 'llm_as_judge' }, target: 'trace', enabled: true, sampling: 1, delay: 0,
      filter: [{ column: 'tags', operator: 'any of', value: ['api'] }],
      mapping: [{ variable: 'question', source: 'input', jsonPath: '$.question' }, { variable: 'answer', source: 'output' }],
    } });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    await ingest(t.a.auth, trace('t-api', { tags: ['api'] }));
    await scanner().scan();
    const job = (await jobOf(p, created.body.id, 't-api'))!;
    const [done] = await settled(t.storage, p, [job.id]);
    expect(done.state, done.lastError ?? '').toBe('succeeded');
    const scores = await t.json('GET', '/api/public/v2/scores?name=api-judge');
    expect(scores.body.data).toEqual([expect.objectContaining({ traceId: 't-api', source: 'EVAL', value: 0.9, comment: 'judged: Question: what is t-api?' })]);
  });

  it('records a malformed answer as a failed evaluation with the reason, and the server keeps going', async () => {
    const p = t.a.project.id;
    const r = await rule(p);
    await ingest(t.a.auth, trace('t-bad', { input: { question: 'MALFORMED please' } }), trace('t-good'));
    await scanner().scan();
    const bad = (await jobOf(p, r.id, 't-bad'))!;
    const good = (await jobOf(p, r.id, 't-good'))!;
    const [b, g] = await settled(t.storage, p, [bad.id, good.id]);
    expect(b).toMatchObject({ state: 'failed', attempts: 1 });
    expect(b.lastError).toMatch(/malformed judge output: the judge's answer holds no JSON object/);
    expect(g.state).toBe('succeeded');
    expect(await t.storage.scores.get(p, `eval-${bad.id}`)).toBeNull();
    const exec = await t.json('GET', `/api/public/traces/eval-exec-${bad.id}`);
    expect(exec.body.observations[0]).toMatchObject({ level: 'ERROR', statusMessage: expect.stringMatching(/no JSON object/) });
  });

  it('retries a 429 after its Retry-After and a 500 with backoff, then scores', async () => {
    const p = t.a.project.id;
    const r = await rule(p);
    fake.script.push(() => ({ status: 429, headers: { 'retry-after': '1' } }), () => ({ status: 500 }));
    await ingest(t.a.auth, trace('t-flaky'));
    await scanner().scan();
    const job = (await jobOf(p, r.id, 't-flaky'))!;
    const [done] = await settled(t.storage, p, [job.id]);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 3 });
    expect(done.lastError).toMatch(/HTTP 500/);
    expect(await t.storage.scores.get(p, `eval-${job.id}`)).toMatchObject({ source: 'EVAL', value: 0.9 });
  });

  it('queues only targets matching the filter, and a target once an update makes it match', async () => {
    const p = t.a.project.id;
    const r = await rule(p, { filter: [{ column: 'tags', operator: 'any of', key: null, value: ['prod'] }] });
    await ingest(t.a.auth, trace('t-tagged', { tags: ['prod'] }), trace('t-untagged'));
    await scanner().scan();
    expect(await jobOf(p, r.id, 't-untagged')).toBeNull();
    const [tagged] = await settled(t.storage, p, [(await jobOf(p, r.id, 't-tagged'))!.id]);
    expect(tagged.state).toBe('succeeded');
    await ingest(t.a.auth, trace('t-untagged', { tags: ['prod'] }));
    await scanner().scan();
    const [later] = await settled(t.storage, p, [(await jobOf(p, r.id, 't-untagged'))!.id]);
    expect(later.state, later.lastError ?? '').toBe('succeeded');
    const none = await rule(p, { sampling: 0.000001 });
    await ingest(t.a.auth, trace('t-unsampled'));
    await scanner().scan();
    expect(await jobOf(p, none.id, 't-unsampled')).toBeNull();
  });

  it('scores experiment run items against the dataset item expected output', async () => {
    const p = t.a.project.id;
    const r = await rule(p, {
      target: 'experiment',
      mapping: [
        { variable: 'question', source: 'input', object: 'trace', observationName: null, jsonPath: '$.question' },
        { variable: 'answer', source: 'expected_output', object: 'trace', observationName: null, jsonPath: '$.text' },
      ],
    });
    expect((await t.json('POST', '/api/public/v2/datasets', { body: { name: `ds-${r.id}` } })).status).toBe(200);
    const item = await t.json('POST', '/api/public/dataset-items', { body: { datasetName: `ds-${r.id}`, input: { q: 1 }, expectedOutput: { text: 'forty-two' } } });
    expect(item.status).toBe(200);
    await ingest(t.a.auth, trace('t-exp'));
    const runItem = await t.json('POST', '/api/public/dataset-run-items', { body: { runName: 'run-1', datasetItemId: item.body.id, traceId: 't-exp' } });
    expect(runItem.status).toBe(200);
    await scanner().scan();
    const job = (await jobOf(p, r.id, runItem.body.id))!;
    const [done] = await settled(t.storage, p, [job.id]);
    expect(done.state, done.lastError ?? '').toBe('succeeded');
    expect(await t.storage.scores.get(p, `eval-${job.id}`)).toMatchObject({ traceId: 't-exp', source: 'EVAL' });
    const prompt = fake.requests.map((q) => lastUser(q.body)).find((c) => c.includes('forty-two'));
    expect(prompt).toContain('Answer: forty-two');
  });

  it('evaluates observations matching the rule after its delay, reading a named observation and tool calls for trace rules', async () => {
    const p = t.a.project.id;
    const r = await rule(p, {
      target: 'observation', delayMs: 60_000,
      filter: [{ column: 'name', operator: '=', key: null, value: 'answer' }, { column: 'userId', operator: '=', key: null, value: 'u-1' }],
      mapping: [
        { variable: 'question', source: 'input', object: 'observation', observationName: null, jsonPath: '$.messages[-1].content' },
        { variable: 'answer', source: 'output', object: 'observation', observationName: null, jsonPath: null },
      ],
    });
    await ingest(t.a.auth, trace('t-obs', { userId: 'u-1' }), trace('t-obs-2', { userId: 'u-2' }),
      { type: 'generation-create', body: { id: 'o-answer', traceId: 't-obs', name: 'answer', input: { messages: [{ role: 'user', content: 'why?' }] }, output: 'because' } },
      { type: 'generation-create', body: { id: 'o-answer-2', traceId: 't-obs-2', name: 'answer', output: 'other user' } },
      { type: 'span-create', body: { id: 'o-retrieve', traceId: 't-obs', name: 'retrieve' } });
    await scanner().scan();
    expect(await jobOf(p, r.id, 'o-retrieve')).toBeNull(); // its own name does not match
    const job = (await jobOf(p, r.id, 'o-answer'))!;
    // The trace's userId is checked when the job runs (a trace update does not bring its observations back).
    const other = (await jobOf(p, r.id, 'o-answer-2'))!;
    expect(job.runAt - job.createdAt).toBeGreaterThan(50_000); // queued to run after the rule's delay
    expect(job.state).toBe('queued');
    // The delay passing, for the test: copies of both jobs due now. The other observation's trace does not match the filter.
    const [done, skipped] = await settled(t.storage, p, [(await enqueueNow(p, r.id, 'o-answer', job.id)), (await enqueueNow(p, r.id, 'o-answer-2', other.id))]);
    expect(done.state, done.lastError ?? '').toBe('succeeded');
    expect(skipped.result).toEqual({ skipped: 'no longer matches the rule filter' });
    expect(await t.storage.scores.get(p, `eval-${done.id}`)).toMatchObject({ traceId: 't-obs', observationId: 'o-answer', source: 'EVAL' });
    expect(lastUser(fake.requests.at(-1)!.body)).toContain('Question: why?\nAnswer: because');

    const byName = await rule(p, {
      mapping: [
        { variable: 'question', source: 'tool_calls', object: 'observation', observationName: 'plan', jsonPath: '$[0][0].function.name' },
        { variable: 'answer', source: 'output', object: 'observation', observationName: 'plan', jsonPath: '$.choices[0].message.content' },
      ],
    });
    await ingest(t.a.auth, trace('t-named'), { type: 'generation-create', body: { id: 'o-plan', traceId: 't-named', name: 'plan', output: { choices: [{ message: { content: 'call the tool', tool_calls: [{ function: { name: 'search' } }] } }] } } });
    await scanner().scan();
    const [named] = await settled(t.storage, p, [(await jobOf(p, byName.id, 't-named'))!.id]);
    expect(named.state, named.lastError ?? '').toBe('succeeded');
    expect(lastUser(fake.requests.at(-1)!.body)).toContain('Question: search\nAnswer: call the tool');
  });

  it('judges through an Anthropic connection into a categorical score config', async () => {
    const p = t.a.project.id;
    await t.storage.llmConnections.upsert({
      projectId: p, id: `conn-claude-${p}`, provider: 'claude', adapter: 'anthropic', secretKey: deps.box.encrypt('sk-ant', p), displaySecretKey: '...-ant',
      baseURL: fake.url, customModels: [], withDefaultModels: true, extraHeaders: null, extraHeaderKeys: [], config: null, createdAt: 1, updatedAt: 1,
    });
    await t.storage.scoreConfigs.create({
      id: `cfg-${p}`, projectId: p, name: 'verdict', dataType: 'CATEGORICAL', isArchived: false, minValue: null, maxValue: null,
      categories: [{ label: 'pass', value: 1 }, { label: 'fail', value: 0 }], description: null, createdAt: 1, updatedAt: 1,
    });
    const r = await rule(p, {}, {
      provider: 'claude', model: 'claude-3-5-haiku-latest', prompt: 'Verdict: {{question}}', scoreName: 'verdict', scoreConfigId: `cfg-${p}`,
      output: { dataType: 'CATEGORICAL', scoreDescription: 'pass or fail', reasoningDescription: 'why', categories: null },
    });
    await ingest(t.a.auth, trace('t-claude'));
    await scanner().scan();
    const [done] = await settled(t.storage, p, [(await jobOf(p, r.id, 't-claude'))!.id]);
    expect(done.state, done.lastError ?? '').toBe('succeeded');
    expect(fake.requests.at(-1)?.url).toMatch(/\/v1\/messages$/);
    expect(lastUser(fake.requests.at(-1)!.body)).toContain('"score": exactly one of "pass", "fail"');
    expect(await t.storage.scores.get(p, `eval-${done.id}`)).toMatchObject({ name: 'verdict', dataType: 'CATEGORICAL', value: 1, stringValue: 'pass', configId: `cfg-${p}`, comment: 'meets the bar' });
  });

  it('estimates and runs a bulk evaluation of existing traces, then reports its progress', async () => {
    const p = t.a.project.id;
    const from = Date.now() - 1000;
    await ingest(t.a.auth, ...['b1', 'b2', 'b3'].map((id) => trace(id, { name: 'bulk' })), trace('b-other'));
    const r = await rule(p, { enabled: false, status: 'inactive', filter: [{ column: 'name', operator: '=', key: null, value: 'bulk' }] });
    const base = `/projects/${p}/evaluation-rules/${r.id}`;
    const to = Date.now() + 1000;
    const estimate = await roles.viewer.get(`${base}/bulk-estimate?from=${from}&to=${to}`);
    expect(estimate.status).toBe(200);
    expect(estimate.body).toMatchObject({ targets: 3, capped: false, model: 'gpt-4o-mini' });
    expect(estimate.body.totalTokens).toBeGreaterThan(0);
    expect(estimate.body.costUsd).toBeGreaterThan(0);
    expect((await roles.viewer.post(`${base}/bulk-run`, { from, to })).status).toBe(403);
    expect((await roles.member.post(`${base}/bulk-run`, { from: 'yesterday', to })).body.message).toMatch(/from: must be a time/);
    const run = await roles.member.post(`${base}/bulk-run`, { from, to });
    expect(run.body).toEqual({ queued: 3, existing: 0, capped: false });
    expect((await roles.member.post(`${base}/bulk-run`, { from, to })).body).toEqual({ queued: 0, existing: 3, capped: false });
    const ids = await Promise.all(['b1', 'b2', 'b3'].map(async (id) => (await jobOf(p, r.id, id))!.id));
    await settled(t.storage, p, ids);
    const progress = await roles.viewer.get(`${base}/progress`);
    expect(progress.body).toMatchObject({ queued: 0, running: 0, succeeded: 3, failed: 0, recentFailures: [] });
  });

  it('keeps projects apart: rules see only their project, and bulk routes do not reach another project', async () => {
    const a = t.a.project.id;
    const b = t.b.project.id;
    const ruleA = await rule(a);
    const ruleB = await rule(b); // project B has no connection
    await ingest(t.b.auth, trace('t-b'));
    await scanner().scan();
    expect(await jobOf(a, ruleA.id, 't-b')).toBeNull();
    const jobB = (await jobOf(b, ruleB.id, 't-b'))!;
    const [doneB] = await settled(t.storage, b, [jobB.id]);
    expect(doneB).toMatchObject({ state: 'failed', lastError: 'LLM connection fake not found in the project' });
    expect((await roles.owner.get(`/projects/${a}/evaluation-rules/${ruleB.id}/progress`)).status).toBe(404);
    expect((await roles.member.get(`/projects/${b}/evaluation-rules/${ruleB.id}/progress`)).status).toBe(404); // not a member of B
  });
});
