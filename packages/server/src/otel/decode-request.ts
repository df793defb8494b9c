import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import { AppError, badRequest } from '@sightline/core';
import type { Context } from 'hono';
import { decodeTraceRequest } from './otlp-proto.js';

/** Largest OTLP body accepted, before and after decompression. */
export const OTEL_BODY_LIMIT = 16 * 1024 * 1024;

const tooLarge = () =>
  new AppError(413, 'payload_too_large', `Request body is larger than the limit of ${OTEL_BODY_LIMIT / 1024 / 1024} MB (after decompression); export smaller batches`);

/** Reads the raw body, refusing more than the limit without buffering it all. */
async function readBytes(c: Context): Promise<Buffer> {
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (declared > OTEL_BODY_LIMIT) throw tooLarge();
  const body = c.req.raw.body;
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > OTEL_BODY_LIMIT) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/** Undoes `Content-Encoding: gzip` (or deflate) off the event loop, capping the decompressed size. */
async function decompress(bytes: Buffer, encoding: string): Promise<Buffer> {
  const options = { maxOutputLength: OTEL_BODY_LIMIT };
  try {
    if (encoding.includes('gzip')) return await gunzipAsync(bytes, options);
    if (encoding.includes('deflate')) return await inflateAsync(bytes, options);
    return bytes;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) throw tooLarge();
    throw badRequest('Failed to decompress request body');
  }
}

export type OtelContentType = 'json' | 'protobuf';

/** The body format from a Content-Type that contains `application/json` or `application/x-protobuf`. */
export function contentTypeOf(header: string | undefined): OtelContentType {
  const ct = (header ?? '').toLowerCase();
  if (ct.includes('application/x-protobuf')) return 'protobuf';
  if (ct.includes('application/json')) return 'json';
  throw badRequest('Invalid content type');
}

/**
 * Reads an OTLP/HTTP trace export and returns the decoded request object in the OTLP/JSON
 * shape (`{resourceSpans: [...]}`), whichever encoding and compression it came in.
 */
export async function decodeRequest(c: Context): Promise<unknown> {
  const type = contentTypeOf(c.req.header('content-type'));
  const body = await decompress(await readBytes(c), (c.req.header('content-encoding') ?? '').toLowerCase());
  if (type === 'protobuf') {
    try {
      return decodeTraceRequest(body);
    } catch {
      throw badRequest('Failed to parse OTel Protobuf Trace');
    }
  }
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw badRequest('Failed to parse OTel JSON Trace');
  }
}
