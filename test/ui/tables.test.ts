import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, signIn, startUi, type UiHarness } from './support/harness.js';

// The tables in a real browser: the traces list sorted by latency from its header, an error
// shown as an error, the observations table filtered by type and model with a column chooser
// held in the URL, sessions sorted by cost, and a user's own page.
describe('UI tables in Chromium', () => {
  let h: UiHarness;
  const t0 = Date.now() - 3_600_000;
  const at = (ms: number) => new Date(t0 + ms).toISOString();
  const llm = (id: string, traceId: string, start: number, latency: number, model: string, cost: number) =>
    event('generation-create', {
      id, traceId, name: `llm-${id}`, model, startTime: at(start), endTime: at(start + latency), completionStartTime: at(start + 50),
      usageDetails: { input: 10, output: 5, total: 15 }, costDetails: { total: cost },
    });

  beforeAll(async () => {
    h = await startUi({ initUser: true });
    await h.ingest([
      event('trace-create', { id: 'fast', name: 'fast', userId: 'alice', sessionId: 'sess-a', timestamp: at(0) }),
      event('trace-create', { id: 'slow', name: 'slow', userId: 'alice', sessionId: 'sess-a', timestamp: at(1000) }),
      event('trace-create', { id: 'medium', name: 'medium', userId: 'bob', sessionId: 'sess-b', timestamp: at(2000) }),
      llm('g-fast', 'fast', 0, 200, 'gpt-4o-mini', 0.000045),
      llm('g-slow', 'slow', 1000, 9000, 'gpt-4o', 0.02),
      llm('g-medium', 'medium', 2000, 3000, 'gpt-4o', 0.5),
      event('span-create', { id: 's-medium', traceId: 'medium', name: 'retrieve', startTime: at(2000), endTime: at(2100) }),
      event('score-create', { id: 'sc1', traceId: 'slow', name: 'quality', value: 0.8 }),
    ]);
    await signIn(h);
  });
  afterAll(async () => h?.close());

  type Row = { getAttribute(name: string): string | null };
  const traceIds = () => h.page.locator('table.traces tbody tr').evaluateAll((rows: Row[]) => rows.map((r) => r.getAttribute('data-trace-id')));
  const observationIds = () => h.page.locator('table.observations tbody tr').evaluateAll((rows: Row[]) => rows.map((r) => r.getAttribute('data-observation-id')));
  const param = (name: string) => new URL(h.page.url()).searchParams.get(name);

  it('sorts traces by latency from the column header, both ways, and shows the count', async () => {
    const { page } = h;
    await page.locator('tr[data-trace-id="slow"]').waitFor();
    await expect.poll(() => page.locator('.trace-count').textContent()).toBe('3 traces');
    await page.getByRole('button', { name: /^Latency/ }).click();
    await expect.poll(() => param('sort')).toBe('latency.desc');
    await expect.poll(traceIds).toEqual(['slow', 'medium', 'fast']);
    await page.getByRole('button', { name: /^Latency/ }).click();
    await expect.poll(() => param('sort')).toBe('latency.asc');
    await expect.poll(traceIds).toEqual(['fast', 'medium', 'slow']);
    await page.getByRole('button', { name: /^Cost/ }).click();
    await expect.poll(traceIds).toEqual(['medium', 'slow', 'fast']);
    // A tiny cost is money, not exponent notation.
    expect(await page.locator('tr[data-trace-id="fast"]').textContent()).toContain('$0.000045');
    await h.screenshot('traces-sorted-by-latency');
  });

  it('shows an unsupported sort as an error naming the field, not as an empty result', async () => {
    const { page } = h;
    await page.goto(`${h.url}${new URL(page.url()).pathname}?sort=colour.desc`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('colour');
    expect(await page.getByText('No traces match').count()).toBe(0);
  });

  it('filters the observations table by type and model, with the whole view in the URL', async () => {
    const { page } = h;
    await page.getByRole('link', { name: 'Observations' }).click();
    await expect.poll(observationIds).toEqual(['s-medium', 'g-medium', 'g-slow', 'g-fast']);
    await page.getByRole('combobox', { name: 'Type' }).selectOption('GENERATION');
    await expect.poll(() => param('type')).toBe('GENERATION');
    await expect.poll(observationIds).toEqual(['g-medium', 'g-slow', 'g-fast']);
    await page.locator('input[name="model"]').fill('gpt-4o');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(observationIds).toEqual(['g-medium', 'g-slow']);
    await page.getByRole('button', { name: /^Latency/ }).click();
    await expect.poll(observationIds).toEqual(['g-slow', 'g-medium']);
    // The trace column links to the trace at that observation.
    const link = page.locator('tr[data-observation-id="g-slow"] a', { hasText: 'slow' });
    expect(await link.getAttribute('href')).toContain('/traces/slow?observation=g-slow');
    await page.reload();
    await expect.poll(observationIds).toEqual(['g-slow', 'g-medium']);
    expect([param('type'), param('model'), param('sort')]).toEqual(['GENERATION', 'gpt-4o', 'latency.desc']);
  });

  it('keeps the chosen columns in the URL', async () => {
    const { page } = h;
    const headers = () => page.locator('table.observations thead th').allTextContents();
    await expect.poll(headers).toContain('Time to first token ');
    await page.getByText('Columns').click();
    await page.getByRole('checkbox', { name: 'Time to first token' }).uncheck();
    await page.getByRole('checkbox', { name: 'Level' }).uncheck();
    await expect.poll(() => param('cols')).not.toBeNull();
    expect(param('cols')).not.toMatch(/ttft|level/);
    await page.reload();
    await page.locator('tr[data-observation-id="g-slow"]').waitFor();
    const after = (await headers()).map((s) => s.trim());
    expect(after).not.toContain('Time to first token');
    expect(after).not.toContain('Level');
    expect(after).toContain('Model');
    await h.screenshot('observations');
  });

  it('sorts sessions by cost and opens a user page from the users list', async () => {
    const { page } = h;
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('button', { name: /^Cost/ }).click();
    await expect.poll(() => param('sort')).toBe('totalCost.desc');
    const sessionIds = async () => (await page.locator('table[aria-label="Sessions"] tbody tr td:first-child').allTextContents()).map((t) => t.trim());
    await expect.poll(sessionIds).toEqual(['sess-b', 'sess-a']);

    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('link', { name: 'alice' }).click();
    await page.getByRole('heading', { name: /User alice/ }).waitFor();
    await expect.poll(() => page.getByLabel('User totals').textContent()).toMatch(/Traces2/);
    await page.locator('table[aria-label="Sessions of the user"]').getByRole('link', { name: 'sess-a' }).waitFor();
    await expect.poll(traceIds).toEqual(['slow', 'fast']);
    await page.locator('table[aria-label="Scores over time"]').getByText('quality (mean)').waitFor();
    await h.screenshot('user-page');
  });
});
