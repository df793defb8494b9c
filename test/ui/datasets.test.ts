import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, signIn, startUi, type UiHarness } from './support/harness.js';

const IMG = '<img src=x onerror="window.__xss=\'img\'">';
type Probe = { __xss?: string };

// Datasets in a real browser: creating one, items by hand, a CSV import with a column mapping,
// "add to dataset" from a trace, a dataset's runs and the side-by-side comparison of two runs.
describe('UI datasets in Chromium', () => {
  let h: UiHarness;
  let projectId = '';
  const publicApi = async (path: string, body: unknown) => {
    const res = await fetch(`${h.url}/api/public${path}`, { method: 'POST', headers: { authorization: h.auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    h = await startUi({ initUser: true });
    await h.ingest([event('trace-create', { id: 'prod-trace', name: 'support-chat', input: { question: 'Where is my order?' }, output: 'It ships tomorrow.' })]);

    // An experiment: two runs over three items; `next` answers item 2 differently and better, item 3 worse.
    await publicApi('/v2/datasets', { name: 'experiments' });
    const expected = ['four', 'Paris', 'blue'];
    for (let i = 0; i < 3; i++) await publicApi('/dataset-items', { datasetName: 'experiments', id: `exp-${i + 1}`, input: `question ${i + 1}`, expectedOutput: expected[i] });
    const runs = { base: { outputs: ['four', 'Lyon', 'blue'], scores: [1, 0, 1] }, next: { outputs: ['four', 'Paris', IMG], scores: [1, 1, 0] } };
    const events = [];
    for (const [run, { outputs, scores }] of Object.entries(runs)) {
      for (let i = 0; i < 3; i++) {
        const traceId = `${run}-trace-${i + 1}`;
        events.push(event('trace-create', { id: traceId, name: 'qa-app', output: outputs[i] }));
        events.push(event('score-create', { traceId, name: 'correct', value: scores[i] }));
        await publicApi('/dataset-run-items', { runName: run, datasetItemId: `exp-${i + 1}`, traceId });
      }
    }
    await h.ingest(events);
    await signIn(h);
    projectId = /^\/p\/([^/]+)\/traces$/.exec(new URL(h.page.url()).pathname)![1];
  });
  afterAll(async () => h?.close());

  it('creates a dataset, adds an item by hand and imports a CSV with a column mapping', async () => {
    const { page } = h;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Datasets' }).click();
    await page.getByRole('heading', { name: 'Datasets' }).waitFor();
    await page.locator('tr[data-dataset="experiments"]').waitFor();
    expect(await page.locator('tr[data-dataset="experiments"] td').allInnerTexts()).toEqual(['experiments', '', '3', '2', expect.any(String), expect.any(String)]);
    await page.getByRole('button', { name: 'New dataset' }).click();
    const form = page.getByRole('form', { name: 'New dataset' });
    await form.getByLabel('Name').fill('support-qa');
    await form.getByLabel('Description').fill('questions customers ask');
    await form.getByRole('button', { name: 'Create dataset' }).click();
    await page.getByRole('heading', { name: 'support-qa' }).waitFor();

    await page.getByRole('button', { name: 'Add item' }).click();
    const editor = page.getByRole('form', { name: 'New item' });
    await editor.getByLabel('Input').fill('{"question": "Can I return shoes?"}');
    await editor.getByLabel('Expected output').fill('Yes, within 30 days.');
    await editor.getByRole('button', { name: 'Add item' }).click();
    const items = page.getByRole('table', { name: 'Dataset items' });
    await items.getByText('{"question":"Can I return shoes?"}').waitFor();
    expect(await items.locator('tbody tr').count()).toBe(1);

    await page.getByRole('button', { name: 'Import CSV / JSONL' }).click();
    const csv = 'question,context,answer,team\n"How do I pay?",checkout,"By card, or ""PayPal"".",billing\nWhat is Sightline?,,An observability tool,product\n';
    await page.getByLabel('Import file').setInputFiles({ name: 'faq.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const mapping = page.getByRole('table', { name: 'Column mapping' });
    await mapping.waitFor();
    expect(await page.getByLabel('Map column question').inputValue()).toBe('input');
    expect(await page.getByLabel('Map column answer').inputValue()).toBe('expectedOutput');
    await page.getByLabel('Map column context').selectOption('input');
    await page.getByLabel('Map column team').selectOption('metadata');
    await page.getByRole('button', { name: 'Import 2 items' }).click();
    await page.getByRole('status').filter({ hasText: 'Imported 2 of 2' }).waitFor();
    expect(await page.getByLabel('Import progress').getAttribute('value')).toBe('2');
    await items.getByText('{"question":"How do I pay?","context":"checkout"}').waitFor();
    expect(await items.getByText('By card, or "PayPal".').count()).toBe(1);
    expect(await items.getByText('{"question":"What is Sightline?"}').count()).toBe(1);
    expect(await items.locator('tbody tr').count()).toBe(3);
    await h.screenshot('dataset-items');

    // Archiving takes the item off the list (it stays with "Show archived").
    await items.locator('tbody tr', { hasText: 'Can I return shoes?' }).getByRole('button', { name: 'Archive' }).click();
    await expect.poll(() => items.locator('tbody tr').count()).toBe(2);
    await page.getByLabel('Show archived').check();
    await expect.poll(() => items.locator('tbody tr').count()).toBe(3);
    expect(h.problems).toEqual([]);
  });

  it('adds a trace to a dataset with its input and output prefilled and editable', async () => {
    const { page } = h;
    await page.goto(`${h.url}/p/${projectId}/traces/prod-trace`);
    await page.getByRole('heading', { name: 'support-chat' }).waitFor();
    await page.getByRole('button', { name: 'Add to dataset' }).click();
    const panel = page.getByRole('region', { name: 'Add to dataset' });
    await panel.getByLabel('Dataset').selectOption({ label: 'support-qa' });
    const editor = panel.getByRole('form', { name: 'New item' });
    expect(JSON.parse(await editor.getByLabel('Input').inputValue())).toEqual({ question: 'Where is my order?' });
    expect(await editor.getByLabel('Expected output').inputValue()).toBe('It ships tomorrow.');
    await editor.getByLabel('Expected output').fill('It ships tomorrow, tracking by email.');
    await editor.getByRole('button', { name: 'Add item' }).click();
    await page.getByText('Added as item').waitFor();
    await page.getByText('Added as item').getByRole('link').click();
    const items = page.getByRole('table', { name: 'Dataset items' });
    const row = items.locator('tbody tr', { hasText: 'Where is my order?' });
    await row.waitFor();
    expect(await row.innerText()).toContain('It ships tomorrow, tracking by email.');
    expect(await row.getByRole('link', { name: 'trace' }).getAttribute('href')).toBe(`/p/${projectId}/traces/prod-trace`);
    expect(h.problems).toEqual([]);
  });

  it('lists runs with aggregates and compares two side by side, differences highlighted, sorted by a score delta', async () => {
    const { page } = h;
    await page.goto(`${h.url}/p/${projectId}/datasets`);
    await page.getByRole('link', { name: 'experiments' }).click();
    await page.getByRole('tab', { name: 'Runs' }).click();
    const runs = page.getByRole('table', { name: 'Dataset runs' });
    await runs.locator('tr[data-run="base"]').waitFor();
    expect(await runs.locator('tr[data-run="base"]').innerText()).toContain('correct: 0.667');
    expect(await runs.locator('tr[data-run="next"]').innerText()).toContain('correct: 0.667');
    await page.getByLabel('Pick run base').check();
    await page.getByLabel('Pick run next').check();
    await page.getByRole('button', { name: 'Compare 2 runs' }).click();
    await page.getByRole('heading', { name: 'Compare runs' }).waitFor();

    const table = page.getByRole('table', { name: 'Items compared' });
    await table.locator('tr[data-item="exp-2"]').waitFor();
    const second = table.locator('tr[data-item="exp-2"]');
    expect(await second.locator('td.expected').innerText()).toBe('Paris');
    expect(await second.locator('td[data-run-index="0"] .cell-output').innerText()).toBe('Lyon');
    expect(await second.locator('td[data-run-index="1"] .cell-output').innerText()).toBe('Paris');
    expect(await second.locator('td[data-run-index="1"]').getAttribute('class')).toContain('differs');
    expect(await second.locator('td[data-run-index="1"] .chip.delta-up').innerText()).toBe('correct: 1 (+1)');
    expect(await table.locator('tr[data-item="exp-1"] td.differs').count()).toBe(0);
    // Client text is shown as text, never markup.
    expect(await table.locator('tr[data-item="exp-3"] td[data-run-index="1"] .cell-output').innerText()).toBe(IMG);
    expect(await page.evaluate(() => (globalThis as unknown as Probe).__xss)).toBeUndefined();
    await page.getByRole('region', { name: 'Distribution of correct' }).locator('svg').first().waitFor();

    const order = () => table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => (r as unknown as { getAttribute(name: string): string | null }).getAttribute('data-item')));
    expect(await order()).toEqual(['exp-1', 'exp-2', 'exp-3']);
    await page.getByLabel('Sort by').selectOption({ label: 'Δ correct: next − base' });
    await expect.poll(order).toEqual(['exp-2', 'exp-1', 'exp-3']);
    await page.getByLabel('Order').selectOption('asc');
    await expect.poll(order).toEqual(['exp-3', 'exp-1', 'exp-2']);
    expect(new URL(page.url()).searchParams.get('dir')).toBe('asc');
    await page.reload();
    await expect.poll(order).toEqual(['exp-3', 'exp-1', 'exp-2']);
    await h.screenshot('dataset-compare');
    expect(h.problems).toEqual([]);
  });
});
