import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, signIn, startUi, type UiHarness } from './support/harness.js';

/** The `data-*` attributes of every element the locator matches. */
const data = async (locator: Locator, ...names: string[]) =>
  Promise.all((await locator.all()).map(async (el) => Promise.all(names.map((n) => el.getAttribute(`data-${n}`)))));

const LONG_MODEL = 'anthropic/claude-3-5-sonnet-with-a-model-name-far-too-long-for-its-column-20241022';

// The overview's charts (latency in readable units, a chart per score name, model names shown in
// full) and a custom dashboard built in the editor, saved, and read back after a reload.
describe('UI dashboards in Chromium', () => {
  let h: UiHarness;
  let projectId = '';

  beforeAll(async () => {
    h = await startUi({ initUser: true });
    const start = Date.now() - 60_000;
    const at = (ms: number) => new Date(start + ms).toISOString();
    const generation = (id: string, model: string, latency: number, cost: number) => [
      event('trace-create', { id: `trace-${id}`, name: `chat ${id}`, timestamp: at(0) }),
      event('generation-create', {
        id, traceId: `trace-${id}`, name: 'llm', model, startTime: at(0), endTime: at(latency), usageDetails: { input: 100, output: 20 }, costDetails: { total: cost },
      }),
    ];
    await h.ingest([
      ...generation('g1', 'gpt-4o', 1500, 0.5),
      ...generation('g2', LONG_MODEL, 90_000, 0.25),
      event('score-create', { id: 's1', traceId: 'trace-g1', name: 'helpfulness', value: 0.5 }),
      event('score-create', { id: 's2', traceId: 'trace-g1', name: 'tone', value: 'polite', dataType: 'CATEGORICAL' }),
      event('score-create', { id: 's3', traceId: 'trace-g2', name: 'tone', value: 'polite', dataType: 'CATEGORICAL' }),
      event('score-create', { id: 's4', traceId: 'trace-g2', name: 'tone', value: 'rude', dataType: 'CATEGORICAL' }),
      event('score-create', { id: 's5', traceId: 'trace-g2', name: 'correct', value: 1, dataType: 'BOOLEAN' }),
    ]);
    await signIn(h);
    projectId = /^\/p\/([^/]+)\/traces$/.exec(new URL(h.page.url()).pathname)![1];
  });
  afterAll(async () => h?.close());

  it('shows latency in readable units on separate axes, straight lines, model names in full, a chart per score name and a bucket fitting the range', async () => {
    const { page } = h;
    await page.goto(`${h.url}/p/${projectId}/dashboard?range=24h`);
    const latency = page.getByRole('figure', { name: 'Generation latency p50 / p95 / p99' });
    await latency.locator('circle').first().waitFor();
    // 90 s is the largest value: the axis counts seconds, and the tooltips say seconds too.
    const ticks = await latency.locator('.y-tick text').allTextContents();
    expect(ticks.length).toBeGreaterThan(2);
    for (const t of ticks) expect(t).toMatch(/^\d+(\.\d+)? s$/);
    const tips = await latency.locator('circle title').allTextContents();
    expect(tips.some((t) => /p99: \d+(\.\d+)? s$/.test(t))).toBe(true);
    expect(await latency.textContent()).toContain('Hourly buckets, UTC');

    // No smoothing: lines are straight segments between bucket points (no curve commands).
    const paths = await latency.locator('path').evaluateAll((ps) => (ps as unknown as { getAttribute(n: string): string | null }[]).map((p) => p.getAttribute('d') ?? ''));
    expect(paths.length).toBeGreaterThan(0);
    for (const d of paths) expect(d).toMatch(/^[ML\d\s.,-]+$/);
    // Quantities of different scale never share an axis: cost and tokens are charts of their own, each ticked in its unit.
    const costTicks = await page.getByRole('figure', { name: 'Generation cost (USD)' }).locator('.y-tick text').allTextContents();
    expect(costTicks.length).toBeGreaterThan(2);
    for (const t of costTicks) expect(t).toMatch(/^\$/);
    const tokenTicks = await page.getByRole('figure', { name: 'Generation tokens' }).locator('.y-tick text').allTextContents();
    expect(tokenTicks.length).toBeGreaterThan(2);
    for (const t of tokenTicks) expect(t).toMatch(/^[\d.,]+[kMB]?$/);

    const model = page.getByRole('figure', { name: 'Cost by model (USD)' }).locator(`[data-category="${LONG_MODEL}"] .category-label`);
    expect(await model.getAttribute('title')).toBe(LONG_MODEL);
    // Shown in full: the label's whole text is visible (wrapped), nothing overflows its box.
    expect(await model.innerText()).toBe(LONG_MODEL);
    type Box = { scrollWidth: number; clientWidth: number; scrollHeight: number; clientHeight: number };
    const box = await model.evaluate((el) => {
      const b = el as unknown as Box;
      return { scrollWidth: b.scrollWidth, clientWidth: b.clientWidth, scrollHeight: b.scrollHeight, clientHeight: b.clientHeight };
    });
    expect(box.scrollWidth).toBeLessThanOrEqual(box.clientWidth);
    expect(box.scrollHeight).toBeLessThanOrEqual(box.clientHeight);

    const tone = page.getByRole('figure', { name: 'Score: tone (categorical, count per category)' });
    expect(await data(tone.locator('li'), 'category', 'value')).toEqual([
      ['polite', '2'],
      ['rude', '1'],
    ]);
    await page.getByRole('figure', { name: 'Score: correct (boolean, count per category)' }).locator('[data-category="True"]').waitFor();
    // Chart titles (a score's name and kind) wrap rather than being cut.
    const title = page.getByRole('figure', { name: 'Score: correct (boolean, count per category)' }).locator('.chart-title');
    expect(await title.evaluate((el) => (el as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth <= (el as unknown as { clientWidth: number }).clientWidth)).toBe(true);
    const helpfulness = page.getByRole('figure', { name: 'Score: helpfulness (average)' });
    expect(await data(helpfulness.locator('circle'), 'value')).toEqual([['0.5']]);
    // The bucket fits the range: hourly for a day (above), daily for a month.
    await page.getByLabel('Time range').selectOption('30d');
    await expect.poll(() => latency.textContent()).toContain('Daily buckets, UTC');
    expect(h.problems).toEqual([]);
    await h.screenshot('dashboard-overview');
  });

  it('builds a custom dashboard with two charts that survive a reload and match the data', async () => {
    const { page } = h;
    await page.getByRole('main').getByRole('link', { name: 'Custom dashboards' }).click();
    const create = page.getByRole('form', { name: 'New dashboard' });
    await create.getByLabel('Name').fill('Spend watch');
    await create.getByLabel('Description').fill('cost and volume');
    await create.getByRole('button', { name: 'Create dashboard' }).click();
    await page.getByRole('heading', { name: 'Spend watch' }).waitFor();

    await page.getByRole('button', { name: 'Add chart' }).click();
    let form = page.getByRole('form', { name: 'New chart' });
    await form.getByLabel('Title').fill('Cost by model');
    await form.getByLabel('Chart type').selectOption('bar');
    await form.getByLabel('View').selectOption('observations');
    await form.getByLabel('Measure').selectOption('totalCost');
    await form.getByLabel('Aggregation').selectOption('sum');
    await form.getByLabel('Dimension').selectOption('providedModelName');
    await form.getByLabel('Time bucket').selectOption('');
    await form.getByRole('button', { name: 'Add filter' }).click();
    await form.getByLabel('Filter 1 column').selectOption('type');
    await form.getByLabel('Filter 1 value').fill('GENERATION');
    await form.getByRole('button', { name: 'Save chart' }).click();
    await page.getByRole('figure', { name: 'Cost by model' }).waitFor();

    await page.getByRole('button', { name: 'Add chart' }).click();
    form = page.getByRole('form', { name: 'New chart' });
    await form.getByLabel('Title').fill('Traces over time');
    await form.getByLabel('Chart type').selectOption('line');
    await form.getByLabel('View').selectOption('traces');
    await form.getByRole('button', { name: 'Save chart' }).click();
    await page.getByRole('figure', { name: 'Traces over time' }).waitFor();

    await page.reload();
    const figures = page.locator('figure.chart');
    await expect.poll(() => figures.locator('figcaption .chart-title').allTextContents()).toEqual(['Cost by model', 'Traces over time']);
    const costs = page.getByRole('figure', { name: 'Cost by model' }).locator('li');
    await costs.first().waitFor();
    expect(await data(costs, 'category', 'value')).toEqual([
      ['gpt-4o', '0.5'],
      [LONG_MODEL, '0.25'],
    ]);
    const traces = page.getByRole('figure', { name: 'Traces over time' });
    await traces.locator('circle').first().waitFor();
    const counts = await data(traces.locator('circle'), 'value');
    expect(counts.reduce((n, [v]) => n + Number(v), 0)).toBe(2);
    expect(await traces.textContent()).toContain('a bucket without data shows 0');

    // Reorder, and the order is what is saved.
    await page.getByRole('button', { name: 'Move Traces over time up' }).click();
    await expect.poll(() => figures.locator('figcaption .chart-title').allTextContents()).toEqual(['Traces over time', 'Cost by model']);
    await page.reload();
    await expect.poll(() => figures.locator('figcaption .chart-title').allTextContents()).toEqual(['Traces over time', 'Cost by model']);
    await h.screenshot('dashboard-custom');

    // Edit a chart (its form starts from the saved query), then remove the other one.
    await page.getByRole('figure', { name: 'Cost by model' }).getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit chart Cost by model' });
    expect(await edit.getByLabel('Measure').inputValue()).toBe('totalCost');
    expect(await edit.getByLabel('Filter 1 value').inputValue()).toBe('GENERATION');
    await edit.getByLabel('Title').fill('Tokens by model');
    await edit.getByLabel('Measure').selectOption('totalTokens');
    await edit.getByLabel('Aggregation').selectOption('sum');
    await edit.getByRole('button', { name: 'Save chart' }).click();
    const tokens = page.getByRole('figure', { name: 'Tokens by model' }).locator('li');
    await tokens.first().waitFor();
    expect(await data(tokens, 'value')).toEqual([['120'], ['120']]);
    await page.getByRole('figure', { name: 'Traces over time' }).getByRole('button', { name: 'Remove' }).click();
    await page.reload();
    await expect.poll(() => figures.locator('figcaption .chart-title').allTextContents()).toEqual(['Tokens by model']);
    expect(h.problems).toEqual([]);
  });
});
