import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, signIn, startUi, type UiHarness } from './support/harness.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n% a tiny test document\n');

/** A valid 0.1 s silent WAV (8 kHz, 8-bit mono), so the browser's player accepts it. */
function wav(): Buffer {
  const samples = Buffer.alloc(800, 128);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples.length, 40);
  return Buffer.concat([header, samples]);
}

const MISSING = '@@@langfuseMedia:type=image/png|id=AAAAAAAAAAAAAAAAAAAAAA|source=bytes@@@';
const MALFORMED = '@@@langfuseMedia:not a reference@@@';

// Media references in inputs and outputs render as media: images inline (click to enlarge),
// audio with a player, PDFs as download links; unresolvable ones as a badge, never broken markup.
describe('UI renders media references (Chromium)', () => {
  let h: UiHarness;
  const refs: Record<string, string> = {};

  /** Uploads through the public media API as an SDK would; returns the reference string. */
  async function upload(bytes: Buffer, contentType: string): Promise<string> {
    const sha256Hash = createHash('sha256').update(bytes).digest('base64');
    const res = await fetch(`${h.url}/api/public/media`, {
      method: 'POST',
      headers: { authorization: h.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ traceId: 'media-trace', field: 'input', contentType, contentLength: bytes.length, sha256Hash }),
    });
    const { mediaId, uploadUrl } = (await res.json()) as { mediaId: string; uploadUrl: string };
    const put = await fetch(uploadUrl, { method: 'PUT', body: bytes, headers: { 'content-type': contentType } });
    expect(put.status).toBe(200);
    return `@@@langfuseMedia:type=${contentType}|id=${mediaId}|source=bytes@@@`;
  }

  beforeAll(async () => {
    h = await startUi({ initUser: true });
    refs.image = await upload(PNG, 'image/png');
    refs.audio = await upload(wav(), 'audio/wav');
    refs.pdf = await upload(PDF, 'application/pdf');
    await h.ingest([
      event('trace-create', {
        id: 'media-trace',
        name: 'multimodal',
        input: { image: refs.image, speech: refs.audio, report: refs.pdf, gone: MISSING, odd: MALFORMED },
        output: { role: 'assistant', content: `Here is the chart: ${refs.image} and that is all.` },
      }),
    ]);
    await signIn(h);
  });
  afterAll(async () => h?.close());

  it('shows images inline (enlarge on click), audio with a player, PDFs as downloads, and unresolvable references as badges', async () => {
    const { page } = h;
    await page.locator('tr[data-trace-id="media-trace"]').click();
    const input = page.getByLabel('Input');
    const output = page.getByLabel('Output');

    const thumb = input.locator('.media-thumb img');
    await thumb.waitFor();
    await page.waitForFunction(() => {
      const img = (globalThis as unknown as { document: { querySelector(s: string): { complete: boolean; naturalWidth: number } | null } }).document.querySelector('.media-thumb img');
      return img !== null && img.complete && img.naturalWidth === 1;
    });
    await thumb.click();
    const lightbox = page.getByRole('dialog', { name: 'Enlarged image' });
    await lightbox.waitFor();
    await lightbox.click();
    await lightbox.waitFor({ state: 'detached' });
    await thumb.click();
    await lightbox.waitFor();
    await page.keyboard.press('Escape');
    await lightbox.waitFor({ state: 'detached' });

    // The image inside running text of a chat message, with the text around it kept.
    await output.locator('.media-thumb img').waitFor();
    expect(await output.textContent()).toContain('Here is the chart:');
    expect(await output.textContent()).toContain('and that is all.');

    const audio = input.locator('audio.media-audio');
    await audio.waitFor();
    await page.waitForFunction(() => {
      const a = (globalThis as unknown as { document: { querySelector(s: string): { readyState: number } | null } }).document.querySelector('audio.media-audio');
      return a !== null && a.readyState >= 1;
    });

    const download = input.locator('a.media-file');
    await download.waitFor();
    expect(await download.textContent()).toContain('application/pdf');
    const href = await download.getAttribute('href');
    const fetched = await page.evaluate(async (u) => {
      const r = await fetch(u!);
      return { status: r.status, disposition: r.headers.get('content-disposition'), nosniff: r.headers.get('x-content-type-options'), body: await r.text() };
    }, href);
    expect(fetched).toEqual({ status: 200, disposition: expect.stringMatching(/^attachment/), nosniff: 'nosniff', body: PDF.toString() });

    const unavailable = input.locator('.media-unavailable');
    await unavailable.waitFor();
    expect(await unavailable.textContent()).toContain('AAAAAAAAAAAAAAAAAAAAAA');
    // Text that only looks like a reference stays text.
    expect(await input.textContent()).toContain(MALFORMED);
    expect(await input.locator('img').count()).toBe(1);
    await h.screenshot('media-trace');
    expect(h.problems).toEqual([]);
  });

  it("resolves media only in its own project: another project of the same user, or no session, gets none", async () => {
    const id = /id=([^|]+)/.exec(refs.image)![1];
    expect((await fetch(`${h.url}/api/ui/projects/default/media/${id}`)).status).toBe(401);
    const seen = await h.page.evaluate(async (mediaId) => {
      const session = (await (await fetch('/api/ui/session')).json()) as { csrfToken: string; projects: { id: string }[] };
      const own = session.projects[0].id;
      const created = await fetch('/api/ui/projects', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sightline-csrf': session.csrfToken },
        body: JSON.stringify({ name: 'second' }),
      });
      const other = ((await created.json()) as { id: string }).id;
      const status = async (pid: string) => (await fetch(`/api/ui/projects/${pid}/media/${mediaId}`)).status;
      return { own: await status(own), other: await status(other), unknown: await status('no-such-project') };
    }, id);
    expect(seen).toEqual({ own: 200, other: 404, unknown: 404 });
  });
});
