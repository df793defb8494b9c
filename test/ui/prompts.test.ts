import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, signIn, startUi, USER_EMAIL, type UiHarness } from './support/harness.js';

const IMG = '<img src=x onerror="window.__xss=\'img\'">';
const SCRIPT = '<script>window.__xss="script"</script>';

type Probe = { __xss?: string };

// Prompt management in a real browser: the list and its folders, a prompt's versions, diffs,
// new versions, label promotion and deletion, roles, and what the public API serves afterwards.
describe('UI prompts in Chromium', () => {
  let h: UiHarness;
  let projectId = '';
  const publicApi = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${h.url}/api/public/v2/prompts${path}`, {
      method, headers: { authorization: h.auth, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as Record<string, unknown>) };
  };
  const create = async (body: Record<string, unknown>) => expect((await publicApi('POST', '', body)).status).toBe(200);
  const served = async (name: string, query = '') => (await publicApi('GET', `/${encodeURIComponent(name)}${query}`)).body as Record<string, unknown>;
  const promptUrl = (name: string, q = '') => `${h.url}/p/${projectId}/prompts/${name}${q}`;
  const versionButton = (page: Page, v: number) => page.getByRole('list', { name: 'Versions' }).getByRole('button', { name: new RegExp(`^v${v}\\b`) });

  beforeAll(async () => {
    h = await startUi({ initUser: true });
    await create({ name: 'greeting', prompt: 'Hello {{name}}\nHave a nice day', labels: ['production'], commitMessage: 'first greeting', config: { temperature: 0.2 } });
    await create({ name: 'greeting', prompt: 'Hi {{name}}!\nHave a nice day', labels: ['staging'], tags: ['web'], commitMessage: 'friendlier' });
    await create({ name: 'support/email/welcome', type: 'chat', prompt: [{ role: 'system', content: 'Welcome {{user}}' }, { type: 'placeholder', name: 'history' }] });
    await create({ name: 'support/faq', prompt: 'FAQ', tags: ['faq'] });
    await signIn(h);
    projectId = /^\/p\/([^/]+)\/traces$/.exec(new URL(h.page.url()).pathname)![1];
  });
  afterAll(async () => h?.close());

  it('lists prompts by folder with breadcrumbs, and filters by search, label and tag kept in the URL', async () => {
    const { page } = h;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Prompts' }).click();
    await page.getByRole('heading', { name: 'Prompts' }).waitFor();
    const table = page.getByRole('table', { name: 'Prompts' });
    await table.locator('tr[data-prompt="greeting"]').waitFor();
    const row = table.locator('tr[data-prompt="greeting"]');
    expect(await row.locator('td').allInnerTexts()).toEqual(['greeting', 'text', '2', expect.stringMatching(/production\s*staging\s*latest/), 'web', expect.any(String)]);
    expect(await table.locator('tr[data-folder]').allInnerTexts()).toEqual([expect.stringMatching(/support\/\s+2 prompts/)]);
    await h.screenshot('prompts-list');

    await table.getByRole('link', { name: /support\// }).click();
    await table.locator('tr[data-prompt="support/faq"]').waitFor();
    expect(new URL(page.url()).searchParams.get('folder')).toBe('support');
    expect(await table.locator('tr[data-folder]').getAttribute('data-folder')).toBe('support/email');
    expect(await table.locator('tr[data-prompt]').count()).toBe(1);
    await table.getByRole('link', { name: /email\// }).click();
    await table.locator('tr[data-prompt="support/email/welcome"]').waitFor();
    const crumbs = page.getByRole('navigation', { name: 'Folders' });
    expect(await crumbs.innerText()).toBe('Prompts / support / email');
    await crumbs.getByRole('link', { name: 'support' }).click();
    await table.locator('tr[data-prompt="support/faq"]').waitFor();
    await crumbs.getByRole('link', { name: 'Prompts' }).click();
    await table.locator('tr[data-prompt="greeting"]').waitFor();

    await page.getByLabel('Label filter').selectOption('staging');
    await expect.poll(() => table.locator('tr[data-folder]').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('label')).toBe('staging');
    await page.reload();
    await table.locator('tr[data-prompt="greeting"]').waitFor();
    expect(await page.getByLabel('Label filter').inputValue()).toBe('staging');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Tag filter').selectOption('faq');
    await expect.poll(() => table.locator('tr[data-prompt]').count()).toBe(0);
    expect(await table.locator('tr[data-folder]').innerText()).toMatch(/support\/\s+1 prompt$/);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Search prompts').fill('WELC');
    await page.getByLabel('Search prompts').press('Enter');
    await table.locator('tr[data-prompt="support/email/welcome"]').waitFor();
    expect(await table.locator('tr').count()).toBe(2); // header and the flat match, no folders
    expect(new URL(page.url()).searchParams.get('q')).toBe('WELC');
    expect(h.problems).toEqual([]);
  });

  it('shows a version: who, when, commit message, labels, content with variables marked, and config', async () => {
    const { page } = h;
    await page.goto(`${h.url}/p/${projectId}/prompts`);
    await page.getByRole('link', { name: 'greeting' }).click();
    await page.getByRole('heading', { name: 'greeting', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/p/${projectId}/prompts/greeting`);
    const selected = page.getByLabel('Selected version');
    await selected.getByRole('heading', { name: /Version 2/ }).waitFor();
    expect(await versionButton(page, 2).innerText()).toMatch(/v2\s+staging\s*latest\s+friendlier\s+API · /);
    expect(await selected.getByLabel('Prompt content').innerText()).toBe('Hi {{name}}!\nHave a nice day');
    expect(await selected.locator('mark.prompt-variable').allInnerTexts()).toEqual(['{{name}}']);
    await versionButton(page, 1).click();
    await selected.getByRole('heading', { name: /Version 1/ }).waitFor();
    expect(new URL(page.url()).searchParams.get('version')).toBe('1');
    expect(await selected.getByLabel('Prompt content').innerText()).toBe('Hello {{name}}\nHave a nice day');
    expect(JSON.parse(await selected.getByLabel('Config').innerText())).toEqual({ temperature: 0.2 });
    expect(await selected.innerText()).toContain('first greeting');
    // Metrics: a table once generations use the prompt, a note (never an error) otherwise.
    await page.getByRole('tab', { name: 'Metrics' }).click();
    await page.getByText('Recent generations of v1').waitFor();
    await page.getByText(/No metrics for this prompt yet|Version/).first().waitFor();

    await page.goto(promptUrl('support/email/welcome'));
    const chat = page.getByRole('list', { name: 'Chat messages' });
    await chat.waitFor();
    expect(await chat.locator('li').allInnerTexts()).toEqual([expect.stringMatching(/^system\s+Welcome \{\{user\}\}$/i), expect.stringMatching(/^Placeholder history/i)]);
    expect(await chat.locator('mark.prompt-placeholder').innerText()).toBe('history');
    await h.screenshot('prompt-version');
    expect(h.problems).toEqual([]);
  });

  it('compares two versions side by side with removed and added lines highlighted', async () => {
    const { page } = h;
    await page.goto(promptUrl('greeting'));
    await page.getByRole('tab', { name: 'Compare' }).click();
    const diff = page.getByRole('table', { name: 'Prompt diff' });
    await diff.waitFor();
    expect(await diff.locator('td.removed').allInnerTexts()).toEqual(['Hello {{name}}']);
    expect(await diff.locator('td.added').allInnerTexts()).toEqual(['Hi {{name}}!']);
    expect(await diff.locator('tbody tr').nth(1).innerText()).toMatch(/2\s+Have a nice day\s+2\s+Have a nice day/);
    const config = page.getByRole('table', { name: 'Config diff' });
    expect(await config.locator('td.removed').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('"temperature": 0.2')]));
    await page.getByLabel('with version').selectOption('1');
    await expect.poll(() => diff.locator('td.removed, td.added').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('to')).toBe('1');
    await h.screenshot('prompt-diff');
    expect(h.problems).toEqual([]);
  });

  it('creates a chat version with variables and a placeholder in the browser, served by the public API', async () => {
    const { page } = h;
    await page.goto(promptUrl('support/email/welcome'));
    await page.getByRole('tab', { name: 'New version' }).click();
    const form = page.getByRole('form', { name: 'New version' });
    await form.getByLabel('Message 1 content').fill('You are {{tone}}. Greet {{user}}.');
    await form.getByRole('button', { name: 'Add message' }).click();
    await form.getByLabel('Message 3 role').selectOption('user');
    await form.getByLabel('Message 3 content').fill('{{question}}');
    await form.getByRole('button', { name: 'Add placeholder' }).click();
    await form.getByLabel('Placeholder 4 name').fill('examples');
    await form.getByRole('button', { name: 'Move entry 4 up' }).click();
    await form.getByRole('button', { name: 'Remove entry 2' }).click(); // the old `history` placeholder
    const preview = form.getByLabel('Preview');
    expect(await preview.locator('mark.prompt-variable').allInnerTexts()).toEqual(['{{tone}}', '{{user}}', '{{question}}']);
    expect(await preview.locator('mark.prompt-placeholder').allInnerTexts()).toEqual(['examples']);
    await form.getByLabel('Config (JSON)').fill('{"model": gpt-4o}');
    await form.getByText('Config is not valid JSON').waitFor();
    expect(await form.getByRole('button', { name: 'Create version' }).isDisabled()).toBe(true);
    await form.getByLabel('Config (JSON)').fill('{"model": "gpt-4o"}');
    await form.getByLabel('Labels').fill('staging');
    await form.getByLabel('Commit message').fill('asks the question');
    await h.screenshot('prompt-editor');
    await form.getByRole('button', { name: 'Create version' }).click();
    await page.getByLabel('Selected version').getByRole('heading', { name: /Version 2/ }).waitFor();
    expect(new URL(page.url()).searchParams.get('version')).toBe('2');
    expect(await versionButton(page, 2).innerText()).toContain(USER_EMAIL);

    const prompt = await served('support/email/welcome', '?label=staging');
    expect(prompt).toMatchObject({
      version: 2, type: 'chat', config: { model: 'gpt-4o' }, commitMessage: 'asks the question',
      prompt: [{ role: 'system', content: 'You are {{tone}}. Greet {{user}}.' }, { type: 'placeholder', name: 'examples' }, { role: 'user', content: '{{question}}' }],
    });
    expect(h.problems).toEqual([]);
  });

  it('creates a new text prompt from the list, refusing invalid config before sending', async () => {
    const { page } = h;
    await page.goto(`${h.url}/p/${projectId}/prompts`);
    await page.getByRole('button', { name: 'New prompt' }).click();
    const form = page.getByRole('form', { name: 'New version' });
    await form.getByLabel('Prompt name').fill('drafts/tagline');
    await form.getByLabel('Prompt text').fill('A tagline for {{product}}');
    expect(await form.getByLabel('Preview').locator('mark.prompt-variable').allInnerTexts()).toEqual(['{{product}}']);
    await form.getByLabel('Config (JSON)').fill('{');
    expect(await form.getByRole('button', { name: 'Create version' }).isDisabled()).toBe(true);
    await form.getByLabel('Config (JSON)').fill('{"max_tokens": 20}');
    await form.getByLabel('Labels').fill('Not A Label');
    await form.getByRole('button', { name: 'Create version' }).click();
    expect(await form.getByRole('alert').innerText()).toContain('must consist of lower-case letters');
    await form.getByLabel('Labels').fill('draft');
    await form.getByRole('button', { name: 'Create version' }).click();
    await page.getByRole('heading', { name: 'drafts/tagline' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/p/${projectId}/prompts/drafts/tagline`);
    expect(await served('drafts/tagline', '?label=draft')).toMatchObject({ version: 1, prompt: 'A tagline for {{product}}', config: { max_tokens: 20 } });
    expect(h.problems).toEqual([]);
  });

  it('promotes a version to production only after confirmation, and the public API serves it at once', async () => {
    const { page } = h;
    expect((await served('greeting')).version).toBe(1); // cached by the server now
    await page.goto(promptUrl('greeting', '?version=2'));
    const promote = page.getByRole('button', { name: 'Promote to production' });
    const dismissed = h.expectDialog('dismiss');
    await promote.click();
    expect(await dismissed).toContain('Promote version 2 of greeting to production?');
    expect((await served('greeting')).version).toBe(1);
    const accepted = h.expectDialog('accept');
    await promote.click();
    await accepted;
    await promote.waitFor({ state: 'detached' });
    expect(await versionButton(page, 2).innerText()).toMatch(/production/);
    expect(await versionButton(page, 1).innerText()).not.toMatch(/production/);
    expect(await served('greeting')).toMatchObject({ version: 2, prompt: 'Hi {{name}}!\nHave a nice day' });
    expect(h.problems).toEqual([]);
  });

  it('deletes a version and a prompt after confirmation', async () => {
    const { page } = h;
    await create({ name: 'doomed', prompt: 'one' });
    await create({ name: 'doomed', prompt: 'two' });
    await page.goto(promptUrl('doomed'));
    await page.getByLabel('Selected version').getByRole('heading', { name: /Version 2/ }).waitFor();
    const one = h.expectDialog('accept');
    await page.getByRole('button', { name: 'Delete version' }).click();
    expect(await one).toContain('Delete version 2 of doomed?');
    await page.getByLabel('Selected version').getByRole('heading', { name: /Version 1/ }).waitFor();
    expect((await served('doomed', '?label=latest')).version).toBe(1);
    const all = h.expectDialog('accept');
    await page.getByRole('button', { name: 'Delete prompt' }).click();
    expect(await all).toContain('Delete the prompt doomed with all its versions?');
    await page.getByRole('table', { name: 'Prompts' }).locator('tr[data-prompt="greeting"]').waitFor();
    expect(await page.locator('tr[data-prompt="doomed"]').count()).toBe(0);
    expect((await publicApi('GET', '/doomed?label=latest')).status).toBe(404);
    expect(h.problems).toEqual([]);
  });

  it('links a generation on the trace page to its prompt version', async () => {
    const { page } = h;
    await h.ingest([
      event('trace-create', { id: 'prompted-trace', name: 'prompted' }),
      event('generation-create', { id: 'prompted-gen', traceId: 'prompted-trace', name: 'llm-call', promptName: 'support/email/welcome', promptVersion: 2 }),
    ]);
    await page.goto(`${h.url}/p/${projectId}/traces/prompted-trace?observation=prompted-gen`);
    const link = page.getByLabel('Observation detail').getByRole('link', { name: 'support/email/welcome v2' });
    await link.click();
    await page.getByLabel('Selected version').getByRole('heading', { name: /Version 2/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/p/${projectId}/prompts/support/email/welcome`);
    expect(h.problems).toEqual([]);
  });

  it('renders the metrics table and generation links from the shapes of the metrics routes', async () => {
    // The routes are another module's (prompt-metrics.test.ts runs them for real); here their
    // answers are fixed, so the page's rendering of every field is checked on its own.
    const { page } = h;
    const metrics = {
      name: 'greeting',
      versions: [
        { version: 2, generations: 3, latencyP50Ms: 1200, latencyP95Ms: 3400, inputTokens: 300, outputTokens: 60, totalTokens: 360, totalCost: 0.006, scores: [{ name: 'quality', average: 0.75, count: 2 }], firstUsedAt: 1, lastUsedAt: 2 },
        { version: 1, generations: 1, latencyP50Ms: null, latencyP95Ms: null, inputTokens: 0, outputTokens: 0, totalTokens: 0, totalCost: 0, scores: [], firstUsedAt: 1, lastUsedAt: 1 },
      ],
    };
    const generations = { data: [{ traceId: 'prompted-trace', observationId: 'prompted-gen', name: 'llm-call', model: 'gpt-4o', startTime: Date.now(), latencyMs: 1200, totalCost: 0.002 }], totalItems: 1, page: 1, limit: 20 };
    await page.route('**/api/ui/projects/*/prompt-metrics?*', (r) => r.fulfill({ json: metrics }));
    await page.route('**/api/ui/projects/*/prompt-generations?*', (r) => r.fulfill({ json: generations }));
    try {
      await page.goto(promptUrl('greeting', '?view=metrics&version=2'));
      const table = page.getByRole('table', { name: 'Prompt metrics' });
      await table.waitFor();
      expect(await table.locator('thead th').allInnerTexts()).toEqual(['Version', 'Generations', 'Latency p50', 'Latency p95', 'Tokens in / out', 'Cost', 'quality']);
      expect(await table.locator('tbody tr').nth(0).locator('td').allInnerTexts()).toEqual(['v2', '3', '1.20 s', '3.40 s', '300 / 60', '$0.006', '0.75']);
      expect(await table.locator('tbody tr').nth(1).locator('td').allInnerTexts()).toEqual(['v1', '1', '–', '–', '– / –', '$0', '–']);
      await page.getByRole('list', { name: 'Generations' }).getByRole('link', { name: 'llm-call' }).click();
      await page.getByRole('heading', { name: 'prompted' }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/p/${projectId}/traces/prompted-trace`);
      expect(new URL(page.url()).searchParams.get('observation')).toBe('prompted-gen');
      await page.getByLabel('Observation detail').getByRole('heading', { name: 'llm-call' }).waitFor();
    } finally {
      await page.unrouteAll();
    }
    expect(h.problems).toEqual([]);
  });

  it('shows a viewer the prompts but no way to create, promote or delete', async () => {
    const csrf = await h.page.evaluate(async () => ((await (await fetch('/api/ui/session')).json()) as { csrfToken: string }).csrfToken);
    const added = await h.page.evaluate(
      async ([pid, token]) =>
        (await fetch(`/api/ui/projects/${pid}/members`, {
          method: 'POST', headers: { 'content-type': 'application/json', 'x-sightline-csrf': token },
          body: JSON.stringify({ email: 'viewer@example.com', role: 'viewer', password: 'viewer password' }),
        })).status,
      [projectId, csrf] as const,
    );
    expect(added).toBe(201);
    const context = await h.browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(h.url);
      await page.getByLabel('Email').fill('viewer@example.com');
      await page.getByLabel('Password').fill('viewer password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Traces' }).waitFor();
      await page.goto(`${h.url}/p/${projectId}/prompts`);
      await page.locator('tr[data-prompt="greeting"]').waitFor();
      expect(await page.getByRole('button', { name: 'New prompt' }).count()).toBe(0);
      await page.goto(promptUrl('greeting', '?version=1'));
      await page.getByLabel('Selected version').getByRole('heading', { name: /Version 1/ }).waitFor();
      expect(await page.getByLabel('Prompt content').innerText()).toContain('Hello');
      for (const name of ['Promote to production', 'Delete version', 'Delete prompt', 'Add labels']) {
        expect(await page.getByRole('button', { name }).count(), name).toBe(0);
      }
      expect(await page.getByRole('tab', { name: 'New version' }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('renders script-bearing prompt text, roles, names, tags, commit messages and config as inert text', async () => {
    const { page } = h;
    const name = `xss/${IMG}`;
    await create({ name, prompt: `${SCRIPT} {{${IMG}}} ${IMG}`, tags: [SCRIPT], commitMessage: IMG, config: { [IMG]: SCRIPT } });
    await create({ name, prompt: `${IMG}\n${SCRIPT}`, commitMessage: SCRIPT });
    await page.goto(`${h.url}/p/${projectId}/prompts?folder=xss`);
    await page.locator('tr[data-prompt]').waitFor();
    expect(await page.locator('tr[data-prompt]').innerText()).toContain(IMG);
    await page.locator('tr[data-prompt]').getByRole('link').click();
    await page.getByLabel('Selected version').getByRole('heading', { name: /Version 2/ }).waitFor();
    expect(await page.getByLabel('Prompt content').innerText()).toBe(`${IMG}\n${SCRIPT}`);
    await versionButton(page, 1).click();
    await page.getByLabel('Selected version').getByRole('heading', { name: /Version 1/ }).waitFor();
    expect(await page.getByLabel('Config').innerText()).toContain(SCRIPT.replace(/"/g, '\\"'));
    await page.getByRole('tab', { name: 'Compare' }).click();
    await page.getByRole('table', { name: 'Prompt diff' }).waitFor();
    await create({ name: 'chat-xss', type: 'chat', prompt: [{ role: IMG, content: SCRIPT }, { type: 'placeholder', name: IMG }] });
    await page.goto(promptUrl('chat-xss'));
    await page.getByRole('list', { name: 'Chat messages' }).waitFor();
    expect(await page.getByRole('list', { name: 'Chat messages' }).innerText()).toContain(IMG);
    expect(await page.evaluate(() => (globalThis as unknown as Probe).__xss)).toBeUndefined();
    const injected = await page.evaluate(
      () => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('img[src="x"], script:not([src]), [onerror]').length,
    );
    expect(injected).toBe(0);
    expect(h.problems).toEqual([]);
  });
});
