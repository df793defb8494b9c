import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';
import { browsersByRole, type RoleBrowsers } from '../testing/ui-roles.js';

const SETUP_TOKEN = 'setup-token-for-the-evaluators-ui-test';

describe.each<Engine>(['sqlite', 'postgres'])('evaluators in the UI API on %s', (engine) => {
  let t: TestApp;
  let pid = '';
  let as: RoleBrowsers;
  const base = () => `/projects/${pid}`;
  const evaluator = {
    name: 'relevance', description: null, prompt: 'Does {{output}} answer {{input}}?', provider: 'openai', model: 'gpt-4o-mini', modelParams: { temperature: 0 },
    output: { dataType: 'NUMERIC', scoreDescription: '0 to 1', reasoningDescription: 'why', categories: null, minValue: 0, maxValue: 1 },
    scoreName: 'relevance', scoreConfigId: null, templateId: 'relevance',
  };
  const rule = {
    name: 'all traces', evaluatorName: 'relevance', target: 'trace', filter: [{ column: 'environment', operator: '=', key: null, value: 'production' }],
    mapping: [{ variable: 'output', source: 'output', object: 'trace', observationName: null, jsonPath: null }, { variable: 'input', source: 'input', object: 'trace', observationName: null, jsonPath: '$.question' }],
    sampling: 0.1, delayMs: 5_000, enabled: true,
  };

  beforeAll(async () => {
    t = await createTestApp(engine, { setupToken: SETUP_TOKEN });
    pid = t.a.project.id;
    as = await browsersByRole(t, SETUP_TOKEN, pid);
    const now = Date.now();
    await t.storage.llmConnections.upsert({
      projectId: pid, id: 'conn', provider: 'openai', adapter: 'openai', secretKey: 'v1.secret', displaySecretKey: '...cret', baseURL: null, customModels: ['gpt-4o-mini'],
      withDefaultModels: true, extraHeaders: null, extraHeaderKeys: [], config: null, createdAt: now, updatedAt: now,
    });
  });
  afterAll(async () => t?.close());

  it('lets members create evaluators, versions and rules, and viewers only read', async () => {
    expect((await as.viewer.post(`${base()}/evaluators`, evaluator)).status).toBe(403);
    expect((await as.member.post(`${base()}/evaluators`, evaluator)).status).toBe(201);
    expect((await as.member.post(`${base()}/evaluators`, { ...evaluator, prompt: `${evaluator.prompt} Be strict.` })).status).toBe(201);
    expect((await as.viewer.post(`${base()}/evaluation-rules`, rule)).status).toBe(403);
    const created = await as.member.post(`${base()}/evaluation-rules`, rule);
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    const page = await as.viewer.get(`${base()}/evaluators`);
    expect(page.status).toBe(200);
    expect(page.body.evaluators).toEqual([expect.objectContaining({ latest: expect.objectContaining({ name: 'relevance', version: 2 }), versionCount: 2, ruleCount: 1 })]);
    expect(page.body.rules).toEqual([expect.objectContaining({ name: 'all traces', evaluatorName: 'relevance', evaluatorVersion: 2, status: 'active', sampling: 0.1, delayMs: 5_000 })]);
    expect(page.body.templates.map((x: { id: string }) => x.id)).toEqual(['hallucination', 'relevance', 'toxicity', 'correctness']);
    expect(page.body.connections).toEqual([{ provider: 'openai', adapter: 'openai', customModels: ['gpt-4o-mini'], withDefaultModels: true }]);
    expect(JSON.stringify(page.body)).not.toContain('v1.secret');
    expect((await as.viewer.get(`${base()}/evaluators/relevance/versions`)).body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const id = created.body.rule.id as string;
    expect((await as.viewer.call('PUT', `${base()}/evaluation-rules/${id}`, { ...rule, enabled: false })).status).toBe(403);
    const off = await as.member.call('PUT', `${base()}/evaluation-rules/${id}`, { ...rule, enabled: false });
    expect(off.body.rule).toMatchObject({ enabled: false, status: 'inactive' });
    expect((await as.viewer.del(`${base()}/evaluation-rules/${id}`)).status).toBe(403);
    expect((await as.member.del(`${base()}/evaluation-rules/${id}`)).status).toBe(200);
    expect((await as.member.del(`${base()}/evaluators/relevance`)).status).toBe(200);
  });

  it('answers bad input with a 400 naming the field and the rule', async () => {
    const bad = await as.member.post(`${base()}/evaluators`, { ...evaluator, name: '' });
    expect(bad).toMatchObject({ status: 400, body: { message: 'name: must be 1 to 200 characters' } });
    await as.member.post(`${base()}/evaluators`, evaluator);
    const noMapping = await as.member.post(`${base()}/evaluation-rules`, { ...rule, name: 'partial', mapping: [rule.mapping[0]] });
    expect(noMapping).toMatchObject({ status: 400, body: { message: 'mapping: every evaluator variable must be mapped; missing input' } });
    const sampling = await as.member.post(`${base()}/evaluation-rules`, { ...rule, name: 'x', sampling: 0 });
    expect(sampling.body.message).toBe('sampling: must be greater than 0 and at most 1');
  });

  it('reads and deletes an evaluator whose name holds a slash', async () => {
    expect((await as.member.post(`${base()}/evaluators`, { ...evaluator, name: 'team/judge' })).status).toBe(201);
    const name = encodeURIComponent('team/judge');
    expect((await as.viewer.get(`${base()}/evaluators/${name}/versions`)).body.versions).toHaveLength(1);
    expect((await as.member.del(`${base()}/evaluators/${name}`)).status).toBe(200);
    expect((await as.viewer.get(`${base()}/evaluators/${name}/versions`)).status).toBe(404);
  });
});
