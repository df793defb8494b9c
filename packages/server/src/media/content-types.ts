/**
 * The content types media may have: Langfuse's list (`MediaContentType` in its API), so every
 * upload an SDK attempts against Langfuse is accepted here too.
 */
export const MEDIA_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'image/png', 'image/jpeg', 'image/jpg', 'image/webp', 'image/gif', 'image/svg+xml', 'image/tiff', 'image/bmp', 'image/avif', 'image/heic',
  'audio/mpeg', 'audio/mp3', 'audio/wav', 'audio/ogg', 'audio/oga', 'audio/aac', 'audio/mp4', 'audio/flac', 'audio/opus', 'audio/webm',
  'video/mp4', 'video/webm', 'video/ogg', 'video/mpeg', 'video/quicktime', 'video/x-msvideo', 'video/x-matroska',
  'text/plain', 'text/html', 'text/css', 'text/csv', 'text/markdown', 'text/x-python', 'application/javascript', 'text/x-typescript',
  'application/x-yaml', 'application/pdf', 'application/msword', 'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/zip', 'application/json', 'application/xml',
  'application/octet-stream', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation', 'application/rtf', 'application/x-ndjson',
  'application/vnd.apache.parquet', 'application/gzip',
]);

/** Default largest media file, in bytes (SIGHTLINE_MEDIA_MAX_BYTES changes it). */
export const DEFAULT_MEDIA_MAX_BYTES = 50 * 1024 * 1024;

/**
 * Whether a type may be shown inline from Sightline's origin: raster images, audio and video,
 * which a browser never runs as a document. Everything else (HTML, SVG, PDF, text, …) is served
 * as an attachment, so a stored file can never run script in Sightline's pages.
 */
export function servedInline(contentType: string): boolean {
  if (contentType === 'image/svg+xml') return false;
  return /^(image|audio|video)\//.test(contentType);
}

/** The media id the SDKs expect for a hash: the first 22 characters of its URL-safe base64 form. */
export const mediaIdOf = (sha256Base64: string): string => sha256Base64.replaceAll('+', '-').replaceAll('/', '_').slice(0, 22);
