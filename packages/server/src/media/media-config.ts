import { createBlobStoreFromEnv } from '../blobs/create-blob-store.js';
import { DEFAULT_MEDIA_MAX_BYTES } from './content-types.js';
import type { MediaDeps } from './media-deps.js';
import { createUrlSigner, loadSigningKey } from './url-signer.js';

function publicUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`SIGHTLINE_PUBLIC_URL: must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('SIGHTLINE_PUBLIC_URL: must start with http:// or https://');
  return value.replace(/\/+$/, '');
}

/**
 * Media settings from the environment: the blob store (see create-blob-store.ts), the URL
 * signing key, `SIGHTLINE_PUBLIC_URL`, `SIGHTLINE_MEDIA_MAX_BYTES` and
 * `SIGHTLINE_S3_PRESIGNED_DOWNLOADS` (download URLs straight from the bucket).
 */
export function mediaFromEnv(env: NodeJS.ProcessEnv, dataDir: string): MediaDeps {
  const max = env.SIGHTLINE_MEDIA_MAX_BYTES ? Number(env.SIGHTLINE_MEDIA_MAX_BYTES) : DEFAULT_MEDIA_MAX_BYTES;
  if (!Number.isSafeInteger(max) || max < 1) throw new Error(`SIGHTLINE_MEDIA_MAX_BYTES: must be a positive integer, got ${env.SIGHTLINE_MEDIA_MAX_BYTES}`);
  return {
    blobs: createBlobStoreFromEnv(env, dataDir),
    signer: createUrlSigner(loadSigningKey(env, dataDir)),
    publicUrl: publicUrl(env.SIGHTLINE_PUBLIC_URL),
    maxBytes: max,
    presignedDownloads: /^(1|true|yes)$/i.test(env.SIGHTLINE_S3_PRESIGNED_DOWNLOADS ?? ''),
  };
}
