import { isStorableInstant, type ObservationRecord } from '@sightline/core';
import type { ObservationCursor } from '@sightline/storage';
import { z } from 'zod';
import { hasNul } from './parse-params.js';

const cursorJson = z.object({
  // Langfuse names it `lastStartTimeTo` (an ISO string); epoch ms and `lastStartTime` are accepted too.
  lastStartTimeTo: z.union([z.string(), z.number()]).optional(),
  lastStartTime: z.union([z.string(), z.number()]).optional(),
  lastTraceId: z.string().nullable(),
  lastId: z.string(),
});

const INVALID = 'must be the meta.cursor of a previous response (base64 of {lastStartTimeTo, lastTraceId, lastId})';

/** Encodes the position after `last` (rows are ordered by startTime, traceId, id, all descending). */
export function encodeObservationCursor(last: ObservationRecord): string {
  const json = { lastStartTimeTo: new Date(last.startTime).toISOString(), lastTraceId: last.traceId, lastId: last.id };
  return Buffer.from(JSON.stringify(json)).toString('base64');
}

/** The `cursor` parameter of GET /v2/observations (base64 or base64url). */
export const cursorParam = z
  .string()
  .optional()
  .transform((s, ctx): ObservationCursor | undefined => {
    if (s === undefined) return undefined;
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(s.trim(), 'base64').toString('utf8'));
    } catch {
      decoded = undefined;
    }
    const parsed = cursorJson.safeParse(decoded);
    const at = parsed.success ? (parsed.data.lastStartTimeTo ?? parsed.data.lastStartTime) : undefined;
    const ms = typeof at === 'string' ? Date.parse(at) : at;
    if (!parsed.success || ms === undefined || !isStorableInstant(ms) || hasNul(parsed.data)) {
      ctx.issues.push({ code: 'custom', input: s, message: INVALID });
      return z.NEVER;
    }
    return { lastStartTime: ms, lastTraceId: parsed.data.lastTraceId ?? '', lastId: parsed.data.lastId };
  });
