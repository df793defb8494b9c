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

  it("clears a new key's secret from the screen when the project changes", async () => {
    const { page } = h;
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings · second project' }).waitFor();
    await page.getByRole('button', { name: 'Create API key' }).click();
    const secret = /LANGFUSE_SECRET_KEY=(\S+)/.exec((await page.locator('.secret-once pre').textContent()) ?? '')?.[1];
    expect(secret).toMatch(/^sk-lf-/);

    await page.getByLabel('Project', { exact: true }).selectOption({ label: 'default (owner)' });
    await page.getByRole('heading', { name: 'Settings · default' }).waitFor();
    await page.getByRole('table', { name: 'API keys' }).getByRole('cell', { name: 'browser test' }).waitFor();
    expect(await page.locator('.secret-once').count()).toBe(0);
    expect(await page.content()).not.toContain(secret!);
    // Coming back does not bring it back either.
    await page.getByLabel('Project', { exact: true }).selectOption({ label: 'second project (owner)' });
    await page.getByRole('heading', { name: 'Settings · second project' }).waitFor();
    expect(await page.content()).not.toContain(secret!);
    expect(h.problems).toEqual([]);
  });

  it('asks before removing a member, and keeps the member when the question is dismissed', async () => {
    const { page } = h;
    await page.getByLabel('Member email').fill('teammate@example.com');
    await page.getByLabel('Initial password').fill('teammate password');
    await page.getByRole('button', { name: 'Add member' }).click();
    const members = page.getByRole('table', { name: 'Members' });
    const row = members.getByRole('row').filter({ hasText: 'teammate@example.com' });
    await row.waitFor();

    let asked = h.expectDialog('dismiss');
    await row.getByRole('button', { name: 'Remove' }).click();
    expect(await asked).toContain('Remove teammate@example.com from this project?');
    await page.reload();
    await row.waitFor();

    asked = h.expectDialog('accept');
    await row.getByRole('button', { name: 'Remove' }).click();
    expect(await asked).toContain('teammate@example.com');
    await row.waitFor({ state: 'detached' });
    await page.reload();
    await members.getByRole('row').filter({ hasText: 'first@example.com' }).waitFor();
    expect(await row.count()).toBe(0);
    expect(h.problems).toEqual([]);
  });
});

describe('the first account from another machine, in Chromium', () => {
  let h: UiHarness;
  beforeAll(async () => {
    // A host name that is not loopback, as another machine would use, resolved to this server.
    h = await startUi({ browserArgs: ['--host-resolver-rules=MAP sightline.test 127.0.0.1'] });
  });
  afterAll(async () => h?.close());

  it('is refused without the setup link printed at start, and created through it', async () => {
    const { page } = h;
    const remote = `http://sightline.test:${new URL(h.url).port}`;
    const signUp = async () => {
      await page.getByText('Create the first account').waitFor();
      await page.getByLabel('Email').fill('remote@example.com');
      await page.getByLabel('Password').fill('remote password');
      await page.getByRole('button', { name: 'Create account' }).click();
    };
    await page.goto(remote);
    await expect.poll(() => page.getByRole('note').textContent()).toContain('setup link');
    await signUp();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('setup link');
    const link = /(http:\/\/\S+\/api\/ui\/auth\/setup\?token=\S+)/.exec(h.server.output())?.[1];
    expect(link).toBeDefined();
    await page.goto(link!.replace(h.url, remote));
    await signUp();
    await page.getByRole('heading', { name: 'Traces' }).waitFor();
    // Over plain http to a non-localhost name Chromium warns that it ignores COOP; nothing else may be reported.
    expect(h.problems.filter((p) => !p.includes('Cross-Origin-Opener-Policy header has been ignored'))).toEqual([]);
  });
});
