import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { checkBlobKey, type BlobStore } from './blob-store.js';
import { spool } from './spool.js';

export interface S3BlobStoreOptions {
  bucket: string;
  /** Key prefix inside the bucket (e.g. `sightline/`), so one bucket can serve several installs. */
  prefix?: string;
  /** Custom endpoint of an S3-compatible service (MinIO, R2, …); AWS when unset. */
  endpoint?: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `bucket` in the path rather than the host name (most self-hosted services need it). */
  forcePathStyle?: boolean;
  /** Where bodies are spooled and verified before upload (default: the OS temp directory). */
  spoolDir?: string;
}

const isMissing = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
};

/**
 * Blobs in an S3-compatible bucket. A body is spooled to a local temporary file and verified
 * (hash, size) before one PutObject sends it; S3 makes an object visible only once a PUT has
 * completed, so a reader never sees a partial or unverified blob. The SHA-256 also travels as
 * `ChecksumSHA256`, which S3 checks on its side.
 */
export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const credentials = options.accessKeyId && options.secretAccessKey ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } : undefined;
  const client = new S3Client({
    endpoint: options.endpoint,
    region: options.region ?? 'us-east-1',
    credentials,
    forcePathStyle: options.forcePathStyle,
    // Only the checksums we set: S3-compatible services vary in their support of the SDK's default trailers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = options.bucket;
  const keyOf = (key: string) => `${options.prefix ?? ''}${checkBlobKey(key)}`;
  const spoolDir = options.spoolDir ?? join(tmpdir(), 'sightline-s3-spool');
  return {
    kind: 's3',
    async put(key, body, expect) {
      const spooled = await spool(spoolDir, body, expect);
      try {
        await client.send(
          new PutObjectCommand({ Bucket, Key: keyOf(key), Body: createReadStream(spooled.path), ContentLength: spooled.size, ChecksumSHA256: spooled.sha256 }),
        );
        return { size: spooled.size, sha256: spooled.sha256 };
      } finally {
        await spooled.discard();
      }
    },
    async get(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket, Key: keyOf(key) }));
        if (!(res.Body instanceof Readable)) throw new Error('S3 GetObject returned no Node stream');
        return { body: res.Body, size: Number(res.ContentLength ?? 0) };
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
    async head(key) {
      try {
        const res = await client.send(new HeadObjectCommand({ Bucket, Key: keyOf(key) }));
        return { size: Number(res.ContentLength ?? 0) };
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(key) }));
    },
    async presignGet(key, { expiresIn, contentType, attachment }) {
      const command = new GetObjectCommand({
        Bucket,
        Key: keyOf(key),
        ResponseContentType: contentType,
        ResponseContentDisposition: attachment ? 'attachment' : undefined,
      });
      return getSignedUrl(client, command, { expiresIn });
    },
  };
}
