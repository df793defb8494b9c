import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../support/index.js';
import { signIn, startUi, type UiHarness } from './support/harness.js';

const SECRET = 'sk-browser-test-secret-5e6f';
const HOSTILE = '<img src=x onerror="window.__xss=1">';

type Probe = { __xss?: number };

// Settings → LLM connections and the playground in a real browser, against the fake provider on
// loopback (allowed by SIGHTLINE_LLM_ALLOWED_HOSTS): add a connection (the SSRF refusal shown
// inline first), run a chat prompt with a variable, see the streamed answer, its tokens, cost and
// trace, save it as a prompt version, load it back, and cancel a slow run.
describe('UI playground in Chromium', () => {
  let h: UiHarness;
  let fake: FakeLlm;
  let slow: FakeLlm;
  let projectId = '';
  const publicApi = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(`${h.url}/api/public${path}`, {
      method: init.method ?? 'GET', headers: { authorization: h.auth, 'content-type': 'application/json' }, body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- read loosely: the assertions name the fields
    return (await res.json()) as Record<string, any>;
  };

  beforeAll(async () => {
    fake = await startFakeLlm();
    slow = await startFakeLlm({ latencyMs: 20_000 });
    h = await startUi({ initUser: true, env: { SIGHTLINE_LLM_ALLOWED_HOSTS: '127.0.0.1' } });
    await signIn(h);
    projectId = /^\/p\/([^/]+)\/traces$/.exec(new URL(h.page.url()).pathname)![1];
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
    await slow?.close();
  });

  it('adds a connection in Settings, showing the SSRF refusal inline and never the key', async () => {
    const { page } = h;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    const card = page.getByRole('region', { name: 'LLM connections' });
    await card.getByRole('button', { name: 'Add connection' }).click();
    const form = card.getByRole('form', { name: 'New connection' });
    await form.getByLabel('Provider name').fill('fake-openai');
    await form.getByLabel('Adapter', { exact: true }).selectOption('openai');
    await form.getByLabel('API key').fill(SECRET);
    await form.getByLabel('Base URL').fill('http://10.20.30.40/v1');
    await form.getByLabel('Custom models').fill('local-llama');
    await form.getByRole('button', { name: 'Add connection' }).click();
    expect(await form.getByRole('alert').innerText()).toMatch(/^baseURL: .*private/);

    await form.getByLabel('Base URL').fill(`${fake.url}/v1`);
    await form.getByRole('button', { name: 'Add connection' }).click();
    const row = card.locator('tr[data-connection="fake-openai"]');
    await row.waitFor();
    expect(await row.innerText()).toContain('...5e6f');
    expect(await page.content()).not.toContain(SECRET);
    await h.screenshot('settings-llm-connections');
  });

  it('runs a chat prompt with a variable: streamed answer escaped, tokens, cost and the trace link', async () => {
    const { page } = h;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Playground' }).click();
    await page.getByRole('heading', { name: 'Playground' }).waitFor();
    await page.getByLabel('Connection').selectOption({ label: 'fake-openai (openai)' });
    await page.getByLabel('Model').selectOption('gpt-4o');
    await page.getByLabel('Message 2', { exact: true }).fill('Say hi to {{name}}');
    const run = page.getByRole('button', { name: 'Run' });
    expect(await run.isDisabled()).toBe(true); // the variable has no value yet
    await page.getByLabel('Variable name').fill(HOSTILE);
    await page.getByLabel('Temperature').fill('0.5');
    await run.click();
    await page.getByTestId('playground-stats').waitFor();
    expect(await page.getByTestId('playground-output').innerText()).toBe(`echo: Say hi to ${HOSTILE}`);
    expect(await page.evaluate(() => (globalThis as unknown as Probe).__xss)).toBeUndefined();
    expect(await page.locator('.pg-answer img').count()).toBe(0);
    expect(Number(await page.getByTestId('input-tokens').innerText())).toBeGreaterThan(0);
    expect(Number(await page.getByTestId('output-tokens').innerText())).toBeGreaterThan(0);
    expect(await page.getByTestId('cost').innerText()).toMatch(/^\$0\.\d+/);
    expect(fake.requests.at(-1)!.body).toMatchObject({ model: 'gpt-4o', temperature: 0.5, stream: true, messages: [{ role: 'system' }, { role: 'user', content: `Say hi to ${HOSTILE}` }] });
    await h.screenshot('playground-run');

    // Saved before leaving the page: the template with its variable, and the model and parameters.
    await page.getByLabel('Save as prompt name').fill('playground/greeting');
    await page.getByRole('button', { name: 'Save as new prompt version' }).click();
    expect(await page.getByRole('status').filter({ hasText: 'Saved as' }).innerText()).toMatch(/Saved as playground\/greeting v1/);
    const saved = await publicApi('/v2/prompts/playground%2Fgreeting?label=latest');
    expect(saved).toMatchObject({ type: 'chat', version: 1, config: { model: 'gpt-4o', temperature: 0.5 } });
    expect(saved.prompt[1]).toMatchObject({ role: 'user', content: 'Say hi to {{name}}' });

    const traceHref = await page.getByTestId('playground-trace-link').getAttribute('href');
    await page.getByTestId('playground-trace-link').click();
    await page.getByRole('heading', { name: 'playground' }).first().waitFor();
    expect(new URL(page.url()).pathname).toBe(traceHref);
    const traceId = decodeURIComponent(traceHref!.split('/').at(-1)!);
    const trace = await publicApi(`/traces/${traceId}`);
    expect(trace).toMatchObject({ name: 'playground', environment: 'sightline-playground' });
    expect(await page.evaluate(() => (globalThis as unknown as Probe).__xss)).toBeUndefined();
  });

  it('loads a prompt version from prompt management with its variables', async () => {
    const { page } = h;
    await page.goto(`${h.url}/p/${projectId}/playground`);
    await page.getByLabel('Prompt name', { exact: true }).fill('playground/greeting');
    await page.getByLabel('Prompt version', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Load', exact: true }).click();
    await page.getByTestId('loaded-prompt').waitFor();
    expect(await page.getByLabel('Message 2', { exact: true }).inputValue()).toBe('Say hi to {{name}}');
    await page.getByLabel('Variable name').waitFor();
    expect(await page.getByLabel('Model').inputValue()).toBe('gpt-4o');
  });

  it('cancels a slow run, which aborts the provider call and is recorded as cancelled', async () => {
    const { page } = h;
    await publicApi('/llm-connections', { method: 'PUT', body: { provider: 'slow', adapter: 'openai', secretKey: 'sk-slow-0000', baseURL: `${slow.url}/v1`, withDefaultModels: false, customModels: ['slow-model'] } });
    await page.goto(`${h.url}/p/${projectId}/playground`);
    await page.getByLabel('Connection').selectOption({ label: 'slow (openai)' });
    await page.getByLabel('Message 2', { exact: true }).fill('take your time');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => slow.requests.length, { timeout: 15_000 }).toBe(1);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Cancelled.').waitFor();
    await expect
      .poll(async () => {
        const list = await publicApi('/observations?type=GENERATION&limit=50');
        return (list.data as { model: string; level: string; statusMessage: string | null }[]).find((o) => o.model === 'slow-model');
      }, { timeout: 20_000 })
      .toMatchObject({ level: 'WARNING', statusMessage: 'cancelled by the user' });
    expect(h.problems).toEqual([]);
  });

  it('edits a connection keeping its key, and deletes one after confirmation', async () => {
    const { page } = h;
    await page.goto(`${h.url}/p/${projectId}/settings`);
    const card = page.getByRole('region', { name: 'LLM connections' });
    await card.getByRole('button', { name: 'Edit fake-openai' }).click();
    const form = card.getByRole('form', { name: 'Edit connection fake-openai' });
    expect(await form.getByLabel('API key').getAttribute('placeholder')).toBe('leave empty to keep ...5e6f');
    await form.getByLabel('Custom models').fill('local-llama, second-model');
    await form.getByRole('button', { name: 'Save connection' }).click();
    await card.locator('tr[data-connection="fake-openai"]', { hasText: 'second-model' }).waitFor();
    expect(await card.locator('tr[data-connection="fake-openai"]').innerText()).toContain('...5e6f');
    const listed = await publicApi('/llm-connections');
    expect(listed.data.find((c: { provider: string }) => c.provider === 'fake-openai')).toMatchObject({ displaySecretKey: '...5e6f', customModels: ['local-llama', 'second-model'] });

    const dialog = h.expectDialog('accept');
    await card.getByRole('button', { name: 'Delete slow' }).click();
    expect(await dialog).toMatch(/Delete the connection "slow"/);
    await card.locator('tr[data-connection="slow"]').waitFor({ state: 'detached' });
    expect(h.problems).toEqual([]);
  });
});
