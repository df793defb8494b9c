import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3BlobStoreOptions } from '../blobs/s3-blob-store.js';

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

/** A local S3-compatible server (s3rver) on loopback with one bucket, for tests. */
export interface LocalS3 {
  /** Options for `createS3BlobStore` (or the matching SIGHTLINE_S3_* variables). */
  options: S3BlobStoreOptions;
  env: Record<string, string>;
  /** Keys of the objects in the bucket (read from s3rver's directory). */
  objects(): string[];
  close(): Promise<void>;
}

export async function startLocalS3(bucket = 'sightline-test'): Promise<LocalS3> {
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
  const directory = mkdtempSync(join(tmpdir(), 'sightline-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const options = { bucket, endpoint, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true };
  return {
    options,
    env: {
      SIGHTLINE_S3_BUCKET: bucket,
      SIGHTLINE_S3_ENDPOINT: endpoint,
      SIGHTLINE_S3_REGION: 'us-east-1',
      SIGHTLINE_S3_ACCESS_KEY_ID: 'S3RVER',
      SIGHTLINE_S3_SECRET_ACCESS_KEY: 'S3RVER',
      SIGHTLINE_S3_FORCE_PATH_STYLE: 'true',
    },
    objects: () =>
      readdirSync(join(directory, bucket), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('._S3rver_object'))
        .map((f) => f.slice(0, -'._S3rver_object'.length)),
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
