import { Langfuse } from 'langfuse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_KEY, SECRET_KEY, event, signIn, startUi, type UiHarness } from './support/harness.js';

// Links from outside the UI: the trace URLs the Langfuse SDKs print, and a project id that is
// not one of the user's.
describe('UI links in Chromium', () => {
  let h: UiHarness;
  let projectId: string;
  let sdkTraceUrl: string;

  beforeAll(async () => {
    h = await startUi({ initUser: true });
    // The v3 SDK's own link: `${baseUrl}/trace/${traceId}`, without a project.
    const langfuse = new Langfuse({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl: h.url });
    const trace = langfuse.trace({ id: 'sdk trace/1', name: 'made-by-the-sdk', input: 'hello' });
    sdkTraceUrl = trace.getTraceUrl();
    await langfuse.shutdownAsync();
    await h.ingest([event('trace-create', { id: 'linked-trace', name: 'linked-by-project' })]);
    await signIn(h);
    projectId = /^\/p\/([^/]+)\/traces$/.exec(new URL(h.page.url()).pathname)![1];
  });
  afterAll(async () => h?.close());

  it("opens the trace behind the v3 SDK's getTraceUrl(), which names no project", async () => {
    const { page } = h;
    expect(sdkTraceUrl).toBe(`${h.url}/trace/sdk trace/1`);
    await page.goto(sdkTraceUrl);
    await page.getByRole('heading', { name: 'made-by-the-sdk' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/p/${projectId}/traces/${encodeURIComponent('sdk trace/1')}`);
    expect(await page.getByLabel('Project', { exact: true }).inputValue()).toBe(projectId);

    await page.goto(`${h.url}/trace/${encodeURIComponent('no-such-trace')}`);
    await page.getByRole('heading', { name: 'Trace not found' }).waitFor();
    expect(await page.locator('main').textContent()).toContain('None of your projects has a trace with this id.');
    expect(h.problems).toEqual([]);
  });

  it('lists the projects when the trace id is in more than one', async () => {
    const { page } = h;
    await page.goto(`${h.url}/p/${projectId}/settings`);
    await page.getByLabel('Project name').fill('other project');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('heading', { name: 'Settings · other project' }).waitFor();
    await page.getByRole('button', { name: 'Create API key' }).click();
    const env = (await page.locator('.secret-once pre').textContent()) ?? '';
    const key = (name: string) => new RegExp(`${name}=(\\S+)`).exec(env)![1];
    const other = new Langfuse({ publicKey: key('LANGFUSE_PUBLIC_KEY'), secretKey: key('LANGFUSE_SECRET_KEY'), baseUrl: h.url });
    const url = other.trace({ id: 'sdk trace/1', name: 'same-id-elsewhere' }).getTraceUrl();
    await other.shutdownAsync();

    await page.goto(url);
    const choices = page.getByRole('list', { name: 'Projects with this trace' });
    await choices.waitFor();
    expect((await choices.getByRole('link').allTextContents()).sort()).toEqual(['default', 'other project']);
    await choices.getByRole('link', { name: 'other project' }).click();
    await page.getByRole('heading', { name: 'same-id-elsewhere' }).waitFor();
    expect(h.problems).toEqual([]);
  });

  it('opens Langfuse project trace links, /project/<pid>/traces/<id>', async () => {
    const { page } = h;
    await page.goto(`${h.url}/project/${projectId}/traces/linked-trace`);
    await page.getByRole('heading', { name: 'linked-by-project' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/p/${projectId}/traces/linked-trace`);
    expect(h.problems).toEqual([]);
  });

  it('shows a project id that is not one of yours as not found, with no other project in the sidebar', async () => {
    const { page } = h;
    await page.goto(`${h.url}/p/not-my-project/traces`);
    await page.getByRole('heading', { name: 'Project not found' }).waitFor();
    expect(await page.locator('main').textContent()).toContain('not-my-project');
    const sidebar = page.getByRole('navigation', { name: 'Main' });
    expect(await page.getByLabel('Project', { exact: true }).inputValue()).toBe('');
    expect(await sidebar.getByRole('link', { name: 'Traces' }).count()).toBe(0);
    expect(await page.locator('main table').count()).toBe(0);

    await page.getByLabel('Project', { exact: true }).selectOption({ value: projectId });
    await page.locator('tr[data-trace-id="linked-trace"]').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/p/${projectId}/traces`);
    expect(h.problems).toEqual([]);
  });
});
