import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFsBlobStore } from '../blobs/fs-blob-store.js';
import { createS3BlobStore } from '../blobs/s3-blob-store.js';
import { parseTrustedProxies } from '../http/trusted-proxies.js';
import { startLocalS3, type LocalS3 } from '../testing/s3rver.js';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';
import type { MediaDeps } from './media-deps.js';
import { createUrlSigner } from './url-signer.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('base64');
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

describe.each<Engine>(['sqlite', 'postgres'])('media API on %s', (engine) => {
  let t: TestApp;
  let media: MediaDeps;
  let blobDir: string;
  /** Moves the signer's clock (expiry tests); URLs are issued on the real clock. */
  let skewMs = 0;
  beforeAll(async () => {
    blobDir = mkdtempSync(join(tmpdir(), 'sightline-media-test-'));
    media = {
      blobs: createFsBlobStore(blobDir),
      signer: createUrlSigner(Buffer.from('a-test-key-that-is-long-enough-123456'), () => Date.now() + skewMs),
      maxBytes: 1000,
      publicUrl: 'https://sightline.example.com/',
    };
    t = await createTestApp(engine, { media });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(blobDir, { recursive: true, force: true });
  });

  const ask = (bytes: Uint8Array, over: Record<string, unknown> = {}, auth?: string | null) =>
    t.json('POST', '/api/public/media', { auth, body: { traceId: 'trace-1', field: 'input', contentType: 'image/png', contentLength: bytes.length, sha256Hash: sha(bytes), ...over } });
  const put = (url: string, body: Uint8Array, headers: Record<string, string> = {}) =>
    Promise.resolve(t.app.request(pathOf(url), { method: 'PUT', body, headers: { 'content-type': 'image/png', ...headers } }));
  const bytes = (s: string) => new TextEncoder().encode(s);

  it('hands out an upload URL with the id the SDKs derive, stores the bytes once, and serves them back', async () => {
    const first = await ask(PNG);
    expect(first.status).toBe(200);
    const hash = sha(PNG);
    expect(first.body.mediaId).toBe(hash.replaceAll('+', '-').replaceAll('/', '_').slice(0, 22));
    expect(first.body.uploadUrl).toMatch(/^https:\/\/sightline\.example\.com\/api\/media-files\//);
    // Before the upload the record has no bytes to give.
    expect((await t.json('GET', `/api/public/media/${first.body.mediaId}`)).status).toBe(404);
    const res = await put(first.body.uploadUrl, PNG, { 'x-amz-checksum-sha256': hash });
    expect(res.status).toBe(200);
    expect((await t.json('PATCH', `/api/public/media/${first.body.mediaId}`, { body: { uploadedAt: new Date().toISOString(), uploadHttpStatus: 200, uploadHttpError: '', uploadTimeMs: 5 } })).status).toBe(204);

    const again = await ask(PNG, { traceId: 'trace-2', field: 'output', observationId: 'obs-2' });
    expect(again.body).toEqual({ mediaId: first.body.mediaId, uploadUrl: null });

    const got = await t.json('GET', `/api/public/media/${first.body.mediaId}`);
    expect(got.body).toMatchObject({ mediaId: first.body.mediaId, contentType: 'image/png', contentLength: PNG.length });
    expect(Date.parse(got.body.uploadedAt)).toBeGreaterThan(0);
    expect(Date.parse(got.body.urlExpiry)).toBeGreaterThan(Date.now());
    const download = await t.app.request(pathOf(got.body.url));
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PNG);
    const head = await t.app.request(pathOf(got.body.url), { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, String(PNG.length)]);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    // A download URL does not grant an upload, nor the other way round.
    expect((await put(got.body.url.replace('op=get', 'op=put'), PNG)).status).toBe(403);
    expect((await t.app.request(pathOf(first.body.uploadUrl))).status).toBe(403);
  });

  it('refuses bytes whose SHA-256 or length differ from what was declared, and keeps nothing', async () => {
    const good = bytes('the real content');
    const { body } = await ask(good, { contentType: 'text/plain' });
    const evil = bytes('the evil content');
    expect((await put(body.uploadUrl, evil)).status).toBe(400);
    expect((await put(body.uploadUrl, good, { 'x-amz-checksum-sha256': sha(evil) })).status).toBe(400);
    expect((await put(body.uploadUrl, bytes('the real content, longer'))).status).toBe(400);
    expect((await t.json('GET', `/api/public/media/${body.mediaId}`)).status).toBe(404);
    expect((await put(body.uploadUrl, good)).status).toBe(200);
    expect((await t.json('GET', `/api/public/media/${body.mediaId}`)).status).toBe(200);
  });

  it('rejects expired and tampered URLs', async () => {
    const content = bytes('expiring');
    const { body } = await ask(content, { contentType: 'text/plain' });
    const url = new URL(body.uploadUrl);
    const tamper = (name: string, value: string) => {
      const u = new URL(url);
      u.searchParams.set(name, value);
      return u.toString();
    };
    const signature = url.searchParams.get('signature')!;
    const flipped = `${signature.slice(0, 4)}${signature[4] === 'A' ? 'B' : 'A'}${signature.slice(5)}`;
    expect((await put(tamper('signature', flipped), content)).status).toBe(403);
    expect((await put(tamper('expires', String(Number(url.searchParams.get('expires')) + 3600)), content)).status).toBe(403);
    expect((await put(url.toString().replace(encodeURIComponent(t.a.project.id), encodeURIComponent(t.b.project.id)), content)).status).toBe(403);
    skewMs = 24 * 3600 * 1000;
    try {
      const expired = await put(url.toString(), content);
      expect(expired.status).toBe(403);
      expect(((await expired.json()) as { code: string }).code).toBe('url_expired');
    } finally {
      skewMs = 0;
    }
    expect((await put(url.toString(), content)).status).toBe(200);
  });

  it('download URLs expire too, and a changed signature, expiry or media id is refused', async () => {
    const secret = bytes('download me once');
    const other = bytes('another file');
    for (const [content, ask1] of [[secret, await ask(secret, { contentType: 'text/plain' })], [other, await ask(other, { contentType: 'text/plain' })]] as const) {
      expect((await put(ask1.body.uploadUrl, content)).status).toBe(200);
    }
    const got = await t.json('GET', `/api/public/media/${(await ask(secret, { contentType: 'text/plain' })).body.mediaId}`);
    const otherId = (await ask(other, { contentType: 'text/plain' })).body.mediaId;
    const url = new URL(got.body.url);
    const download = (u: string) => Promise.resolve(t.app.request(pathOf(u)));
    const changed = (name: string, value: string) => {
      const u = new URL(url);
      u.searchParams.set(name, value);
      return u.toString();
    };
    const signature = url.searchParams.get('signature')!;
    expect((await download(changed('signature', `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`))).status).toBe(403);
    expect((await download(changed('expires', String(Number(url.searchParams.get('expires')) + 86_400)))).status).toBe(403);
    // The same signature on another media id of the same project.
    expect((await download(url.toString().replace(got.body.mediaId, otherId))).status).toBe(403);
    skewMs = 24 * 3600 * 1000;
    try {
      const expired = await download(url.toString());
      expect(expired.status).toBe(403);
      expect(((await expired.json()) as { code: string }).code).toBe('url_expired');
    } finally {
      skewMs = 0;
    }
    const ok = await download(url.toString());
    expect([ok.status, await ok.text()]).toEqual([200, 'download me once']);
  });

  it("cannot upload to another project's media id, and GET sees only the key's project", async () => {
    const content = bytes('project b secret');
    const b = await ask(content, { contentType: 'text/plain' }, t.b.auth);
    expect((await put(b.body.uploadUrl, content)).status).toBe(200);
    // Project A asks for the same bytes: its own record (and upload), never B's.
    const a = await ask(content, { contentType: 'text/plain' });
    expect(a.body.mediaId).toBe(b.body.mediaId);
    expect(a.body.uploadUrl).not.toBeNull();
    expect((await t.json('GET', `/api/public/media/${a.body.mediaId}`)).status).toBe(404);
    expect((await t.json('PATCH', `/api/public/media/${a.body.mediaId}`, { auth: t.b.auth, body: { uploadedAt: new Date().toISOString(), uploadHttpStatus: 200 } })).status).toBe(204);
    // B's upload URL names B's project: rewriting it to A's breaks the signature.
    const forged = b.body.uploadUrl.replace(encodeURIComponent(t.b.project.id), encodeURIComponent(t.a.project.id));
    expect((await put(forged, bytes('overwrite attempt'))).status).toBe(403);
    expect((await t.json('GET', `/api/public/media/${b.body.mediaId}`, { auth: t.b.auth })).status).toBe(200);
  });

  it('answers 4xx naming the field for unsupported types, oversize files, bad hashes and missing context', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ contentType: 'application/x-msdownload' }, 'contentType'],
      [{ contentLength: 1001 }, 'contentLength'],
      [{ sha256Hash: 'abc' }, 'sha256Hash'],
      [{ traceId: undefined }, 'traceId'],
      [{ field: 'expectedOutput' }, 'field'],
      [{ datasetId: 'd', datasetItemId: 'i' }, 'traceId'],
    ];
    for (const [over, field] of cases) {
      const res = await ask(PNG, over);
      expect(res.status, JSON.stringify(over)).toBe(400);
      expect(res.body.message).toContain(field);
    }
    expect((await ask(PNG, { traceId: undefined, datasetId: 'd', datasetItemId: 'i', field: 'expectedOutput' })).status).toBe(200);
    expect((await ask(PNG, {}, `Bearer ${t.a.publicKey}`)).status).toBe(403);
    expect((await ask(PNG, {}, null)).status).toBe(401);
  });

  it('serves files that could run in a browser as attachments', async () => {
    const svg = bytes('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
    const { body } = await ask(svg, { contentType: 'image/svg+xml' });
    expect((await put(body.uploadUrl, svg)).status).toBe(200);
    const got = await t.json('GET', `/api/public/media/${body.mediaId}`);
    const res = await t.app.request(pathOf(got.body.url));
    expect(res.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('deleting a trace deletes the media only it referenced, with the blob', async () => {
    const only = bytes('only on trace-del');
    const shared = bytes('shared by two traces');
    const one = await ask(only, { traceId: 'trace-del', contentType: 'text/plain' });
    const two = await ask(shared, { traceId: 'trace-del', contentType: 'text/plain' });
    await ask(shared, { traceId: 'trace-keep', contentType: 'text/plain' });
    expect((await put(one.body.uploadUrl, only)).status).toBe(200);
    expect((await put(two.body.uploadUrl, shared)).status).toBe(200);
    const onlyUrl = (await t.json('GET', `/api/public/media/${one.body.mediaId}`)).body.url;
    const onlyBlob = (await t.storage.media.get(t.a.project.id, one.body.mediaId))!.blobKey;
    expect(await media.blobs.head(onlyBlob)).toEqual({ size: only.length });
    expect((await t.json('DELETE', '/api/public/traces/trace-del')).status).toBe(200);
    expect((await t.json('GET', `/api/public/media/${one.body.mediaId}`)).status).toBe(404);
    expect((await t.app.request(pathOf(onlyUrl))).status).toBe(404);
    expect(await media.blobs.head(onlyBlob)).toBeNull();
    expect((await t.json('GET', `/api/public/media/${two.body.mediaId}`)).status).toBe(200);
    expect((await t.json('DELETE', '/api/public/traces', { body: { traceIds: ['trace-keep'] } })).status).toBe(200);
    expect((await t.json('GET', `/api/public/media/${two.body.mediaId}`)).status).toBe(404);
  });
});

describe('media API with blobs in S3 (s3rver) and presigned downloads', () => {
  let t: TestApp;
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startLocalS3();
    const spoolDir = mkdtempSync(join(tmpdir(), 'sightline-spool-'));
    t = await createTestApp('sqlite', {
      media: { blobs: createS3BlobStore({ ...s3.options, spoolDir }), signer: createUrlSigner(Buffer.from('a-test-key-that-is-long-enough-123456')), maxBytes: 1000, presignedDownloads: true },
    });
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  it('uploads through Sightline (verified) and hands out the bucket’s own download URL', async () => {
    const content = new TextEncoder().encode('bytes kept in a bucket');
    const { body } = await t.json('POST', '/api/public/media', { body: { traceId: 't', field: 'output', contentType: 'text/plain', contentLength: content.length, sha256Hash: sha(content) } });
    const u = new URL(body.uploadUrl);
    expect((await t.app.request(`${u.pathname}${u.search}`, { method: 'PUT', body: new TextEncoder().encode('BYTES KEPT IN A BUCKET') })).status).toBe(400);
    expect((await t.app.request(`${u.pathname}${u.search}`, { method: 'PUT', body: content })).status).toBe(200);
    const got = await t.json('GET', `/api/public/media/${body.mediaId}`);
    expect(got.body.url.startsWith(s3.options.endpoint!)).toBe(true);
    const res = await fetch(got.body.url);
    expect(res.headers.get('content-disposition')).toBe('attachment');
    expect(await res.text()).toBe('bytes kept in a bucket');
  });
});

describe('media URLs without SIGHTLINE_PUBLIC_URL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { trustedProxies: parseTrustedProxies('loopback') });
  });
  afterAll(async () => t?.close());

  const uploadUrlFrom = async (peer: string, headers: Record<string, string>) => {
    const content = new TextEncoder().encode(`from ${peer}`);
    const body = { traceId: 't', field: 'input', contentType: 'text/plain', contentLength: content.length, sha256Hash: sha(content) };
    const res = await t.app.request(
      '/api/public/media',
      { method: 'POST', headers: { authorization: t.a.auth, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) },
      { incoming: { socket: { remoteAddress: peer } } },
    );
    return new URL(((await res.json()) as { uploadUrl: string }).uploadUrl).origin;
  };

  it('use the host a trusted proxy forwards, and ignore forwarded headers from anyone else', async () => {
    const forwarded = { 'x-forwarded-host': 'sightline.example.org', 'x-forwarded-proto': 'https' };
    expect(await uploadUrlFrom('127.0.0.1', forwarded)).toBe('https://sightline.example.org');
    expect(await uploadUrlFrom('10.1.2.3', forwarded)).toBe('http://localhost');
  });
});
