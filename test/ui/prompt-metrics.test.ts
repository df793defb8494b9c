import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, signIn, startUi, type UiHarness } from './support/harness.js';

// The prompt page's per-version metrics and its links to the generations that used a version.
// Needs the prompt-metrics and prompt-generations UI routes (GET /api/ui/projects/:id/prompt-metrics
// and /prompt-generations); without them the page shows "no metrics" and this test fails.
describe('UI prompt metrics in Chromium', () => {
  let h: UiHarness;
  let projectId = '';

  beforeAll(async () => {
    h = await startUi({ initUser: true });
    for (const prompt of ['Summarize {{text}}', 'Summarize briefly: {{text}}']) {
      const res = await fetch(`${h.url}/api/public/v2/prompts`, {
        method: 'POST', headers: { authorization: h.auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'tools/summarize', prompt }),
      });
      expect(res.status).toBe(200);
    }
    const start = Date.now() - 60_000;
    const at = (ms: number) => new Date(start + ms).toISOString();
    const generation = (id: string, version: number, offset: number, latency: number) => [
      event('trace-create', { id: `trace-${id}`, name: `summary ${id}`, timestamp: at(offset) }),
      event('generation-create', {
        id, traceId: `trace-${id}`, name: `summarize-${id}`, model: 'gpt-4o', startTime: at(offset), endTime: at(offset + latency),
        promptName: 'tools/summarize', promptVersion: version, usageDetails: { input: 100, output: 20 }, costDetails: { input: 0.001, output: 0.002 },
      }),
    ];
    await h.ingest([
      ...generation('g1', 1, 0, 1000),
      ...generation('g2', 2, 100, 2000),
      ...generation('g3', 2, 200, 4000),
      event('score-create', { id: 's1', traceId: 'trace-g2', observationId: 'g2', name: 'quality', value: 0.5 }),
      event('score-create', { id: 's2', traceId: 'trace-g3', observationId: 'g3', name: 'quality', value: 1 }),
    ]);
    await signIn(h);
    projectId = /^\/p\/([^/]+)\/traces$/.exec(new URL(h.page.url()).pathname)![1];
  });
  afterAll(async () => h?.close());

  it('shows generations, latency, tokens, cost and score averages per version, and links each generation to its trace', async () => {
    const { page } = h;
    await page.goto(`${h.url}/p/${projectId}/prompts/tools/summarize?view=metrics&version=2`);
    const table = page.getByRole('table', { name: 'Prompt metrics' });
    await table.waitFor();
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^v2\s+2\s/);
    expect(rows[0]).toContain('$0.006');
    expect(rows[0]).toContain('0.75'); // quality: (0.5 + 1) / 2
    expect(rows[1]).toMatch(/^v1\s+1\s/);
    expect(await table.locator('thead').innerText()).toContain('quality');

    const generations = page.getByRole('list', { name: 'Generations' });
    expect((await generations.getByRole('link').allInnerTexts()).sort()).toEqual(['summarize-g2', 'summarize-g3']);
    await generations.getByRole('link', { name: 'summarize-g3' }).click();
    await page.getByRole('heading', { name: 'summary g3' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/p/${projectId}/traces/trace-g3`);
    await page.getByLabel('Observation detail').getByRole('heading', { name: 'summarize-g3' }).waitFor();
    // …and back from the generation to its prompt version.
    await page.getByLabel('Observation detail').getByRole('link', { name: 'tools/summarize v2' }).click();
    await page.getByLabel('Selected version').getByRole('heading', { name: /Version 2/ }).waitFor();
    expect(h.problems).toEqual([]);
  });
});
