import { AppError, badRequest } from '@sightline/core';
import type { Context } from 'hono';
import { scanBody } from './batch-texts.js';

/** Body size limits: the batch endpoint takes up to 4.5 MB like Langfuse; other JSON routes 1 MB. */
export const INGESTION_BODY_LIMIT = 4.5 * 1024 * 1024;
export const JSON_BODY_LIMIT = 1024 * 1024;
/** Deepest nesting of arrays and objects a JSON body may have; real SDK payloads stay far below it. */
export const MAX_JSON_DEPTH = 100;

const tooLarge = (limit: number) =>
  new AppError(413, 'payload_too_large', `Request body is larger than the limit of ${(limit / 1024 / 1024).toFixed(1)} MB; send smaller batches`);

/** Reads the body as UTF-8 text, refusing more than `limit` bytes without buffering them. */
export async function readText(c: Context, limit: number): Promise<string> {
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (declared > limit) throw tooLarge(limit);
  const body = c.req.raw.body;
  if (!body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Whether JSON text nests arrays/objects deeper than `max`, found by scanning the text before it
 * is parsed: deeply nested input would otherwise overflow the stack in JSON.parse, in
 * JSON.stringify or in any recursive walk of the value after it.
 */
export function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > max) return true;
    } else if (ch === 0x7d || ch === 0x5d) {
      depth--;
    }
  }
  return false;
}

const tooDeep = () => badRequest(`Request body nests arrays/objects deeper than ${MAX_JSON_DEPTH} levels; flatten it`);

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`Request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** Reads and parses a JSON body; malformed or too deeply nested JSON is a 400 that says so. */
export async function readJson(c: Context, limit = JSON_BODY_LIMIT): Promise<unknown> {
  const text = await readText(c, limit);
  if (text.trim() === '') throw badRequest('Request body must be JSON; it was empty');
  if (nestedDeeperThan(text, MAX_JSON_DEPTH)) throw tooDeep();
  return parse(text);
}

/**
 * readJson for a body with a top-level `batch` array, with each element's text as sent (one scan
 * also checks the depth): `texts[i]` parses to `batch[i]`. `texts` is null when the scan's
 * elements do not line up with the parsed batch (no `batch` array).
 */
export async function readBatchJson(c: Context, limit: number): Promise<{ body: unknown; texts: string[] | null }> {
  const text = await readText(c, limit);
  if (text.trim() === '') throw badRequest('Request body must be JSON; it was empty');
  // The scan needs no valid JSON: a too-deep body is refused before it is parsed.
  const scan = scanBody(text, MAX_JSON_DEPTH);
  if (scan.depth > MAX_JSON_DEPTH) throw tooDeep();
  const body = parse(text);
  const batch = (body as { batch?: unknown } | null)?.batch;
  const texts = Array.isArray(batch) && scan.batch !== null && scan.batch.length === batch.length ? scan.batch : null;
  return { body, texts };
}
