import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUi, type UiHarness } from './support/harness.js';

// Real browser (Debian's Chromium via playwright-core) against the built server.
describe('UI accounts and API keys in Chromium', () => {
  let h: UiHarness;
  beforeAll(async () => {
    h = await startUi();
  });
  afterAll(async () => h?.close());

  it('signs up the first user, signs out and in again, and refuses a wrong password', async () => {
    const { page } = h;
    await page.goto(h.url);
    await page.getByText('Create the first account').waitFor();
    await h.screenshot('sign-up');
    await page.getByLabel('Email').fill('first@example.com');
    await page.getByLabel('Password').fill('first password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Traces' }).waitFor();
    expect(page.url()).toMatch(/\/p\/[^/]+\/traces/);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'sightline_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill('first@example.com');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('wrong');
    await page.getByLabel('Password').fill('first password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Traces' }).waitFor();
  });

  it('creates an API key in settings, shows its secret once, and the key ingests', async () => {
    const { page } = h;
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByLabel('Key note').fill('browser test');
    await page.getByRole('button', { name: 'Create API key' }).click();
    const secretBox = page.locator('.secret-once pre');
    await secretBox.waitFor();
    const text = (await secretBox.textContent()) ?? '';
    const publicKey = /LANGFUSE_PUBLIC_KEY=(\S+)/.exec(text)?.[1];
    const secretKey = /LANGFUSE_SECRET_KEY=(\S+)/.exec(text)?.[1];
    expect(secretKey).toMatch(/^sk-lf-/);
    await h.screenshot('settings-new-key');
    const res = await fetch(`${h.url}/api/public/ingestion`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ batch: [{ id: 'e1', type: 'trace-create', timestamp: new Date().toISOString(), body: { id: 'from-new-key', name: 'made with the new key' } }] }),
    });
    expect(res.status).toBe(207);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.reload();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByRole('cell', { name: 'browser test' }).waitFor();
    expect(await page.content()).not.toContain(secretKey!);
    expect(h.server.output()).not.toContain(secretKey!);
    expect(h.problems).toEqual([]);
  });

  it('creates a project and switches between projects', async () => {
    const { page } = h;
    await page.getByLabel('Project name').fill('second project');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('heading', { name: 'Settings · second project' }).waitFor();
    await page.getByRole('link', { name: 'Traces' }).click();
    await page.getByText('No traces match').waitFor();
    const secondUrl = page.url();
    await page.getByLabel('Project').selectOption({ label: 'default (owner)' });
    await page.locator('tr[data-trace-id="from-new-key"]').waitFor();
    expect(page.url()).not.toBe(secondUrl);
    await page.getByLabel('Project').selectOption({ label: 'second project (owner)' });
    await page.getByText('No traces match').waitFor();
    expect(h.problems).toEqual([]);
  });
});
