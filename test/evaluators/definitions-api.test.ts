// The unstable evaluators and evaluation-rules API on both engines: Langfuse's shapes, versions by
// name, every validation rule as a 4xx naming the field, 409s, project isolation, full access
// only, and rules paused when their LLM connection is deleted (resumed when it is back).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../packages/server/src/testing/test-app.js';
import { ENGINES } from '../support/index.js';
import { llmDeps } from '../llm/helpers.js';

const EVALUATORS = '/api/public/unstable/evaluators';
const RULES = '/api/public/unstable/evaluation-rules';

const judge = (name: string, over: Record<string, unknown> = {}) => ({
  name,
  type: 'llm_as_judge',
  prompt: 'Question: {{input}}\nAnswer: {{output}}\nIs the answer supported?',
  outputDefinition: { dataType: 'NUMERIC', reasoning: { description: 'why' }, score: { description: '0 to 1', minValue: 0, maxValue: 1 } },
  modelConfig: { provider: 'openai', model: 'gpt-4o-mini' },
  ...over,
});

const mapping = [
  { variable: 'input', source: 'input' },
  { variable: 'output', source: 'output', jsonPath: '$.messages[-1].content' },
];

describe.each(ENGINES)('evaluators API (%s)', (engine) => {
  let t: TestApp;
  const connect = (auth: string, provider = 'openai') =>
    t.json('PUT', '/api/public/llm-connections', { auth, body: { provider, adapter: 'openai', secretKey: 'sk-test-abcd', baseURL: 'http://127.0.0.1:9/v1', customModels: ['house-model'] } });
  beforeAll(async () => {
    t = await createTestApp(engine, { llm: llmDeps() });
    expect((await connect(t.a.auth)).status).toBe(200);
    expect((await connect(t.b.auth)).status).toBe(200);
  });
  afterAll(() => t.close());

  const post = async (path: string, body: unknown, auth = t.a.auth) => {
    const res = await t.json('POST', path, { body, auth });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it('creates an evaluator in the spec shape; the same name writes the next version under a stable id', async () => {
    const v1 = await post(EVALUATORS, judge('groundedness'));
    expect(v1).toMatchObject({
      id: expect.any(String), name: 'groundedness', version: 1, type: 'llm_as_judge', variables: ['input', 'output'], mapping: null,
      evaluationRuleCount: 0, prompt: expect.stringContaining('{{input}}'), modelConfig: { provider: 'openai', model: 'gpt-4o-mini' },
      outputDefinition: { dataType: 'NUMERIC', reasoning: { description: 'why' }, score: { description: '0 to 1', minValue: 0, maxValue: 1 } },
      scoreName: 'groundedness', createdAt: expect.stringMatching(/Z$/), updatedAt: expect.stringMatching(/Z$/),
    });
    const v2 = await post(EVALUATORS, judge('groundedness', { prompt: 'Answer {{output}} given {{context}}' }));
    expect(v2).toMatchObject({ id: v1.id, version: 2, variables: ['output', 'context'] });
    expect(v2.versionId).not.toBe(v1.versionId);
    expect((await t.json('GET', `${EVALUATORS}/${v1.id}`)).body).toEqual(v2);
    const list = await t.json('GET', `${EVALUATORS}?limit=50`);
    expect(list.body.data.filter((e: { name: string }) => e.name === 'groundedness')).toHaveLength(1);
    expect(list.body.meta).toMatchObject({ page: 1, limit: 50 });

    const categorical = await post(EVALUATORS, judge('tone', {
      modelConfig: null,
      outputDefinition: { dataType: 'CATEGORICAL', reasoning: { description: 'why' }, score: { description: 'label', categories: ['kind', 'rude'], shouldAllowMultipleMatches: false } },
    }));
    expect(categorical.modelConfig).toBeNull();
    expect(categorical.outputDefinition.score).toEqual({ description: 'label', categories: ['kind', 'rude'], shouldAllowMultipleMatches: false });
  });

  it('refuses bad evaluators with a 4xx naming the field and the rule, and the spec code', async () => {
    const cases: [Record<string, unknown>, number, string, string][] = [
      [judge('x', { prompt: undefined }), 400, 'invalid_body', 'prompt'],
      [judge('x', { outputDefinition: { dataType: 'TEXT', reasoning: { description: 'r' }, score: { description: 's' } } }), 400, 'invalid_body', 'outputDefinition.dataType'],
      [judge('x', { outputDefinition: { dataType: 'CATEGORICAL', reasoning: { description: 'r' }, score: { description: 's' } } }), 400, 'invalid_body', 'outputDefinition.score.categories'],
      [judge('x', { outputDefinition: { dataType: 'NUMERIC', reasoning: { description: 'r' }, score: { description: 's', minValue: 2, maxValue: 1 } } }), 400, 'invalid_body', 'minValue: must not exceed maxValue'],
      [judge('x', { type: 'code' }), 400, 'invalid_body', 'type: Sightline runs llm_as_judge evaluators only'],
      [judge(''), 400, 'invalid_body', 'name: must be 1 to 200 characters'],
      [judge('x', { prompt: 'a'.repeat(50_001) }), 400, 'invalid_body', 'prompt: must be 1 to 50000 characters'],
      [judge('x', { mapping: [{ variable: 'nope', source: 'input' }] }), 400, 'invalid_variable_mapping', "mapping[0].variable: the evaluator has no variable 'nope'"],
      [judge('x', { scoreConfigId: 'missing' }), 400, 'invalid_body', "scoreConfigId: the project has no score config 'missing'"],
      [judge('x', { modelConfig: { provider: 'mistral', model: 'm' } }), 422, 'evaluator_preflight_failed', "no LLM connection for provider 'mistral'"],
    ];
    for (const [body, status, code, message] of cases) {
      const res = await t.json('POST', EVALUATORS, { body });
      expect(res.status, JSON.stringify(body).slice(0, 200)).toBe(status);
      expect(res.body.code).toBe(code);
      expect(res.body.message).toContain(message);
    }
    const bad = await t.json('POST', EVALUATORS, { body: judge('x', { prompt: 42 }) });
    expect(bad.body.details.issues[0].path).toEqual(['prompt']);
  });

  it('creates, reads, updates and deletes a rule in the spec shape', async () => {
    await post(EVALUATORS, judge('helpfulness'));
    const rule = await post(RULES, {
      name: 'helpful prod generations', evaluator: { name: 'helpfulness', type: 'llm_as_judge' }, target: 'observation', enabled: true, sampling: 0.5,
      filter: [{ column: 'type', operator: 'any of', value: ['GENERATION'] }, { column: 'metadata', key: 'tier', operator: '=', value: 'gold' }], mapping,
    });
    expect(rule).toMatchObject({
      id: expect.any(String), name: 'helpful prod generations', evaluator: { id: expect.any(String), name: 'helpfulness', type: 'llm_as_judge' },
      enabled: true, status: 'active', pausedReason: null, pausedMessage: null, sampling: 0.5, target: 'observation', delay: 30_000,
      filter: [{ column: 'type', operator: 'any of', value: ['GENERATION'] }, { column: 'metadata', key: 'tier', operator: '=', value: 'gold' }],
      mapping: [{ variable: 'input', source: 'input', jsonPath: null }, { variable: 'output', source: 'output', jsonPath: '$.messages[-1].content' }],
    });
    expect(rule.evaluators).toEqual([{ evaluator: rule.evaluator, mapping: rule.mapping }]);
    expect((await t.json('GET', `${RULES}/${rule.id}`)).body).toEqual(rule);

    const patched = await t.json('PATCH', `${RULES}/${rule.id}`, { body: { enabled: false, sampling: 1 } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ enabled: false, status: 'inactive', sampling: 1, mapping: rule.mapping });
    expect((await t.json('PATCH', `${RULES}/${rule.id}`, { body: {} })).status).toBe(400);

    // A trace rule (Sightline extension) reads the trace or a named observation of it.
    const traceRule = await post(RULES, {
      name: 'whole traces', evaluators: [{ evaluator: { name: 'helpfulness' }, mapping: [{ variable: 'input', source: 'input' }, { variable: 'output', source: 'output', object: 'observation', observationName: 'answer' }] }],
      target: 'trace', enabled: false, delay: 0, filter: [{ column: 'tags', operator: 'all of', value: ['prod'] }],
    });
    expect(traceRule.mapping[1]).toEqual({ variable: 'output', source: 'output', jsonPath: null, object: 'observation', observationName: 'answer' });
    expect(traceRule.delay).toBe(0);

    expect((await t.json('DELETE', `${RULES}/${traceRule.id}`)).body).toEqual({ message: 'Evaluation rule successfully deleted' });
    expect((await t.json('GET', `${RULES}/${traceRule.id}`)).status).toBe(404);
  });

  it('refuses bad rules with the spec code and a message naming the field and the rule', async () => {
    await post(EVALUATORS, judge('checker'));
    await post(EVALUATORS, judge('correct', { prompt: '{{output}} vs {{expected_output}}' }));
    const rule = (over: Record<string, unknown>) => ({ name: 'r', evaluator: { name: 'checker' }, target: 'observation', enabled: false, mapping, ...over });
    const cases: [Record<string, unknown>, number, string, string][] = [
      [rule({ mapping: [mapping[0]] }), 400, 'missing_variable_mapping', 'missing output'],
      [rule({ mapping: [...mapping, mapping[0]] }), 400, 'duplicate_variable_mapping', "mapping[2].variable: 'input' is mapped more than once"],
      [rule({ mapping: [mapping[0], { variable: 'outptu', source: 'output' }] }), 400, 'invalid_variable_mapping', "mapping[1].variable: the evaluator has no variable 'outptu'"],
      [rule({ mapping: [mapping[0], { variable: 'output', source: 'expected_output' }] }), 400, 'invalid_variable_mapping', "mapping[1].source: 'expected_output' is not a source of target observation"],
      [rule({ mapping: [mapping[0], { variable: 'output', source: 'output', jsonPath: 'messages' }] }), 400, 'invalid_json_path', 'mapping[1].jsonPath: must start with $'],
      [rule({ mapping: [mapping[0], { variable: 'output', source: 'output', jsonPath: '$.a[?(@.x)]' }] }), 400, 'invalid_json_path', 'mapping[1].jsonPath'],
      [rule({ sampling: 0 }), 400, 'invalid_body', 'sampling: must be greater than 0 and at most 1'],
      [rule({ sampling: 1.5 }), 400, 'invalid_body', 'sampling: must be greater than 0 and at most 1'],
      [rule({ delay: -1 }), 400, 'invalid_body', 'delay: must be a whole number of milliseconds from 0 to 86400000'],
      [rule({ delay: 86_400_001 }), 400, 'invalid_body', 'delay:'],
      [rule({ target: 'dataset' }), 400, 'invalid_body', 'target: must be one of trace, observation, experiment'],
      [rule({ filter: [{ column: 'datasetId', operator: 'any of', value: ['d'] }] }), 400, 'invalid_filter_value', "filter[0]: column 'datasetId' cannot filter target observation"],
      [rule({ filter: [{ column: 'level', operator: 'any of', value: ['LOUD'] }] }), 400, 'invalid_filter_value', 'filter[0]: level has no value LOUD'],
      [rule({ filter: [{ column: 'name', operator: 'ends with', value: 'x' }] }), 400, 'invalid_filter_value', "filter[0]: operator 'ends with' does not apply to name"],
      [rule({ filter: [{ column: 'metadata', operator: '=', value: 'x' }] }), 400, 'invalid_filter_value', 'filter[0]: a metadata condition needs the key'],
      [rule({ evaluator: { name: 'nobody' } }), 404, 'resource_not_found', "evaluator.name: the project has no evaluator named 'nobody'"],
      [rule({ evaluator: undefined }), 400, 'invalid_body', 'evaluator: required'],
      [rule({ evaluators: [{ evaluator: { name: 'checker' } }, { evaluator: { name: 'correct' } }], evaluator: undefined, mapping: undefined }), 400, 'invalid_body', 'evaluators: Sightline rules run exactly one evaluator'],
      [rule({ evaluators: [{ evaluator: { name: 'checker' } }] }), 400, 'invalid_body', 'evaluators: send either evaluators, or the deprecated evaluator and mapping'],
      [rule({ evaluator: { name: 'correct' }, mapping: [{ variable: 'output', source: 'output' }, { variable: 'expected_output', source: 'expected_output' }] }), 400, 'invalid_variable_mapping', "'expected_output' is not a source of target observation"],
    ];
    for (const [body, status, code, message] of cases) {
      const res = await t.json('POST', RULES, { body });
      expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(status);
      expect(res.body.code, JSON.stringify(res.body)).toBe(code);
      expect(res.body.message).toContain(message);
    }
    const details = (await t.json('POST', RULES, { body: rule({ mapping: [mapping[0]] }) })).body.details;
    expect(details).toMatchObject({ variables: ['output'] });
    // expected_output is fine on experiments, with a datasetId filter.
    const dataset = await post('/api/public/v2/datasets', { name: 'golden' });
    const foreign = await post('/api/public/v2/datasets', { name: 'theirs' }, t.b.auth);
    const experiment = (datasetIds: string[]) => rule({
      name: 'exp', target: 'experiment', evaluator: { name: 'correct' }, filter: [{ column: 'datasetId', operator: 'any of', value: datasetIds }],
      mapping: [{ variable: 'output', source: 'output' }, { variable: 'expected_output', source: 'expected_output' }],
    });
    for (const ids of [['golden'], [foreign.id]]) {
      const res = await t.json('POST', RULES, { body: experiment(ids) });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'invalid_filter_value', details: { column: 'datasetId', invalidValues: ids } });
      expect(res.body.message).toContain('filter[0]: the project has no dataset with the id');
    }
    await post(RULES, experiment([dataset.id]));
  });

  it('answers 409 on a taken rule name, on create and on rename', async () => {
    await post(EVALUATORS, judge('dup-judge'));
    const body = { name: 'taken', evaluator: { name: 'dup-judge' }, target: 'observation', enabled: false, mapping };
    await post(RULES, body);
    const again = await t.json('POST', RULES, { body });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'name_conflict', message: expect.stringContaining("name: the project already has an evaluation rule named 'taken'") });
    const other = await post(RULES, { ...body, name: 'other' });
    const rename = await t.json('PATCH', `${RULES}/${other.id}`, { body: { name: 'taken' } });
    expect(rename.status).toBe(409);
    // Another project may use the name.
    await post(EVALUATORS, judge('dup-judge'), t.b.auth);
    await post(RULES, body, t.b.auth);
  });

  it('moves rules to a new evaluator version; a mapping that no longer fits pauses the rule', async () => {
    const ev = await post(EVALUATORS, judge('evolving'));
    const rule = await post(RULES, { name: 'evolving rule', evaluator: { name: 'evolving' }, target: 'observation', enabled: true, mapping });
    expect(rule.evaluator.id).toBe(ev.versionId);
    const v2 = await post(EVALUATORS, judge('evolving', { prompt: 'Now {{input}} and {{output}} again' }));
    expect(v2.evaluationRuleCount).toBe(1);
    expect((await t.json('GET', `${RULES}/${rule.id}`)).body).toMatchObject({ evaluator: { id: v2.versionId }, status: 'active' });
    await post(EVALUATORS, judge('evolving', { prompt: 'Only {{context}}' }));
    const paused = (await t.json('GET', `${RULES}/${rule.id}`)).body;
    expect(paused).toMatchObject({ status: 'paused', enabled: true, pausedReason: 'invalid_variable_mapping' });
    const fixed = await t.json('PATCH', `${RULES}/${rule.id}`, { body: { mapping: [{ variable: 'context', source: 'metadata', jsonPath: '$.context' }] } });
    expect(fixed.body).toMatchObject({ status: 'active', pausedReason: null });
  });

  it('pauses the rules of a deleted connection with the reason, refuses to enable them, and resumes them when it is back', async () => {
    expect((await connect(t.a.auth, 'anthropic')).status).toBe(200);
    await post(EVALUATORS, judge('claude-judge', { modelConfig: { provider: 'anthropic', model: 'claude-x' } }));
    const on = await post(RULES, { name: 'claude on', evaluator: { name: 'claude-judge' }, target: 'observation', enabled: true, mapping });
    const off = await post(RULES, { name: 'claude off', evaluator: { name: 'claude-judge' }, target: 'observation', enabled: false, mapping });
    const conn = (await t.json('GET', '/api/public/llm-connections')).body.data.find((c: { provider: string }) => c.provider === 'anthropic');
    expect((await t.json('DELETE', `/api/public/llm-connections/${conn.id}`)).status).toBe(200);
    const paused = (await t.json('GET', `${RULES}/${on.id}`)).body;
    expect(paused).toMatchObject({ enabled: true, status: 'paused', pausedReason: 'llm_connection_unavailable', pausedMessage: expect.stringContaining("no LLM connection for provider 'anthropic'") });
    expect((await t.json('GET', `${RULES}/${off.id}`)).body).toMatchObject({ status: 'inactive', pausedReason: null });
    expect((await t.storage.evaluators.activeRules(t.a.project.id)).map((r) => r.id)).not.toContain(on.id);
    const enable = await t.json('PATCH', `${RULES}/${off.id}`, { body: { enabled: true } });
    expect(enable.status).toBe(422);
    expect(enable.body).toMatchObject({ code: 'evaluator_preflight_failed', details: { evaluatorName: 'claude-judge', provider: 'anthropic', model: 'claude-x' } });
    expect((await connect(t.a.auth, 'anthropic')).status).toBe(200);
    expect((await t.json('GET', `${RULES}/${on.id}`)).body).toMatchObject({ status: 'active', pausedReason: null, pausedMessage: null });
    expect((await t.json('PATCH', `${RULES}/${off.id}`, { body: { enabled: true } })).body.status).toBe('active');
  });

  it('caps active rules at 500 per project with a 409', async () => {
    const ev = await t.storage.evaluators.evaluatorVersions(t.b.project.id, 'dup-judge');
    const now = Date.now();
    const active = (await t.storage.evaluators.activeRules(t.b.project.id)).length;
    for (let i = active; i < 500; i++) {
      await t.storage.evaluators.createRule({
        projectId: t.b.project.id, id: `bulk-${i}`, name: `bulk ${i}`, evaluatorId: ev[0].id, target: 'observation', filter: [], mapping: [],
        sampling: 1, delayMs: 0, enabled: true, status: 'active', pausedReason: null, pausedMessage: null, createdAt: now, updatedAt: now,
      });
    }
    const res = await t.json('POST', RULES, { auth: t.b.auth, body: { name: 'one too many', evaluator: { name: 'dup-judge' }, target: 'observation', enabled: true, mapping } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'conflict', details: { limit: 500 } });
    expect((await t.json('POST', RULES, { auth: t.b.auth, body: { name: 'disabled is fine', evaluator: { name: 'dup-judge' }, target: 'observation', enabled: false, mapping } })).status).toBe(200);
  });

  it('keeps projects apart and needs full access', async () => {
    const ev = await post(EVALUATORS, judge('private-judge'));
    const rule = await post(RULES, { name: 'private rule', evaluator: { name: 'private-judge' }, target: 'observation', enabled: false, mapping });
    for (const [method, path] of [['GET', `${EVALUATORS}/${ev.id}`], ['DELETE', `${EVALUATORS}/${ev.id}`], ['GET', `${RULES}/${rule.id}`], ['PATCH', `${RULES}/${rule.id}`], ['DELETE', `${RULES}/${rule.id}`]] as const) {
      const res = await t.json(method, path, { auth: t.b.auth, body: method === 'PATCH' ? { sampling: 0.5 } : undefined });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.code).toBe('resource_not_found');
    }
    expect((await t.json('GET', EVALUATORS, { auth: t.b.auth })).body.data.map((e: { name: string }) => e.name)).not.toContain('private-judge');
    const ruleForB = await t.json('POST', RULES, { auth: t.b.auth, body: { name: 'x', evaluator: { name: 'private-judge' }, target: 'observation', enabled: false, mapping } });
    expect(ruleForB.status).toBe(404);
    const bearer = `Bearer ${t.a.publicKey}`;
    expect((await t.json('GET', EVALUATORS, { auth: bearer })).status).toBe(403);
    expect((await t.json('GET', EVALUATORS, { auth: null })).status).toBe(401);
    // Deleting an evaluator deletes its rules.
    expect((await t.json('DELETE', `${EVALUATORS}/${ev.id}`)).body).toEqual({ message: 'Evaluator successfully deleted' });
    expect((await t.json('GET', `${RULES}/${rule.id}`)).status).toBe(404);
  });
});
