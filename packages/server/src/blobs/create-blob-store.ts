import { join } from 'node:path';
import type { BlobStore } from './blob-store.js';
import { createFsBlobStore } from './fs-blob-store.js';
import { createS3BlobStore } from './s3-blob-store.js';
import { sweepSpool } from './spool.js';

/** No upload takes this long: older spool files are leftovers of a crash. */
const STALE_SPOOL_MS = 24 * 3600 * 1000;

const flag = (v: string | undefined) => v !== undefined && /^(1|true|yes)$/i.test(v);

/**
 * The blob store the environment asks for: an S3-compatible bucket when `SIGHTLINE_S3_BUCKET`
 * is set (with `SIGHTLINE_S3_ENDPOINT`, `_REGION`, `_ACCESS_KEY_ID`, `_SECRET_ACCESS_KEY`,
 * `_FORCE_PATH_STYLE`, `_PREFIX`), else files under `<dataDir>/blobs` — nothing to configure.
 */
export function createBlobStoreFromEnv(env: NodeJS.ProcessEnv, dataDir: string): BlobStore {
  const bucket = env.SIGHTLINE_S3_BUCKET;
  const spoolDir = bucket ? join(dataDir, 'blobs-spool') : join(dataDir, 'blobs', '.tmp');
  // In the background: a start never waits for (or fails on) the clean-up of a past crash.
  sweepSpool(spoolDir, STALE_SPOOL_MS).catch(() => {});
  if (!bucket) return createFsBlobStore(join(dataDir, 'blobs'));
  return createS3BlobStore({
    bucket,
    prefix: env.SIGHTLINE_S3_PREFIX || undefined,
    endpoint: env.SIGHTLINE_S3_ENDPOINT || undefined,
    region: env.SIGHTLINE_S3_REGION || undefined,
    accessKeyId: env.SIGHTLINE_S3_ACCESS_KEY_ID || undefined,
    secretAccessKey: env.SIGHTLINE_S3_SECRET_ACCESS_KEY || undefined,
    forcePathStyle: flag(env.SIGHTLINE_S3_FORCE_PATH_STYLE),
    spoolDir,
  });
}
