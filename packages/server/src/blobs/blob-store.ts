import type { Readable } from 'node:stream';

/** What a stored blob is: its exact size in bytes. */
export interface BlobInfo {
  size: number;
}

/** A blob's bytes, streamed; `size` lets a response set Content-Length before the first byte. */
export interface BlobRead extends BlobInfo {
  body: Readable;
}

/** What `put` checks before the blob becomes visible; a mismatch stores nothing. */
export interface PutExpectations {
  /** Base64 SHA-256 of the bytes (what the Langfuse SDKs send as `sha256Hash`). */
  sha256?: string;
  /** Exact length in bytes; more or fewer bytes fail. */
  size?: number;
}

/** What `put` stored. */
export interface PutResult extends BlobInfo {
  /** Base64 SHA-256 of the stored bytes. */
  sha256: string;
}

/** Presigned URLs, for stores whose clients can talk to them directly (S3). */
export interface PresignOptions {
  /** Seconds the URL stays valid. */
  expiresIn: number;
}

/**
 * Where Sightline keeps files (media now, exports later): the filesystem under the data
 * directory, or an S3-compatible bucket. Keys are relative paths of `[A-Za-z0-9._-]` segments.
 * `put` is atomic: a reader sees the whole blob or none, never a partial or unverified one.
 */
export interface BlobStore {
  readonly kind: 'fs' | 's3';
  put(key: string, body: AsyncIterable<Uint8Array> | Uint8Array, expect?: PutExpectations): Promise<PutResult>;
  /** The blob's bytes, or null when there is no such blob. */
  get(key: string): Promise<BlobRead | null>;
  head(key: string): Promise<BlobInfo | null>;
  /** Deletes the blob; deleting a missing blob succeeds. */
  delete(key: string): Promise<void>;
  /** A URL that serves the blob without credentials until it expires (stores that support it). */
  presignGet?(key: string, options: PresignOptions & { contentType: string; attachment: boolean }): Promise<string>;
}

/** The bytes `put` received do not match what the caller expected (hash or size); nothing was stored. */
export class BlobMismatchError extends Error {
  constructor(
    readonly field: 'sha256' | 'size',
    message: string,
  ) {
    super(message);
    this.name = 'BlobMismatchError';
  }
}

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

/** Refuses keys that could leave the store's root (`..`, absolute paths) or need escaping anywhere. */
export function checkBlobKey(key: string): string {
  const parts = key.split('/');
  if (parts.length > 8 || !parts.every((p) => SEGMENT.test(p) && p !== '..')) throw new Error(`invalid blob key: ${JSON.stringify(key)}`);
  return key;
}
