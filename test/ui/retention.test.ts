import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startUi, type UiHarness } from './support/harness.js';

// Real browser (Debian's Chromium via playwright-core) against the built server.
describe('retention period in Settings in Chromium', () => {
  let h: UiHarness;
  let projectId = '';
  beforeAll(async () => {
    h = await startUi({ initUser: true });
    await signIn(h);
    projectId = /\/p\/([^/]+)\//.exec(h.page.url())![1];
  });
  afterAll(async () => h?.close());

  it('lets the owner set and clear the period, and names the rule when the input is bad', async () => {
    const { page } = h;
    await page.goto(`${h.url}/p/${projectId}/settings`);
    const card = page.getByRole('region', { name: 'Data retention' });
    await card.getByText('Data is kept forever.').waitFor();
    for (const bad of ['-3', '1e9', '2.5']) {
      await card.getByLabel('Retention days').fill(bad);
      await card.getByRole('button', { name: 'Set retention' }).click();
      await expect.poll(() => card.getByRole('alert').textContent()).toContain('retentionDays: must be a whole number of days from 1 to 36500');
    }
    await card.getByLabel('Retention days').fill('14');
    await card.getByRole('button', { name: 'Set retention' }).click();
    await card.getByTestId('retention-current').getByText('older than 14 days are deleted').waitFor();
    await h.screenshot('settings-retention');
    await page.reload();
    await card.getByTestId('retention-current').getByText('older than 14 days are deleted').waitFor();
    await card.getByRole('button', { name: 'Keep forever' }).click();
    await card.getByTestId('retention-current').getByText('Data is kept forever.').waitFor();
    await card.getByLabel('Retention days').fill('30');
    await card.getByRole('button', { name: 'Set retention' }).click();
    await card.getByTestId('retention-current').getByText('older than 30 days').waitFor();
    expect(h.problems).toEqual([]);
  });

  it('shows members and viewers the period without a way to change it, and the server refuses them', async () => {
    const csrf = await h.page.evaluate(async () => ((await (await fetch('/api/ui/session')).json()) as { csrfToken: string }).csrfToken);
    for (const role of ['viewer', 'member']) {
      const added = await h.page.evaluate(
        async ([pid, token, r]) =>
          (await fetch(`/api/ui/projects/${pid}/members`, {
            method: 'POST', headers: { 'content-type': 'application/json', 'x-sightline-csrf': token },
            body: JSON.stringify({ email: `${r}@example.com`, role: r, password: `${r} password` }),
          })).status,
        [projectId, csrf, role] as const,
      );
      expect(added).toBe(201);
      const context = await h.browser.newContext();
      const page = await context.newPage();
      try {
        await page.goto(h.url);
        await page.getByLabel('Email').fill(`${role}@example.com`);
        await page.getByLabel('Password').fill(`${role} password`);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { name: 'Traces' }).waitFor();
        await page.goto(`${h.url}/p/${projectId}/settings`);
        const card = page.getByRole('region', { name: 'Data retention' });
        await card.getByText('older than 30 days are deleted').waitFor();
        await card.getByText('Only owners and admins change the retention period.').waitFor();
        expect(await card.getByLabel('Retention days').count()).toBe(0);
        expect(await card.getByRole('button').count()).toBe(0);
        const status = await page.evaluate(async (pid) => {
          const session = (await (await fetch('/api/ui/session')).json()) as { csrfToken: string };
          const res = await fetch(`/api/ui/projects/${pid}/retention`, {
            method: 'POST', headers: { 'content-type': 'application/json', 'x-sightline-csrf': session.csrfToken }, body: JSON.stringify({ retentionDays: 1 }),
          });
          return res.status;
        }, projectId);
        expect(status, role).toBe(403);
      } finally {
        await context.close();
      }
    }
    await h.page.reload();
    await h.page.getByRole('region', { name: 'Data retention' }).getByText('older than 30 days').waitFor();
    expect(h.problems).toEqual([]);
  });
});
