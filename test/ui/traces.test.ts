import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, signIn, startUi, type UiHarness } from './support/harness.js';

// The main path in a real browser: ingest through the public API, find the trace by search,
// open it, walk the tree with the keyboard, switch to the timeline, add a score, read the
// session and the user, see the dashboard, and watch a new trace arrive in live mode.
describe('UI traces in Chromium', () => {
  let h: UiHarness;
  const t0 = Date.now() - 60_000;
  const at = (ms: number) => new Date(t0 + ms).toISOString();

  beforeAll(async () => {
    h = await startUi({ initUser: true });
    await h.ingest([
      event('trace-create', {
        id: 'trace-checkout', name: 'checkout-flow', userId: 'alice', sessionId: 'sess-1', tags: ['shop'], environment: 'production',
        timestamp: at(0), metadata: { tenant: 'acme' }, release: 'v2.3.1', version: 'build-42',
        input: [{ role: 'system', content: 'You are a shop assistant.' }, { role: 'user', content: 'Where is my order?' }],
        output: { role: 'assistant', content: '## Your order\n\n- shipped **today**' },
      }),
      event('span-create', { id: 'obs-root', traceId: 'trace-checkout', name: 'handle-request', startTime: at(0), endTime: at(3000), environment: 'production' }),
      event('generation-create', {
        id: 'obs-llm', traceId: 'trace-checkout', parentObservationId: 'obs-root', name: 'call-llm', model: 'gpt-4o', environment: 'production',
        startTime: at(500), endTime: at(2500), usageDetails: { input: 120, output: 30 }, modelParameters: { temperature: 0.2 },
        input: [{ role: 'user', content: 'Where is my order?' }], output: 'It shipped today. The haystack hides a needle.',
      }),
      event('event-create', { id: 'obs-log', traceId: 'trace-checkout', parentObservationId: 'obs-root', name: 'log-line', startTime: at(2600), environment: 'production' }),
      event('trace-create', { id: 'trace-other', name: 'other-thing', userId: 'bob', timestamp: at(1000), environment: 'staging', input: 'plain' }),
    ]);
    await signIn(h);
  });
  afterAll(async () => h?.close());

  // Typed here: this program has no DOM library, and React's types declare its element interfaces empty.
  type Row = { getAttribute(name: string): string | null };
  const rowIds = () => h.page.locator('table.traces tbody tr').evaluateAll((rows: Row[]) => rows.map((r) => r.getAttribute('data-trace-id')));

  it('lists traces, finds one by full-text search, keeps filters in the URL and sorts', async () => {
    const { page } = h;
    await page.locator('tr[data-trace-id="trace-checkout"]').waitFor();
    await page.locator('tr[data-trace-id="trace-other"]').waitFor();
    await h.screenshot('traces');
    await page.getByLabel('Search').fill('needle');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(rowIds).toEqual(['trace-checkout']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('needle');
    await page.reload();
    await expect.poll(rowIds).toEqual(['trace-checkout']);
    await expect.poll(() => page.getByLabel('Search').inputValue()).toBe('needle');

    await page.goto(`${h.url}${new URL(page.url()).pathname}?user=bob&range=24h`);
    await expect.poll(rowIds).toEqual(['trace-other']);
    await page.getByLabel('Environment').selectOption('production');
    await expect.poll(rowIds).toEqual([]);
    await page.goto(`${h.url}${new URL(page.url()).pathname}?range=24h`);
    await expect.poll(rowIds).toEqual(['trace-other', 'trace-checkout']);
    await page.getByRole('button', { name: /^Name/ }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('name.desc');
    await expect.poll(rowIds).toEqual(['trace-other', 'trace-checkout']);
    await page.getByRole('button', { name: /^Name/ }).click();
    await expect.poll(rowIds).toEqual(['trace-checkout', 'trace-other']);

    // A custom range starts as the last 24 hours, held as from/to in the URL.
    await page.getByLabel('Time range').selectOption('custom');
    await expect.poll(() => new URL(page.url()).searchParams.get('from')).toMatch(/^\d+$/);
    await page.getByLabel('From').waitFor();
    await expect.poll(rowIds).toEqual(['trace-checkout', 'trace-other']);
    await page.getByLabel('Time range').selectOption('7d');
  });

  it('opens a trace from the keyboard, walks the tree, switches to the timeline and adds a score', async () => {
    const { page } = h;
    await page.locator('tr[data-trace-id="trace-checkout"]').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'checkout-flow' }).waitFor();
    // Release and version of the trace are shown in its header.
    const header = page.locator('dl.fields.inline');
    await expect.poll(() => header.innerText()).toMatch(/Release\s+v2\.3\.1/);
    expect(await header.innerText()).toMatch(/Version\s+build-42/);
    const tree = page.getByRole('tree', { name: 'Observation tree' });
    await tree.getByRole('treeitem').nth(2).waitFor();
    expect(await tree.getByRole('treeitem').count()).toBe(3);
    // The trace's own input reads as a conversation, its markdown output is rendered.
    await page.locator('.message.role-system').waitFor();
    await page.locator('.markdown h2', { hasText: 'Your order' }).waitFor();

    await tree.focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => new URL(page.url()).searchParams.get('observation')).toBe('obs-root');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => new URL(page.url()).searchParams.get('observation')).toBe('obs-llm');
    const detail = page.getByLabel('Observation detail');
    await detail.getByRole('heading', { name: 'call-llm' }).waitFor();
    await detail.getByText('gpt-4o').first().waitFor();
    await detail.getByText('temperature').waitFor();
    await h.screenshot('trace-tree');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => new URL(page.url()).searchParams.get('observation')).toBe('obs-root');
    await page.keyboard.press('ArrowLeft'); // collapse the root
    await expect.poll(() => tree.getByRole('treeitem').count()).toBe(1);
    await page.keyboard.press('ArrowRight'); // expand it again
    await expect.poll(() => tree.getByRole('treeitem').count()).toBe(3);

    await page.getByRole('tab', { name: 'Timeline' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('view')).toBe('timeline');
    const timeline = page.getByRole('tree', { name: 'Timeline' });
    await timeline.locator('.obs-bar').nth(2).waitFor();
    await h.screenshot('trace-timeline');

    await timeline.locator('[data-observation-id="obs-llm"]').click();
    await detail.getByRole('heading', { name: 'call-llm' }).waitFor();
    await detail.getByPlaceholder('Score name').fill('helpfulness');
    await detail.getByPlaceholder('Value (number or label)').fill('0.75');
    await detail.getByPlaceholder('Comment').fill('good answer, slow');
    await detail.getByRole('button', { name: 'Add score' }).click();
    const scoreRow = detail.getByRole('row', { name: /helpfulness/ });
    await scoreRow.waitFor();
    expect(await scoreRow.textContent()).toMatch(/0\.75.*ANNOTATION.*good answer, slow/);
  });

  it('reads a session as a conversation and lists users', async () => {
    const { page } = h;
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('link', { name: 'sess-1' }).click();
    await page.locator('.turn').first().waitFor();
    await page.locator('.turn .message.role-user', { hasText: 'Where is my order?' }).waitFor();
    await h.screenshot('session');
    await page.getByRole('link', { name: 'Users' }).click();
    const alice = page.getByRole('row', { name: /alice/ });
    await alice.waitFor();
    expect(await alice.textContent()).toContain('150'); // tokens
    await h.screenshot('users');
  });

  it('draws the dashboard', async () => {
    const { page } = h;
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.locator('figure.chart svg.chart-svg').nth(5).waitFor();
    await expect.poll(() => page.locator('.stat', { hasText: 'Traces' }).locator('.stat-value').textContent()).toBe('2');
    await page.locator('figure', { hasText: 'Cost by model' }).getByText('gpt-4o').first().waitFor();
    await h.screenshot('dashboard');
  });

  it('shows a new trace in live mode without a reload', async () => {
    const { page } = h;
    await page.getByRole('link', { name: 'Traces' }).click();
    await page.locator('tr[data-trace-id="trace-checkout"]').waitFor();
    await page.getByRole('checkbox', { name: /Live/ }).check();
    await expect.poll(() => new URL(page.url()).searchParams.get('live')).toBe('1');
    await page.evaluate(() => ((globalThis as unknown as { __noReload: boolean }).__noReload = true));
    // The stream must be connected before the commit it has to report.
    await page.locator('[data-live="connected"]').waitFor();
    await h.ingest([event('trace-create', { id: 'trace-live', name: 'arrived-live', timestamp: new Date().toISOString() })]);
    await page.locator('tr[data-trace-id="trace-live"]').waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (globalThis as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(h.problems).toEqual([]);
  });
});
