import { badRequest, LEVELS } from '@sightline/core';
import { TRACE_SEARCH_SORT_FIELDS, type TraceSearchCursor, type TraceSearchQuery } from '@sightline/storage';
import type { Context } from 'hono';
import { z } from 'zod';
import { enumParam, intParam, listParam, parseQuery } from '../query/parse-params.js';
import { parseSort } from './sort-param.js';

const msParam = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (Number.isSafeInteger(n) && n >= 0) return n;
    ctx.issues.push({ code: 'custom', message: 'must be a time in epoch milliseconds', input: s });
    return z.NEVER;
  });

export const cursorText = (c: TraceSearchCursor | null): string | null => (c ? Buffer.from(JSON.stringify([c.value, c.id])).toString('base64url') : null);

function parseCursor(s: string | undefined): TraceSearchCursor | undefined {
  if (s === undefined) return undefined;
  try {
    const [value, id] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown[];
    if ((typeof value === 'string' || typeof value === 'number' || value === null) && typeof id === 'string') return { value, id };
  } catch {
    // reported below
  }
  throw badRequest('cursor: must be the nextCursor of a previous page');
}

const schema = z.object({
  from: msParam,
  to: msParam,
  name: z.string().optional(),
  userId: z.string().optional(),
  sessionId: z.string().optional(),
  level: enumParam(LEVELS),
  q: z.string().max(500, 'must be at most 500 characters').optional(),
  tags: listParam,
  environment: listParam,
  metadata: listParam,
  sort: z.string().optional(),
  cursor: z.string().optional(),
  limit: intParam({ min: 1, max: 200, fallback: 50 }),
});

/** The trace list's query string: `from`/`to` in epoch ms, repeatable `tags`, `environment` and `metadata=key=value`, `sort=field.dir`. */
export function parseTraceListQuery(c: Context): TraceSearchQuery {
  const p = parseQuery(c, schema, ['tags', 'environment', 'metadata']);
  const sort = parseSort(p.sort, TRACE_SEARCH_SORT_FIELDS, { field: 'timestamp', direction: 'desc' });
  const metadata = (p.metadata ?? []).map((m) => {
    const i = m.indexOf('=');
    if (i <= 0) throw badRequest('metadata: must be key=value');
    return { key: m.slice(0, i), value: m.slice(i + 1) };
  });
  return {
    fromTimestamp: p.from,
    toTimestamp: p.to,
    name: p.name,
    userId: p.userId,
    sessionId: p.sessionId,
    level: p.level,
    search: p.q?.trim() || undefined,
    tags: p.tags,
    environment: p.environment,
    metadata,
    sort,
    limit: p.limit,
    cursor: parseCursor(p.cursor),
  };
}
