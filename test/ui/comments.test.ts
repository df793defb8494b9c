import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, signIn, startUi, USER_EMAIL, type UiHarness } from './support/harness.js';

type Probe = { __xss?: string };
type Doc = { document: { querySelectorAll(s: string): { length: number } } };
type El = { tagName: string; attributes: ArrayLike<{ name: string; value: string }>; getAttribute(name: string): string | null };
type AllDoc = { document: { querySelectorAll(s: string): ArrayLike<El> } };

// Hostile markdown: script tags, javascript: links (markdown and raw), raw HTML, images with onerror.
const HOSTILE = [
  '# Review notes',
  '<script>window.__xss="script"</script>',
  '[click me](javascript:window.__xss="link")',
  '[as data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [as vb](vbscript:msgbox(1)) [as mixed case](JaVaScRiPt:window.__xss="case") [with a tab](java&#9;script:window.__xss="tab")',
  '![js image](javascript:window.__xss="img-src")',
  '<img src=x onerror="window.__xss=\'img\'">',
  '![broken](x" onerror="window.__xss=\'md-img\')',
  '![pic](https://tracker.example/pixel.png)',
  '<a href="javascript:window.__xss=\'a\'">raw link</a>',
  '<div onmouseover="window.__xss=\'div\'">hover</div>',
  '[the docs](https://example.com/docs) and **bold**',
].join('\n\n');

