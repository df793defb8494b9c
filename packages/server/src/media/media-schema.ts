import { z } from 'zod';
import { MEDIA_CONTENT_TYPES } from './content-types.js';

const optionalId = z.string().min(1, { error: 'must not be empty' }).max(512, { error: 'must be at most 512 characters' }).nullish();
/** Base64 of 32 bytes, as the SDKs send `sha256Hash`. */
const SHA256_BASE64 = /^[A-Za-z0-9+/]{43}=$/;
const TRACE_FIELDS = ['input', 'output', 'metadata'];
const DATASET_FIELDS = ['input', 'expectedOutput', 'metadata'];

/** `POST /api/public/media`: exactly one context (a trace, or a dataset item) and the file's declared facts. */
export const uploadUrlBody = (maxBytes: number) =>
  z
    .object(
      {
        traceId: optionalId,
        observationId: optionalId,
        datasetId: optionalId,
        datasetItemId: optionalId,
        field: z.string({ error: 'required: the field the media is in' }),
        contentType: z.string({ error: 'required' }).refine((t) => MEDIA_CONTENT_TYPES.has(t), {
          error: 'is not a supported media type (images, audio, video, PDF, text, JSON, CSV, office documents, archives; see docs/compatibility.md)',
        }),
        contentLength: z
          .number({ error: 'required: the size in bytes' })
          .int({ error: 'must be an integer' })
          .min(1, { error: 'must be at least 1 byte' })
          .max(maxBytes, { error: `must be at most ${maxBytes} bytes (the server's media size limit)` }),
        sha256Hash: z.string({ error: 'required' }).regex(SHA256_BASE64, { error: 'must be the base64 SHA-256 of the content (44 characters)' }),
      },
      { error: 'Request body must be a JSON object' },
    )
    .superRefine((b, ctx) => {
      const onDataset = b.datasetId != null || b.datasetItemId != null;
      if (b.traceId != null && onDataset) ctx.addIssue({ code: 'custom', path: ['traceId'], message: 'give either traceId or datasetId and datasetItemId, not both' });
      else if (b.traceId == null && !onDataset) ctx.addIssue({ code: 'custom', path: ['traceId'], message: 'required (or datasetId and datasetItemId)' });
      else if (onDataset && (b.datasetId == null || b.datasetItemId == null)) ctx.addIssue({ code: 'custom', path: [b.datasetId == null ? 'datasetId' : 'datasetItemId'], message: 'required with the other dataset id' });
      else if (onDataset && b.observationId != null) ctx.addIssue({ code: 'custom', path: ['observationId'], message: 'only with traceId' });
      const fields = onDataset ? DATASET_FIELDS : TRACE_FIELDS;
      if (!fields.includes(b.field)) ctx.addIssue({ code: 'custom', path: ['field'], message: `must be one of ${fields.join(', ')}` });
    });

/** `PATCH /api/public/media/{id}`: what the client saw of its upload. */
export const patchMediaBody = z.object(
  {
    uploadedAt: z.iso.datetime({ offset: true, error: 'required: an ISO 8601 date-time' }),
    uploadHttpStatus: z.number({ error: 'required: an HTTP status' }).int().min(100).max(599),
    uploadHttpError: z.string().nullish(),
    uploadTimeMs: z.number().int().min(0).nullish(),
  },
  { error: 'Request body must be a JSON object' },
);
