import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepSpool } from '../blobs/spool.js';
import { mediaFromEnv } from './media-config.js';
import { createUrlSigner, loadSigningKey } from './url-signer.js';

describe('media configuration', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sightline-media-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a private signing key into the data directory once, and keeps it across starts', () => {
    const first = loadSigningKey({}, dir);
    expect(statSync(join(dir, 'media-signing.key')).mode & 0o777).toBe(0o600);
    expect(Buffer.from(loadSigningKey({}, dir)).equals(Buffer.from(first))).toBe(true);
    const fixed = 'k'.repeat(32);
    expect(Buffer.from(loadSigningKey({ SIGHTLINE_MEDIA_SIGNING_KEY: fixed }, dir)).toString()).toBe(fixed);
    expect(() => loadSigningKey({ SIGHTLINE_MEDIA_SIGNING_KEY: 'short' }, dir)).toThrow('at least 32 characters');
  });

  it('a URL signed with one key does not verify with another', () => {
    const grant = { op: 'get' as const, projectId: 'p', mediaId: 'm', expires: Math.floor(Date.now() / 1000) + 60 };
    const signature = createUrlSigner(Buffer.from('a'.repeat(32))).sign(grant);
    expect(createUrlSigner(Buffer.from('a'.repeat(32))).verify(grant, signature)).toEqual({ ok: true });
    expect(createUrlSigner(Buffer.from('b'.repeat(32))).verify(grant, signature)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a public URL that is not http(s) and a size limit that is not a positive integer', () => {
    expect(() => mediaFromEnv({ SIGHTLINE_PUBLIC_URL: 'ftp://x' }, dir)).toThrow('SIGHTLINE_PUBLIC_URL');
    expect(() => mediaFromEnv({ SIGHTLINE_PUBLIC_URL: 'not a url' }, dir)).toThrow('SIGHTLINE_PUBLIC_URL');
    expect(() => mediaFromEnv({ SIGHTLINE_MEDIA_MAX_BYTES: '-1' }, dir)).toThrow('SIGHTLINE_MEDIA_MAX_BYTES');
    const media = mediaFromEnv({ SIGHTLINE_PUBLIC_URL: 'https://obs.example.com/', SIGHTLINE_MEDIA_MAX_BYTES: '1000' }, dir);
    expect(media).toMatchObject({ publicUrl: 'https://obs.example.com', maxBytes: 1000, presignedDownloads: false });
    expect(media.blobs.kind).toBe('fs');
    expect(mediaFromEnv({ SIGHTLINE_S3_BUCKET: 'b', SIGHTLINE_S3_ENDPOINT: 'http://127.0.0.1:1' }, dir).blobs.kind).toBe('s3');
  });

  it('sweeps spool files a crash left behind, not the ones of running uploads', async () => {
    writeFileSync(join(dir, 'old.part'), 'x');
    writeFileSync(join(dir, 'new.part'), 'y');
    const dayAgo = new Date(Date.now() - 25 * 3600 * 1000);
    utimesSync(join(dir, 'old.part'), dayAgo, dayAgo);
    expect(await sweepSpool(dir, 24 * 3600 * 1000)).toBe(1);
    expect(readdirSync(dir).filter((n) => n.endsWith('.part'))).toEqual(['new.part']);
    expect(await sweepSpool(join(dir, 'missing'), 1)).toBe(0);
  });
});
