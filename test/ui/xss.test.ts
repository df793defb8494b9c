import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, signIn, startUi, type UiHarness } from './support/harness.js';

const IMG = '<img src=x onerror="window.__xss=\'img\'">';
const SCRIPT = '<script>window.__xss="script"</script>';
const LINK = '[click me](javascript:window.__xss="link")';
const SVG = '<svg onload="window.__xss=\'svg\'"></svg>';
const DIV = '<div onmouseover="window.__xss=\'div\'">';
const TABLE = `| model ${IMG} | says |\n| :--- | ---: |\n| ${SCRIPT} | ${LINK} |`;

type Probe = { __xss?: string };

// Everything users send is rendered as text: script-bearing names, inputs, outputs, metadata
// keys, tags and markdown must show up as visible text and never execute or become elements.
describe('UI renders user data as text, never as HTML (Chromium)', () => {
  let h: UiHarness;
  beforeAll(async () => {
    h = await startUi({ initUser: true });
    const now = Date.now();
    const at = (ms: number) => new Date(now - 30_000 + ms).toISOString();
    await h.ingest([
      event('trace-create', {
        id: 'xss-trace', name: `${IMG} name`, userId: SCRIPT, sessionId: `${SVG}`, tags: [SCRIPT, IMG], timestamp: at(0),
        input: `# Heading\n\n${IMG}\n\n${SCRIPT}\n\n${LINK}\n\n<a href="javascript:window.__xss='a'">raw link</a>\n\n${TABLE}\n\n${DIV}the rest of this line **stays**\nand so does the next line`,
        output: { role: 'assistant', content: `**bold** ${IMG} ${LINK}` },
        metadata: { [IMG]: SCRIPT, nested: { [SCRIPT]: [IMG, SVG] } },
      }),
      event('generation-create', {
        id: 'xss-obs', traceId: 'xss-trace', name: SCRIPT, model: IMG, startTime: at(0), endTime: at(100), statusMessage: IMG, level: 'ERROR',
        input: [{ role: IMG, content: [{ type: 'text', text: `${SCRIPT} ${LINK}` }] }], output: SVG, metadata: { [SVG]: LINK },
      }),
    ]);
    await signIn(h);
  });
  afterAll(async () => h?.close());

  /** Nothing ran, no element came from user data, no dialog opened, no javascript: link exists. */
  async function assertInert(where: string) {
    const { page } = h;
    expect(await page.evaluate(() => (globalThis as unknown as Probe).__xss), where).toBeUndefined();
    const injected = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll(
          'img[src="x"], svg[onload], script:not([src]), [onerror], [onload], a[href^="javascript"], a[href=""]',
        ).length,
    );
    expect(injected, where).toBe(0);
    expect(h.problems, where).toEqual([]);
  }

  it('keeps the traces list, trace view, observation view, timeline, session and users page inert', async () => {
    const { page } = h;
    await page.locator('tr[data-trace-id="xss-trace"]').waitFor();
    expect(await page.locator('tr[data-trace-id="xss-trace"]').textContent()).toContain('<img src=x onerror=');
    await assertInert('traces list');

    await page.locator('tr[data-trace-id="xss-trace"]').click();
    await page.getByRole('heading', { name: /<img src=x/ }).waitFor();
    await page.locator('.markdown h1', { hasText: 'Heading' }).waitFor();
    const detail = page.getByLabel('Trace detail');
    // A GitHub table is a table, its cells' tags are text; a line opening with a tag keeps the rest of the line.
    const markdown = detail.locator('.markdown', { has: page.locator('h1') });
    expect(await markdown.locator('table th').allTextContents()).toEqual([`model ${IMG}`, 'says']);
    expect(await markdown.locator('table td').allTextContents()).toEqual([SCRIPT, 'click me']);
    const tagLine = markdown.locator('p', { hasText: 'the rest of this line' });
    expect(await tagLine.textContent()).toBe(`${DIV}the rest of this line stays\nand so does the next line`);
    expect(await tagLine.locator('strong').textContent()).toBe('stays');
    expect(await markdown.textContent()).toContain(`${SCRIPT}`);
    expect(await detail.textContent()).toContain('window.__xss');
    // Expand every collapsed JSON node so nested keys and values are in the DOM too.
    for (let i = 0; i < 5; i++) {
      const closed = detail.locator('button.twisty[aria-expanded="false"]');
      if ((await closed.count()) === 0) break;
      await closed.first().click();
    }
    // The markdown link is there as text, without its javascript: target.
    await detail.getByText('click me').first().waitFor();
    await assertInert('trace detail');

    await page.locator('[data-observation-id="xss-obs"]').click();
    const obs = page.getByLabel('Observation detail');
    await obs.getByRole('heading', { name: SCRIPT }).waitFor();
    for (const button of await obs.getByRole('button', { name: 'Render markdown' }).all()) await button.click();
    await assertInert('observation detail');
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.getByRole('tree', { name: 'Timeline' }).locator('.obs-bar').first().waitFor();
    await assertInert('timeline');

    await page.goto(`${h.url}${new URL(page.url()).pathname.replace(/traces\/.*/, 'sessions')}`);
    await page.getByRole('link', { name: SVG }).click();
    await page.locator('.turn').first().waitFor();
    await assertInert('session');
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('link', { name: SCRIPT }).waitFor();
    await assertInert('users');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.locator('figure.chart svg.chart-svg').first().waitFor();
    await assertInert('dashboard');
    await h.screenshot('xss-users');
  });
});
