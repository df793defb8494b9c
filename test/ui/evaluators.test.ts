import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startUi, type UiHarness } from './support/harness.js';

const HOSTILE = '<img src=x onerror="globalThis.__evalXss=1">judge';

// The Evaluators page in Chromium: an evaluator created from a template with the project's
// connection, a rule created for it with a JSONPath mapping, and a hostile evaluator name shown as text.
describe('UI evaluators in Chromium', () => {
  let h: UiHarness;
  let projectId = '';
  const call = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${h.url}${path}`, { method, headers: { authorization: h.auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status, await res.clone().text()).toBe(200);
  };

  beforeAll(async () => {
    h = await startUi({ initUser: true });
    await call('PUT', '/api/public/llm-connections', { provider: 'openai', adapter: 'openai', secretKey: 'sk-ui-test-0000', customModels: ['judge-model'] });
    await call('POST', '/api/public/unstable/evaluators', {
      name: HOSTILE, prompt: 'Rate {{output}}', modelConfig: { provider: 'openai', model: 'judge-model' },
      outputDefinition: { dataType: 'BOOLEAN', reasoning: { description: 'why' }, score: { description: 'true if fine' } },
    });
    await signIn(h);
    projectId = /^\/p\/([^/]+)\/traces$/.exec(new URL(h.page.url()).pathname)![1];
  });
  afterAll(async () => h?.close());

  it('creates an evaluator from a template and a rule for it; a hostile name stays text', async () => {
    const { page } = h;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Evaluators' }).click();
    await page.getByRole('heading', { name: 'Evaluators', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/p/${projectId}/evaluators`);

    // The hostile name is shown literally and never runs.
    const evaluators = page.getByRole('table', { name: 'Evaluators' });
    await evaluators.getByText(HOSTILE, { exact: true }).waitFor();
    expect(await evaluators.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __evalXss?: number }).__evalXss)).toBeUndefined();

    await page.getByRole('button', { name: 'From template: Hallucination' }).click();
    const form = page.getByRole('form', { name: 'Evaluator' });
    expect(await form.getByLabel('Evaluator name').inputValue()).toBe('hallucination');
    expect(await form.getByLabel('Detected variables').locator('.chip').allTextContents()).toEqual(['input', 'output']);
    await form.getByLabel('Connection').selectOption('openai');
    expect(await form.getByLabel('Model').inputValue()).toBe('judge-model');
    await form.getByRole('button', { name: 'Create evaluator' }).click();
    const row = evaluators.locator('tr[data-evaluator="hallucination"]');
    await row.waitFor();
    expect(await row.locator('td').nth(1).textContent()).toBe('v1');

    await row.getByRole('link', { name: 'Add rule' }).click();
    await page.getByRole('heading', { name: 'New evaluation rule' }).waitFor();
    const ruleForm = page.getByRole('form', { name: 'Evaluation rule' });
    expect(await ruleForm.getByLabel('Evaluator').inputValue()).toBe('hallucination');
    await ruleForm.getByLabel('Rule name').fill('hallucinations in production');
    await ruleForm.getByLabel('Sampling percent').fill('25');
    await ruleForm.getByRole('button', { name: 'Add filter' }).click();
    await ruleForm.getByLabel('Filter 1 column').selectOption('environment');
    await ruleForm.getByLabel('Filter 1 operator').selectOption('=');
    await ruleForm.getByLabel('Filter 1 value').fill('production');
    await ruleForm.getByLabel('output JSONPath').fill('$.messages[-1].content');
    await ruleForm.getByRole('button', { name: 'Create rule' }).click();
    await page.getByRole('heading', { name: 'Rule hallucinations in production' }).waitFor();
    expect(await page.getByLabel('Rule status').locator('.chip').textContent()).toBe('active');

    await page.getByRole('link', { name: 'All evaluators' }).click();
    const rules = page.getByRole('table', { name: 'Evaluation rules' });
    const ruleRow = rules.getByRole('row').filter({ hasText: 'hallucinations in production' });
    await ruleRow.waitFor();
    expect(await ruleRow.textContent()).toContain('hallucination (v1)');
    expect(await ruleRow.textContent()).toContain('25%');
    expect(h.problems).toEqual([]);
    await h.screenshot('evaluators');
  });
});
