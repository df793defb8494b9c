import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startUi, type UiHarness } from './support/harness.js';

// The rule page's "Evaluate existing data" card (BulkEvaluate.tsx, listed in the rule page's
// RULE_EXTENSIONS) in a real browser.
describe('bulk evaluation on the rule page in Chromium', () => {
  let h: UiHarness;
  let projectId = '';
  let ruleId = '';
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${h.url}${path}`, { method, headers: { authorization: h.auth, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { id: string } };
  };
  beforeAll(async () => {
    h = await startUi({ initUser: true });
    await signIn(h);
    projectId = /\/p\/([^/]+)\//.exec(h.page.url())![1];
    // A connection to the provider's default address: the estimate makes no call, and nothing is run here.
    expect((await api('PUT', '/api/public/llm-connections', { provider: 'openai', adapter: 'openai', secretKey: 'sk-ui-test-never-used' })).status).toBe(200);
    expect((await api('POST', '/api/public/unstable/evaluators', {
      name: 'helpful', type: 'llm_as_judge', prompt: 'Q: {{q}}\nA: {{a}}', modelConfig: { provider: 'openai', model: 'gpt-4o-mini' },
      outputDefinition: { dataType: 'NUMERIC', reasoning: { description: 'why' }, score: { description: '0 to 1' } },
    })).status).toBe(200);
    const rule = await api('POST', '/api/public/unstable/evaluation-rules', {
      name: 'helpful traces', evaluator: { name: 'helpful', type: 'llm_as_judge' }, target: 'trace', enabled: false, delay: 0,
      mapping: [{ variable: 'q', source: 'input' }, { variable: 'a', source: 'output' }],
    });
    expect(rule.status).toBe(200);
    ruleId = rule.body.id;
    await h.ingest(['t1', 't2', 't3'].map((id, i) => ({ id: `e-${id}`, type: 'trace-create', timestamp: new Date().toISOString(), body: { id, name: 'qa', input: `question ${i}`, output: `answer ${i}` } })));
  });
  afterAll(async () => h?.close());

  it('estimates the targets, tokens and cost of a range, and shows the rule\'s job progress', async () => {
    const { page } = h;
    await page.goto(`${h.url}/p/${projectId}/evaluators/rules/${encodeURIComponent(ruleId)}`);
    const card = page.getByTestId('bulk-evaluate');
    await card.getByRole('heading', { name: 'Evaluate existing data' }).waitFor();
    await card.getByTestId('bulk-progress').getByText('0 queued · 0 running · 0 succeeded · 0 failed').waitFor();
    await card.getByRole('button', { name: 'Estimate' }).click();
    await card.getByTestId('bulk-estimate').getByText(/^3 matching targets · about [\d,]+ tokens/).waitFor();
    expect(await card.getByTestId('bulk-estimate').textContent()).toMatch(/\$\d/);
    await card.getByRole('button', { name: 'Run on 3 targets' }).waitFor();
    await h.screenshot('rule-bulk-evaluate');
    expect(h.problems).toEqual([]);
  });
});