// Comment threads in a real browser: hostile markdown from the API and from the UI is rendered
// inert, the composer counts characters, and lists show how many comments each row has.
describe('UI comments in Chromium', () => {
  let h: UiHarness;
  let projectId = '';
  const publicPost = async (path: string, body: unknown) => {
    const res = await fetch(`${h.url}/api/public${path}`, { method: 'POST', headers: { authorization: h.auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    h = await startUi({ initUser: true });
    const t = new Date(Date.now() - 60_000).toISOString();
    await h.ingest([
      event('trace-create', { id: 'c-trace', name: 'commented', sessionId: 'c-session', input: 'hi', output: 'hello', timestamp: t }),
      event('trace-create', { id: 'c-quiet', name: 'quiet', timestamp: t }),
      event('span-create', { id: 'c-obs', traceId: 'c-trace', name: 'step', startTime: t }),
    ]);
    await publicPost('/comments', { objectType: 'TRACE', objectId: 'c-trace', content: HOSTILE });
    await publicPost('/v2/prompts', { name: 'greeting', prompt: 'Hello', labels: ['production'] });
    await signIn(h);
    projectId = /^\/p\/([^/]+)\/traces$/.exec(new URL(h.page.url()).pathname)![1];
  });
  afterAll(async () => h?.close());

  async function assertInert(where: string) {
    const { page } = h;
    expect(await page.evaluate(() => (globalThis as unknown as Probe).__xss), where).toBeUndefined();
    const injected = await page.evaluate(
      () => (globalThis as unknown as Doc).document.querySelectorAll('img, script:not([src]), [onerror], [onload], [onmouseover], a[href^="javascript"], .comments div[onmouseover]').length,
    );
    expect(injected, where).toBe(0);
    // No element carries an inline event handler, and every anchor has a real http(s) or page-relative target.
    const attributes = await page.evaluate(() => {
      const found: string[] = [];
      for (const el of Array.from((globalThis as unknown as AllDoc).document.querySelectorAll('*'))) {
        for (const a of Array.from(el.attributes)) if (/^on/i.test(a.name)) found.push(`${el.tagName} ${a.name}`);
        if (el.tagName === 'A') {
          const href = el.getAttribute('href');
          if (href === null || !/^(https?:\/\/|\/|#|\?)/i.test(href.trim())) found.push(`A href=${JSON.stringify(href)}`);
        }
      }
      return found;
    });
    expect(attributes, where).toEqual([]);
    expect(h.problems, where).toEqual([]);
  }

  it('renders hostile markdown from the API and from the composer as inert text, with safe links', async () => {
    const { page } = h;
    await page.locator('tr[data-trace-id="c-trace"] .comment-count').waitFor();
    expect(await page.locator('tr[data-trace-id="c-trace"] .comment-count').innerText()).toBe('💬 1');
    expect(await page.locator('tr[data-trace-id="c-quiet"] .comment-count').count()).toBe(0);

    await page.locator('tr[data-trace-id="c-trace"]').click();
    const thread = page.getByRole('region', { name: 'Comments' });
    await thread.locator('.comment h1', { hasText: 'Review notes' }).waitFor();
    const first = thread.locator('.comment').first();
    expect(await first.locator('.comment-head').innerText()).toMatch(/^API · /);
    const text = await first.locator('.comment-body').innerText();
    expect(text).toContain('<script>window.__xss="script"</script>');
    expect(text).toContain('<img src=x onerror=');
    expect(text).toContain('[image: pic]');
    type Anchor = { textContent: string | null; getAttribute(name: string): string | null };
    const links = await first.locator('a').evaluateAll((as) => (as as unknown as Anchor[]).map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('rel')]));
    expect(links).toEqual([['the docs', 'https://example.com/docs', 'noopener noreferrer nofollow']]);
    // Links with a dangerous target are their text, without an anchor; the javascript: image is a text stand-in.
    for (const label of ['click me', 'as data', 'as vb', 'as mixed case', 'with a tab']) expect(text).toContain(label);
    expect(await first.locator('.unsafe-link').count()).toBe(5);
    expect(text).toContain('[image: js image]');
    expect(await first.locator('.comment-body strong').innerText()).toBe('bold');
    await assertInert('comment from the API');

    const box = thread.getByLabel('New comment');
    await box.fill('x'.repeat(5001));
    await thread.getByText('5,001 / 5,000').waitFor();
    expect(await thread.getByRole('button', { name: 'Comment' }).isDisabled()).toBe(true);
    const second = HOSTILE.replace('Review notes', 'Second look');
    await box.fill(second);
    await thread.getByText(`${second.length} / 5,000`).waitFor();
    await thread.getByRole('button', { name: 'Comment' }).click();
    await thread.locator('.comment h1', { hasText: 'Second look' }).waitFor();
    expect(await box.inputValue()).toBe('');
    expect(await thread.locator('.comment').nth(1).locator('.comment-head').innerText()).toContain(USER_EMAIL);
    await page.mouse.move(0, 0);
    await thread.getByText('hover').first().hover();
    await assertInert('comment from the composer');
    await h.screenshot('comments-trace');
  });

  it('keeps threads on observations, sessions and prompt versions, and counts them in the sessions list', async () => {
    const { page } = h;
    await page.locator('[data-observation-id="c-obs"]').click();
    const obs = page.getByLabel('Observation detail');
    await obs.getByRole('heading', { name: 'step' }).waitFor();
    await obs.getByLabel('New comment').fill('observation note');
    await obs.getByRole('button', { name: 'Comment' }).click();
    await obs.locator('.comment', { hasText: 'observation note' }).waitFor();

    await page.goto(`${h.url}/p/${projectId}/sessions/c-session`);
    const thread = page.getByRole('region', { name: 'Comments' });
    await thread.getByLabel('New comment').fill('session *note*');
    await thread.getByRole('button', { name: 'Comment' }).click();
    await thread.locator('.comment em', { hasText: 'note' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('table', { name: 'Sessions' }).locator('.comment-count').waitFor();
    expect(await page.getByRole('table', { name: 'Sessions' }).locator('.comment-count').innerText()).toBe('💬 1');

    await page.goto(`${h.url}/p/${projectId}/prompts/greeting`);
    const promptThread = page.getByRole('region', { name: 'Comments' });
    await promptThread.getByText('No comments yet.').waitFor();
    await promptThread.getByLabel('New comment').fill('v1 reads well');
    await promptThread.getByRole('button', { name: 'Comment' }).click();
    await promptThread.locator('.comment', { hasText: 'v1 reads well' }).waitFor();
    await assertInert('observation, session and prompt threads');
  });
});
