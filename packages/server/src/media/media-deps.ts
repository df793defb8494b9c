import type { BlobStore } from '../blobs/blob-store.js';
import type { UrlSigner } from './url-signer.js';

/** What the media routes need beyond storage; the CLI builds it from the environment. */
export interface MediaDeps {
  blobs: BlobStore;
  signer: UrlSigner;
  /**
   * `SIGHTLINE_PUBLIC_URL`: the address clients reach Sightline at, for upload and download
   * URLs. Unset: the host the request addressed (as forwarded by a trusted proxy, if any).
   */
  publicUrl?: string;
  /** Largest media file in bytes. */
  maxBytes: number;
  /** Seconds an upload URL stays valid. */
  uploadTtl?: number;
  /** Seconds a download URL stays valid. */
  downloadTtl?: number;
  /** Hand out the blob store's own presigned download URLs (S3) instead of Sightline's. */
  presignedDownloads?: boolean;
}

export const DEFAULT_UPLOAD_TTL = 15 * 60;
export const DEFAULT_DOWNLOAD_TTL = 60 * 60;
