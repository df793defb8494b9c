import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, signIn, startUi, USER_EMAIL, type UiHarness } from './support/harness.js';

// Human review in a real browser: score configs and a queue made in the UI, traces added in bulk
// from a filtered list, the review screen driven by the keyboard, the scores read back through the
// public API, and the scores page's filters and sorting.
describe('UI annotation queues and scores page in Chromium', () => {
  let h: UiHarness;
  let projectId = '';
  let queueId = '';
  const publicGet = async (path: string) => {
    const res = await fetch(`${h.url}/api/public${path}`, { headers: { authorization: h.auth } });
    return (await res.json()) as { data: Record<string, unknown>[] };
  };

  beforeAll(async () => {
    h = await startUi({ initUser: true });
    const now = Date.now();
    const at = (min: number) => new Date(now - 60 * 60_000 + min * 60_000).toISOString();
    await h.ingest([
      event('trace-create', { id: 'r-a', name: 'review-a', tags: ['review'], input: 'question A', output: 'answer A', timestamp: at(1) }),
      event('trace-create', { id: 'r-b', name: 'review-b', tags: ['review'], input: 'question B', output: 'answer B', timestamp: at(2) }),
      event('trace-create', { id: 'r-c', name: 'review-c', tags: ['review'], input: 'question C', output: 'answer C', timestamp: at(3) }),
      event('trace-create', { id: 'r-x', name: 'not-for-review', sessionId: 'r-session', timestamp: at(4) }),
      ...[0.2, 0.9, 0.5].map((value, i) => event('score-create', { id: `q${i}`, traceId: 'r-x', name: 'quality', value, comment: `api ${i}` }, new Date(now - (10 - i) * 60_000))),
    ]);
    await signIn(h);
    projectId = /^\/p\/([^/]+)\/traces$/.exec(new URL(h.page.url()).pathname)![1];
  });
  afterAll(async () => h?.close());

  it('creates score configs and a queue, and adds all traces matching the list filters', async () => {
    const { page } = h;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queues' }).click();
    await page.getByRole('heading', { name: 'Annotation queues' }).waitFor();
    await page.getByText('create one first').waitFor();
    const configForm = page.getByRole('form', { name: 'New score config' });
    await configForm.getByLabel('Config name').fill('tone');
    await configForm.getByLabel('Data type').selectOption('CATEGORICAL');
    await configForm.getByLabel('Categories').fill('calm=1, rude=0');
    await configForm.getByRole('button', { name: 'Create config' }).click();
    await page.locator('.config-list li', { hasText: 'tone' }).waitFor();
    await configForm.getByLabel('Config name').fill('correct');
    await configForm.getByLabel('Data type').selectOption('BOOLEAN');
    await configForm.getByRole('button', { name: 'Create config' }).click();
    await page.locator('.config-list li', { hasText: 'correct' }).waitFor();
    // A bad config is refused with the server's reason.
    await configForm.getByLabel('Config name').fill('broken');
    await configForm.getByLabel('Data type').selectOption('NUMERIC');
    await configForm.getByLabel('Minimum').fill('5');
    await configForm.getByLabel('Maximum').fill('1');
    await configForm.getByRole('button', { name: 'Create config' }).click();
    await configForm.getByRole('alert').waitFor();

    const queueForm = page.getByRole('form', { name: 'New queue' });
    await queueForm.getByLabel('Queue name').fill('Weekly review');
    await queueForm.getByRole('checkbox', { name: /tone/ }).check();
    await queueForm.getByRole('checkbox', { name: /correct/ }).check();
    await queueForm.getByRole('button', { name: 'Create queue' }).click();
    const row = page.getByRole('table', { name: 'Queues' }).locator('tr', { hasText: 'Weekly review' });
    await row.waitFor();
    queueId = (await row.getAttribute('data-queue-id')) ?? '';

    await page.goto(`${h.url}/p/${projectId}/traces?tags=review`);
    await page.locator('tr[data-trace-id="r-a"]').waitFor();
    expect(await page.locator('tr[data-trace-id]').count()).toBe(3);
    const bulk = page.getByLabel('Bulk actions');
    await bulk.getByRole('button', { name: 'Add all matching (up to 1,000)' }).click();
    await bulk.getByRole('status').filter({ hasText: 'Added 3 to Weekly review' }).waitFor();
    // Selected rows: one already queued is kept once.
    await page.getByRole('checkbox', { name: 'Select r-b' }).check();
    await bulk.getByRole('button', { name: 'Add 1 selected to queue' }).click();
    await bulk.getByRole('status').filter({ hasText: 'Added 0 to Weekly review (1 already queued)' }).waitFor();
    expect(h.problems).toEqual([]);
  });

  it('reviews with the keyboard: picks categories, saves and moves on, skips, and shows progress', async () => {
    const { page } = h;
    await page.goto(`${h.url}/p/${projectId}/queues/${queueId}`);
    const progress = page.getByLabel('Progress');
    const under = page.getByLabel('Item under review');
    await progress.getByText('Item 1 of 3').waitFor();
    await under.getByRole('heading', { name: /review-c/ }).waitFor();
    await under.getByText('answer C').waitFor();
    await h.screenshot('queue-review');
    await page.keyboard.press('1'); // tone: calm
    await page.keyboard.press('2'); // correct: False
    expect(await page.getByRole('radio', { checked: true }).allInnerTexts()).toEqual(['1 calm', '2 False']);
    await page.keyboard.press('Enter');

    await progress.getByText('Item 2 of 3').waitFor();
    await under.getByRole('heading', { name: /review-b/ }).waitFor();
    await progress.getByText('1 completed · 2 pending').waitFor();
    await page.keyboard.press('s');

    await progress.getByText('Item 3 of 3').waitFor();
    await under.getByRole('heading', { name: /review-a/ }).waitFor();
    await progress.getByText(/1 skipped by you, at the end of your queue/).waitFor();
    // A new visit (no item in the URL) keeps the skip: the item not skipped comes first, though it was queued later.
    await page.goto(`${h.url}/p/${projectId}/queues/${queueId}`);
    await progress.getByText('Item 3 of 3').waitFor();
    await under.getByRole('heading', { name: /review-a/ }).waitFor();
    await progress.getByText('1 completed · 2 pending · 1 skipped by you, at the end of your queue').waitFor();
    await page.keyboard.press('2'); // tone: rude
    await page.keyboard.press('1'); // correct: True
    await page.keyboard.press('Enter');

    // Then the skipped item, back from the end of the queue, still pending.
    await progress.getByText('Item 2 of 3').waitFor();
    await under.getByRole('heading', { name: /review-b/ }).waitFor();
    await page.getByText('skipped earlier', { exact: true }).waitFor();
    await progress.getByText('2 completed · 1 pending · 1 skipped by you, at the end of your queue').waitFor();
    await h.screenshot('queue-review-skipped');

    const { data } = await publicGet(`/v3/scores?queueId=${queueId}&fields=subject,annotation`);
    const got = data.map((s) => [(s.subject as { id: string }).id, s.name, s.value, s.source, s.queueId]).sort();
    expect(got).toEqual([
      ['r-a', 'correct', true, 'ANNOTATION', queueId],
      ['r-a', 'tone', 'rude', 'ANNOTATION', queueId],
      ['r-c', 'correct', false, 'ANNOTATION', queueId],
      ['r-c', 'tone', 'calm', 'ANNOTATION', queueId],
    ]);
    const items = await publicGet(`/annotation-queues/${queueId}/items`);
    expect(items.data.map((i) => [i.objectId, i.status])).toEqual([
      ['r-c', 'COMPLETED'],
      ['r-b', 'PENDING'],
      ['r-a', 'COMPLETED'],
    ]);

    // Skipping the last pending item keeps it on screen (nothing else waits); the queue list shows the counts.
    await page.keyboard.press('s');
    await under.getByRole('heading', { name: /review-b/ }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queues' }).click();
    const row = page.locator(`tr[data-queue-id="${queueId}"]`);
    await row.waitFor();
    expect((await row.locator('td').allInnerTexts()).slice(1, 3)).toEqual(['1', '2']);
    expect(h.problems).toEqual([]);
  });

  it('lists every score on the scores page with filters, sorting and distributions', async () => {
    const { page } = h;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Scores' }).click();
    await page.getByRole('heading', { name: 'Scores' }).waitFor();
    const table = page.getByRole('table', { name: 'Scores' });
    const rows = table.locator('tbody tr');
    await table.locator('tr[data-score-id="q0"]').waitFor();
    expect(await rows.count()).toBe(7);
    await page.locator('[data-score-name="quality"]').waitFor();
    expect(await page.locator('[data-score-name="tone"] table.bars th').allInnerTexts()).toEqual(['calm', 'rude']);

    await page.getByLabel('Source').selectOption('ANNOTATION');
    await table.locator('tr[data-score-id="q0"]').waitFor({ state: 'detached' });
    expect(await rows.count()).toBe(4);
    const column = async (i: number) => rows.evaluateAll((trs, n) => (trs as unknown as { children: { textContent: string | null }[] }[]).map((tr) => tr.children[n].textContent ?? ''), i);
    expect(new Set(await column(3))).toEqual(new Set(['ANNOTATION']));
    expect(new Set(await column(6))).toEqual(new Set([USER_EMAIL]));
    expect(new URL(page.url()).searchParams.get('source')).toBe('ANNOTATION');
    await page.getByLabel('Data type').selectOption('BOOLEAN');
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('table[aria-label="Scores"] tbody tr').length === 2);
    expect((await column(2)).sort()).toEqual(['False', 'True']);

    await page.goto(`${h.url}/p/${projectId}/scores?name=quality`);
    await table.locator('tr[data-score-id="q0"]').waitFor();
    expect(await column(2)).toEqual(['0.50', '0.90', '0.20']);
    await table.getByRole('button', { name: /Value/ }).click();
    await page.waitForURL(/sort=value\.desc/);
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('table[aria-label="Scores"] tbody tr td:nth-child(3)')?.textContent === '0.90');
    expect(await column(2)).toEqual(['0.90', '0.50', '0.20']);
    await table.getByRole('button', { name: /Value/ }).click();
    await page.waitForURL(/sort=value\.asc/);
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('table[aria-label="Scores"] tbody tr td:nth-child(3)')?.textContent === '0.20');
    expect(await column(2)).toEqual(['0.20', '0.50', '0.90']);
    await page.getByLabel('Minimum value').fill('0.4');
    await page.getByLabel('Minimum value').press('Enter');
    await page.waitForURL(/min=0\.4/);
    await table.locator('tr[data-score-id="q0"]').waitFor({ state: 'detached' });
    expect(await column(2)).toEqual(['0.50', '0.90']);
    expect(await column(7)).toEqual(['api 2', 'api 1']);
    await h.screenshot('scores-page');
    expect(h.problems).toEqual([]);
  });

  it('adds a trace from its page and a session from its page to a queue, once each', async () => {
    const { page } = h;
    await page.goto(`${h.url}/p/${projectId}/traces/r-x`);
    await page.getByLabel('Annotation queue').selectOption({ label: 'Weekly review' });
    await page.getByRole('button', { name: 'Add to queue' }).click();
    await page.getByRole('status').filter({ hasText: 'Added 1 to Weekly review.' }).waitFor();
    await page.getByRole('button', { name: 'Add to queue' }).click();
    await page.getByRole('status').filter({ hasText: 'Added 0 to Weekly review (1 already queued).' }).waitFor();

    await page.goto(`${h.url}/p/${projectId}/sessions/r-session`);
    await page.getByLabel('Annotation queue').selectOption({ label: 'Weekly review' });
    await page.getByRole('button', { name: 'Add to queue' }).click();
    await page.getByRole('status').filter({ hasText: 'Added 1 to Weekly review.' }).waitFor();

    const items = await publicGet(`/annotation-queues/${queueId}/items`);
    expect(items.data.slice(-2).map((i) => [i.objectType, i.objectId, i.status])).toEqual([
      ['TRACE', 'r-x', 'PENDING'],
      ['SESSION', 'r-session', 'PENDING'],
    ]);
    expect(h.problems).toEqual([]);
  });
});
