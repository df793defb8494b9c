import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
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
  // An open or write failure is reported through the awaited calls below (or the catch), never as an unhandled 'error' event.
  out.on('error', () => {});
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
    // The file is opened asynchronously: wait until the stream has opened (if it was going to)
    // and closed, or the open could create the file after it was removed.
    await closed(out);
    await discard();
    throw err;
  }
}

function closed(out: WriteStream): Promise<void> {
  if (out.closed) return Promise.resolve();
  return new Promise<void>((resolve) => {
    out.once('close', () => resolve());
    out.destroy();
  });
}

/**
 * Removes spool files older than `maxAgeMs`: what a crash in the middle of an upload left
 * behind. Younger files may belong to uploads still running (in this or another process).
 */
export async function sweepSpool(dir: string, maxAgeMs: number, now = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.part'));
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (info && now - info.mtimeMs > maxAgeMs) {
      await rm(path, { force: true });
      removed++;
    }
  }
  return removed;
}
