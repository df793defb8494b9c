/** One stored file of a project, named by its content hash (what the Langfuse SDKs call a media record). */
export interface MediaRecord {
  projectId: string;
  /** The first 22 characters of the URL-safe base64 SHA-256 of the bytes (what the v5 SDK computes too). */
  id: string;
  /** Base64 SHA-256 of the bytes, as the client declared it. */
  sha256: string;
  contentType: string;
  contentLength: number;
  /** Where the bytes live in the blob store; a new record gets a new key, so a late delete of an old record never removes a new upload. */
  blobKey: string;
  /** When verified bytes were stored (epoch ms); null until then. */
  uploadedAt: number | null;
  /** What the client reported about its upload (PATCH), kept for diagnosis. */
  uploadHttpStatus: number | null;
  uploadHttpError: string | null;
  uploadTimeMs: number | null;
  createdAt: number;
}

/** What references a media record: a field of a trace (or one of its observations), or of a dataset item. */
export type MediaOwner =
  | { kind: 'trace'; traceId: string; observationId: string | null; field: string }
  | { kind: 'dataset_item'; datasetId: string; datasetItemId: string; field: string };

export type NewMedia = Pick<MediaRecord, 'projectId' | 'id' | 'sha256' | 'contentType' | 'contentLength' | 'blobKey' | 'createdAt'>;

/** What a client reported after uploading (PATCH /media/{id}). */
export interface MediaUploadReport {
  uploadHttpStatus: number;
  uploadHttpError: string | null;
  uploadTimeMs: number | null;
}

/** The answer of `register`: the record as it now stands, or the stored record whose bytes differ under the same id. */
export type MediaRegistration = { record: MediaRecord; conflict: false } | { record: MediaRecord; conflict: true };
