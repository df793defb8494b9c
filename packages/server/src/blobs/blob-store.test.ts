import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../testing/s3rver.js';
import { BlobMismatchError, type BlobStore } from './blob-store.js';
import { createFsBlobStore } from './fs-blob-store.js';
import { createS3BlobStore } from './s3-blob-store.js';

const sha = (s: string) => createHash('sha256').update(s).digest('base64');
const bytes = (s: string) => new TextEncoder().encode(s);
async function* pieces(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const p of parts) yield bytes(p);
}

interface Subject {
  store: BlobStore;
  /** Temporary files left behind by the store (must be none after any put). */
  leftovers(): string[];
  close(): Promise<void>;
}

const subjects: Record<'fs' | 's3', () => Promise<Subject>> = {
  async fs() {
    const dir = mkdtempSync(join(tmpdir(), 'sightline-blobs-'));
    return {
      store: createFsBlobStore(dir),
      leftovers: () => readdirSync(join(dir, '.tmp')),
      async close() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  async s3() {
    const s3: LocalS3 = await startLocalS3();
    const spoolDir = mkdtempSync(join(tmpdir(), 'sightline-spool-'));
    return {
      store: createS3BlobStore({ ...s3.options, prefix: 'install-1/', spoolDir }),
      leftovers: () => readdirSync(spoolDir),
      async close() {
        await s3.close();
        rmSync(spoolDir, { recursive: true, force: true });
      },
    };
  },
};

describe.each(['fs', 's3'] as const)('blob store conformance: %s', (kind) => {
  let s: Subject;
  beforeAll(async () => {
    s = await subjects[kind]();
  });
  afterAll(async () => {
    await s.close();
  });

  it('puts, heads, gets (streamed) and deletes', async () => {
    const put = await s.store.put('media/p1/a', pieces('hello ', 'world'), { sha256: sha('hello world'), size: 11 });
    expect(put).toEqual({ size: 11, sha256: sha('hello world') });
    expect(await s.store.head('media/p1/a')).toEqual({ size: 11 });
    const got = await s.store.get('media/p1/a');
    expect(got?.size).toBe(11);
    expect(await text(got!.body)).toBe('hello world');
    await s.store.delete('media/p1/a');
    expect(await s.store.head('media/p1/a')).toBeNull();
    expect(await s.store.get('media/p1/a')).toBeNull();
    await s.store.delete('media/p1/a'); // a second delete is fine
  });

  it('refuses bytes whose hash or size differ and keeps no trace of them', async () => {
    await expect(s.store.put('media/p1/bad', bytes('evil'), { sha256: sha('good') })).rejects.toMatchObject({ field: 'sha256' });
    await expect(s.store.put('media/p1/bad', pieces('too', ' long'), { size: 3 })).rejects.toBeInstanceOf(BlobMismatchError);
    await expect(s.store.put('media/p1/bad', bytes('ab'), { size: 3 })).rejects.toMatchObject({ field: 'size' });
    expect(await s.store.head('media/p1/bad')).toBeNull();
    expect(s.leftovers()).toEqual([]);
  });

  it('a failed replacement leaves the previous blob whole', async () => {
    await s.store.put('media/p1/keep', bytes('first version'));
    async function* broken(): AsyncIterable<Uint8Array> {
      yield bytes('partial');
      throw new Error('client went away');
    }
    await expect(s.store.put('media/p1/keep', broken())).rejects.toThrow('client went away');
    expect(await text((await s.store.get('media/p1/keep'))!.body)).toBe('first version');
    expect(s.leftovers()).toEqual([]);
  });

  it('presigns download URLs where the store supports it', async () => {
    if (!s.store.presignGet) return expect(kind).toBe('fs');
    await s.store.put('media/p1/signed', bytes('<b>not html here</b>'));
    const url = await s.store.presignGet('media/p1/signed', { expiresIn: 60, contentType: 'text/html', attachment: true });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment');
    expect(await res.text()).toBe('<b>not html here</b>');
  });

  it('rejects keys that could escape the store', async () => {
    for (const key of ['../x', 'a/../../x', '/abs', 'a//b', '']) await expect(s.store.put(key, bytes('x'))).rejects.toThrow('invalid blob key');
  });
});
