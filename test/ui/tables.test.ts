import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, signIn, startUi, type UiHarness } from './support/harness.js';

// The tables in a real browser: the traces list sorted by latency from its header, an error
// shown as an error, the observations table filtered by type and model with a column chooser
// held in the URL, sessions sorted by cost, and a user's own page; then each table's other sorts
// (score, tokens, cost) and filters (user, level, minimum cost, user search).
describe('UI tables in Chromium', () => {
  let h: UiHarness;
  const t0 = Date.now() - 3_600_000;
  const at = (ms: number) => new Date(t0 + ms).toISOString();
  const llm = (id: string, traceId: string, start: number, latency: number, model: string, cost: number, tokens = 15) =>
    event('generation-create', {
      id, traceId, name: `llm-${id}`, model, startTime: at(start), endTime: at(start + latency), completionStartTime: at(start + 50),
      usageDetails: { input: 10, output: 5, total: tokens }, costDetails: { total: cost },
    });

  beforeAll(async () => {
    h = await startUi({ initUser: true });
    await h.ingest([
      event('trace-create', { id: 'fast', name: 'fast', userId: 'alice', sessionId: 'sess-a', timestamp: at(0) }),
      event('trace-create', { id: 'slow', name: 'slow', userId: 'alice', sessionId: 'sess-a', timestamp: at(1000) }),
      event('trace-create', { id: 'medium', name: 'medium', userId: 'bob', sessionId: 'sess-b', timestamp: at(2000) }),
      llm('g-fast', 'fast', 0, 200, 'gpt-4o-mini', 0.000045),
      llm('g-slow', 'slow', 1000, 9000, 'gpt-4o', 0.02, 40),
      llm('g-medium', 'medium', 2000, 3000, 'gpt-4o', 0.5, 25),
      event('span-create', { id: 's-medium', traceId: 'medium', name: 'retrieve', level: 'WARNING', startTime: at(2000), endTime: at(2100) }),
      event('score-create', { id: 'sc1', traceId: 'slow', name: 'quality', value: 0.8 }),
      event('score-create', { id: 'sc2', traceId: 'medium', name: 'quality', value: 0.3 }),
    ]);
    await signIn(h);
  });
  afterAll(async () => h?.close());

  type Row = { getAttribute(name: string): string | null };
  const traceIds = () => h.page.locator('table.traces tbody tr').evaluateAll((rows: Row[]) => rows.map((r) => r.getAttribute('data-trace-id')));
  const observationIds = () => h.page.locator('table.observations tbody tr').evaluateAll((rows: Row[]) => rows.map((r) => r.getAttribute('data-observation-id')));
  const param = (name: string) => new URL(h.page.url()).searchParams.get(name);
  const project = () => /^\/p\/([^/]+)/.exec(new URL(h.page.url()).pathname)![1];
  const firstCells = (table: string) => async () => (await h.page.locator(`table[aria-label="${table}"] tbody tr td:first-child`).allTextContents()).map((t) => t.trim());
  const column = (table: string, n: number) => async () => (await h.page.locator(`table[aria-label="${table}"] tbody tr td:nth-child(${n})`).allTextContents()).map((t) => t.trim());

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

  it('sorts traces by a score name from the Scores header (traces without it last) and filters them by user', async () => {
    const { page } = h;
    await page.goto(`${h.url}/p/${project()}/traces`);
    await page.locator('tr[data-trace-id="slow"]').waitFor();
    await page.getByLabel('Sort by score').selectOption('quality.desc');
    await expect.poll(() => param('sort')).toBe('score:quality.desc');
    await expect.poll(traceIds).toEqual(['slow', 'medium', 'fast']);
    await page.getByLabel('Sort by score').selectOption('quality.asc');
    await expect.poll(traceIds).toEqual(['medium', 'slow', 'fast']);
    await page.locator('input[name="user"]').fill('alice');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => param('user')).toBe('alice');
    await expect.poll(traceIds).toEqual(['slow', 'fast']);
    await expect.poll(() => page.locator('.trace-count').textContent()).toBe('2 traces');
  });

  it('sorts the observations table by tokens and cost (missing values last) and filters by level and minimum cost', async () => {
    const { page } = h;
    await page.goto(`${h.url}/p/${project()}/observations`);
    await expect.poll(observationIds).toEqual(['s-medium', 'g-medium', 'g-slow', 'g-fast']);
    await page.getByRole('button', { name: /^Tokens/ }).click();
    await expect.poll(() => param('sort')).toBe('tokens.desc');
    await expect.poll(observationIds).toEqual(['g-slow', 'g-medium', 'g-fast', 's-medium']);
    await page.getByRole('button', { name: /^Tokens/ }).click();
    await expect.poll(observationIds).toEqual(['g-fast', 'g-medium', 'g-slow', 's-medium']);
    await page.getByRole('combobox', { name: 'Level' }).selectOption('WARNING');
    await expect.poll(() => param('level')).toBe('WARNING');
    await expect.poll(observationIds).toEqual(['s-medium']);
    await page.getByRole('combobox', { name: 'Level' }).selectOption('');
    await page.locator('input[name="minCost"]').fill('0.01');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => param('minCost')).toBe('0.01');
    await page.getByRole('button', { name: /^Cost/ }).click();
    await expect.poll(() => param('sort')).toBe('cost.desc');
    await expect.poll(observationIds).toEqual(['g-medium', 'g-slow']);
    await page.getByRole('button', { name: /^Cost/ }).click();
    await expect.poll(observationIds).toEqual(['g-slow', 'g-medium']);
  });

  it('sorts sessions by a score name, showing each mean, and back the other way from its column', async () => {
    const { page } = h;
    await page.goto(`${h.url}/p/${project()}/sessions`);
    await expect.poll(firstCells('Sessions')).toEqual(['sess-b', 'sess-a']);
    await page.getByLabel('Score name to sort by').fill('quality');
    await page.getByRole('form', { name: 'Sort by score' }).getByRole('button', { name: 'Sort' }).click();
    await expect.poll(() => param('sort')).toBe('score:quality.desc');
    await expect.poll(firstCells('Sessions')).toEqual(['sess-a', 'sess-b']);
    expect(await column('Sessions', 9)()).toEqual(['0.8', '0.3']);
    await page.getByRole('button', { name: /^Score: quality/ }).click();
    await expect.poll(() => param('sort')).toBe('score:quality.asc');
    await expect.poll(firstCells('Sessions')).toEqual(['sess-b', 'sess-a']);
    await page.getByRole('button', { name: /^Tokens/ }).click();
    await expect.poll(firstCells('Sessions')).toEqual(['sess-a', 'sess-b']);
    expect(await page.getByRole('button', { name: /^Score: quality/ }).count()).toBe(0);
  });

  it('searches users, sorts them by tokens and by a score name', async () => {
    const { page } = h;
    await page.goto(`${h.url}/p/${project()}/users`);
    await expect.poll(firstCells('Users')).toEqual(['bob', 'alice']);
    await page.getByLabel('Search users').fill('ALI');
    await page.getByLabel('Search users').press('Enter');
    await expect.poll(() => param('q')).toBe('ALI');
    await expect.poll(firstCells('Users')).toEqual(['alice']);
    await page.getByLabel('Search users').fill('');
    await page.getByLabel('Search users').press('Enter');
    await expect.poll(firstCells('Users')).toEqual(['bob', 'alice']);
    await page.getByRole('button', { name: /^Tokens/ }).click();
    await expect.poll(() => param('sort')).toBe('totalTokens.desc');
    await expect.poll(firstCells('Users')).toEqual(['alice', 'bob']);
    await page.getByLabel('Score name to sort by').fill('quality');
    await page.getByLabel('Score name to sort by').press('Enter');
    await expect.poll(() => param('sort')).toBe('score:quality.desc');
    await expect.poll(firstCells('Users')).toEqual(['alice', 'bob']);
    expect(await column('Users', 7)()).toEqual(['0.8', '0.3']);
    await page.getByRole('button', { name: /^Score: quality/ }).click();
    await expect.poll(firstCells('Users')).toEqual(['bob', 'alice']);
    await h.screenshot('users-sorted-by-score');
    expect(h.problems).toEqual([]);
  });
});
