import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, signIn, startUi, type UiHarness } from './support/harness.js';

const OBSERVATIONS = 100_000;
const BRANCHES = 1_000; // root → 1,000 spans → 99 events each (+ the root itself)

// A trace of 100,000 observations opens and scrolls: the tree and the timeline keep only
// the rows on screen in the DOM (what is asserted here; speed is measured by benchmarks).
describe('UI opens a 100,000-observation trace (Chromium)', () => {
  let h: UiHarness;
  let lastId = '';
  beforeAll(async () => {
    h = await startUi({ initUser: true });
    const t0 = Date.now() - 3_600_000;
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    const events: unknown[] = [event('trace-create', { id: 'big', name: 'big-trace', timestamp: at(0) })];
    events.push(event('span-create', { id: 'root', traceId: 'big', name: 'root', startTime: at(0), endTime: at(OBSERVATIONS + 10) }));
    const perBranch = (OBSERVATIONS - 1) / BRANCHES - 1;
    let n = 1;
    for (let b = 0; b < BRANCHES; b++) {
      const branch = `b${b}`;
      const start = b * (OBSERVATIONS / BRANCHES);
      events.push(event('span-create', { id: branch, traceId: 'big', parentObservationId: 'root', name: `branch-${b}`, startTime: at(start + 1), endTime: at(start + 90) }));
      n++;
      for (let k = 0; k < perBranch && n < OBSERVATIONS; k++, n++) {
        lastId = `${branch}-e${k}`;
        events.push(event('event-create', { id: lastId, traceId: 'big', parentObservationId: branch, name: 'step', startTime: at(start + 2 + k) }));
      }
    }
    expect(events.length - 1).toBe(OBSERVATIONS);
    for (let i = 0; i < events.length; i += 10_000) await h.ingest(events.slice(i, i + 10_000));
    await signIn(h);
  }, 300_000);
  afterAll(async () => h?.close());

  const rowsInDom = () => h.page.getByRole('treeitem').count();

  it('opens the tree virtualised and scrolls to the end', async () => {
    const { page } = h;
    await page.goto(`${page.url().replace(/\/traces.*/, '/traces/big')}`);
    await page.getByText('100,000', { exact: true }).waitFor({ timeout: 90_000 });
    const tree = page.getByRole('tree', { name: 'Observation tree' });
    await tree.getByRole('treeitem').first().waitFor();
    expect(await rowsInDom()).toBeLessThan(200);
    await h.screenshot('large-trace-top');

    await tree.focus();
    await page.keyboard.press('End');
    await tree.locator(`[data-observation-id="${lastId}"]`).waitFor();
    expect(new URL(page.url()).searchParams.get('observation')).toBe(lastId);
    expect(await rowsInDom()).toBeLessThan(200);

    // Scroll through the middle with the wheel: rows change, the DOM stays small.
    await tree.hover();
    for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -200_000);
    await expect.poll(() => tree.locator(`[data-observation-id="${lastId}"]`).count()).toBe(0);
    expect(await rowsInDom()).toBeLessThan(200);
    await h.screenshot('large-trace-scrolled');
  }, 240_000);

  it('shows the timeline virtualised too, and the detail of a selected observation', async () => {
    const { page } = h;
    await page.getByRole('tab', { name: 'Timeline' }).click();
    const timeline = page.getByRole('tree', { name: 'Timeline' });
    await timeline.locator('.obs-bar').first().waitFor();
    expect(await rowsInDom()).toBeLessThan(200);
    await timeline.getByRole('treeitem').nth(3).click();
    await page.getByLabel('Observation detail').getByRole('heading').first().waitFor();
    expect(h.problems).toEqual([]);
  }, 120_000);
});
