import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkBlobKey, type BlobStore } from './blob-store.js';
import { spool } from './spool.js';

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Blobs as files under `root` (by default `<data dir>/blobs`). Writes go to `root/.tmp` and are
 * renamed into place once verified: rename is atomic on one filesystem, so a reader opens the
 * old file, the whole new one, or nothing.
 */
export function createFsBlobStore(root: string): BlobStore {
  const pathOf = (key: string) => join(root, checkBlobKey(key));
  return {
    kind: 'fs',
    async put(key, body, expect) {
      const target = pathOf(key);
      const spooled = await spool(join(root, '.tmp'), body, expect);
      try {
        await mkdir(dirname(target), { recursive: true });
        await rename(spooled.path, target);
      } catch (err) {
        await spooled.discard();
        throw err;
      }
      return { size: spooled.size, sha256: spooled.sha256 };
    },
    async get(key) {
      // The size comes from the open file: a concurrent replace or delete cannot change what is read.
      try {
        const file = await open(pathOf(key), 'r');
        const { size } = await file.stat().catch(async (err: unknown) => {
          await file.close();
          throw err;
        });
        return { body: file.createReadStream(), size };
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
    async head(key) {
      try {
        return { size: (await stat(pathOf(key))).size };
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
