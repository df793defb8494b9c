import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, signIn, startUi, type UiHarness } from './support/harness.js';

// The Export button of the traces page downloads what the page's filters (its URL) select, with
// observations and scores, across all pages, as JSONL or CSV.
describe('UI trace export in Chromium', () => {
  let h: UiHarness;
  const at = (ms: number) => new Date(Date.now() - 60_000 + ms).toISOString();

  beforeAll(async () => {
    h = await startUi({ initUser: true });
    await h.ingest([
      ...Array.from({ length: 60 }, (_, i) => event('trace-create', { id: `alice-${i}`, name: 'chat', userId: 'alice', timestamp: at(i) })),
      event('span-create', { id: 'alice-0-span', traceId: 'alice-0', name: 'step', startTime: at(0) }),
      event('score-create', { id: 'alice-0-score', traceId: 'alice-0', name: 'quality', value: 1 }),
      event('trace-create', { id: 'bob-1', name: '=cmd', userId: 'bob', timestamp: at(100) }),
    ]);
    await signIn(h);
  });
  afterAll(async () => h?.close());

  async function download(format: 'JSONL' | 'CSV'): Promise<string> {
    await h.page.getByLabel('Export format').selectOption({ label: format });
    const [file] = await Promise.all([h.page.waitForEvent('download'), h.page.getByRole('button', { name: 'Export' }).click()]);
    return readFile(await file.path(), 'utf8');
  }

  it('downloads the filtered traces (all pages) with their observations and scores', async () => {
    const { page } = h;
    await page.goto(`${h.url}${new URL(page.url()).pathname}?user=alice&range=24h`);
    await page.locator('tr[data-trace-id="alice-59"]').waitFor();
    const jsonl = await download('JSONL');
    const docs = jsonl.trim().split('\n').map((l) => JSON.parse(l) as { id: string; userId: string; observations: { id: string }[]; scores: { id: string }[] });
    expect(docs).toHaveLength(60);
    expect(new Set(docs.map((d) => d.userId))).toEqual(new Set(['alice']));
    const first = docs.find((d) => d.id === 'alice-0')!;
    expect(first.observations.map((o) => o.id)).toEqual(['alice-0-span']);
    expect(first.scores.map((s) => s.id)).toEqual(['alice-0-score']);
    // The progress line went away when the file was complete.
    await expect.poll(() => page.getByRole('status').count()).toBe(0);
    expect(h.problems).toEqual([]);
  });

  it('downloads CSV with formula-like text defused', async () => {
    const { page } = h;
    await page.goto(`${h.url}${new URL(page.url()).pathname}?user=bob&range=24h`);
    await page.locator('tr[data-trace-id="bob-1"]').waitFor();
    const csv = await download('CSV');
    const rows = csv.split('\r\n').filter(Boolean);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^id,timestamp,name,userId,/);
    expect(rows[1]).toMatch(/^bob-1,[^,]+,'=cmd,bob,/);
  });
});
