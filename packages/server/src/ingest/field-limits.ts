/**
 * Size limits on the body fields that end up in database indexes. PostgreSQL refuses an index
 * entry above ~2.7 kB, so an over-long id would otherwise fail the whole commit (a 503 the
 * client retries forever). Checked in UTF-8 bytes, the unit the index limit is counted in.
 */
export const MAX_ID_BYTES = 1000;
export const MAX_NAME_BYTES = 2000;

/** Fields holding ids (and user ids), each at most MAX_ID_BYTES; `tags` entries too. */
const ID_FIELDS = ['id', 'traceId', 'parentObservationId', 'observationId', 'sessionId', 'datasetRunId', 'configId', 'queueId', 'userId'] as const;
/** Short descriptive fields, each at most MAX_NAME_BYTES. */
const NAME_FIELDS = ['name', 'model', 'release', 'version', 'environment', 'promptName'] as const;

const tooLong = (field: string, max: number, got: number) => `body.${field}: must be at most ${max} bytes (UTF-8); got ${got}`;

/**
 * The first field of an event that breaks a size limit, as a message naming it; null when all
 * fit. The envelope id counts as an id too: an event without a body id is stored under it.
 */
export function fieldLimitError(eventId: string, body: unknown): string | null {
  if (eventId.length * 3 > MAX_ID_BYTES && Buffer.byteLength(eventId, 'utf8') > MAX_ID_BYTES) {
    return `id: must be at most ${MAX_ID_BYTES} bytes (UTF-8); got ${Buffer.byteLength(eventId, 'utf8')}`;
  }
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  for (const [fields, max] of [[ID_FIELDS, MAX_ID_BYTES], [NAME_FIELDS, MAX_NAME_BYTES]] as const) {
    for (const field of fields) {
      const v = b[field];
      if (typeof v !== 'string' || v.length * 3 <= max) continue; // short strings cannot exceed it
      const bytes = Buffer.byteLength(v, 'utf8');
      if (bytes > max) return tooLong(field, max, bytes);
    }
  }
  if (Array.isArray(b.tags)) {
    for (const [i, tag] of b.tags.entries()) {
      if (typeof tag === 'string' && tag.length * 3 > MAX_ID_BYTES && Buffer.byteLength(tag, 'utf8') > MAX_ID_BYTES) {
        return tooLong(`tags[${i}]`, MAX_ID_BYTES, Buffer.byteLength(tag, 'utf8'));
      }
    }
  }
  return null;
}
