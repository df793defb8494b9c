import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BlobMismatchError, type PutExpectations, type PutResult } from './blob-store.js';

/** A body written to a temporary file, its hash and size known and checked. */
export interface Spooled extends PutResult {
  path: string;
  discard(): Promise<void>;
}

async function* chunksOf(body: AsyncIterable<Uint8Array> | Uint8Array): AsyncIterable<Uint8Array> {
  if (body instanceof Uint8Array) yield body;
  else yield* body;
}

/**
 * Writes `body` to a new file in `dir` while hashing it, stopping as soon as it exceeds the
 * expected size, and checks hash and size at the end. On any failure the file is removed, so
 * only verified bytes ever leave this function (both stores publish from here).
 */
export async function spool(dir: string, body: AsyncIterable<Uint8Array> | Uint8Array, expect: PutExpectations = {}): Promise<Spooled> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${randomUUID()}.part`);
  const discard = () => rm(path, { force: true });
  const out = createWriteStream(path, { flags: 'wx' });
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of chunksOf(body)) {
      size += chunk.byteLength;
      if (expect.size !== undefined && size > expect.size) throw new BlobMismatchError('size', `body is longer than the expected ${expect.size} bytes`);
      hash.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((resolve, reject) => out.once('drain', resolve).once('error', reject));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (expect.size !== undefined && size !== expect.size) throw new BlobMismatchError('size', `body has ${size} bytes; expected ${expect.size}`);
    const sha256 = hash.digest('base64');
    if (expect.sha256 !== undefined && sha256 !== expect.sha256) throw new BlobMismatchError('sha256', 'SHA-256 of the body does not match the declared hash');
    return { path, size, sha256, discard };
  } catch (err) {
    out.destroy();
    await discard();
    throw err;
  }
}
