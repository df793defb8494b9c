import { badRequest, setOwn } from '@sightline/core';
import type { FilterCondition } from '@sightline/storage';
import type { Context } from 'hono';
import { z } from 'zod';

/**
 * Zod building blocks for query parameters. Every parameter arrives as a string (or a list of
 * strings for repeatable ones); each helper states its rule in the message, so a failure reads
 * `page: must be an integer >= 1`.
 */

type Ctx = z.core.$RefinementCtx;

export const NO_NUL = 'must not contain NUL (\\u0000) characters';
/** True when a string anywhere in `value` holds a NUL character (PostgreSQL text cannot). */
export function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || hasNul(v));
}
const fail = (ctx: Ctx, input: unknown, message: string): never => {
  ctx.issues.push({ code: 'custom', message, input });
  return z.NEVER;
};

/** An optional integer in `[min, max]`, `fallback` when absent. */
export function intParam(opts: { min: number; max?: number; fallback: number }) {
  const { min, max = Number.MAX_SAFE_INTEGER, fallback } = opts;
  const rule = opts.max === undefined ? `an integer >= ${min}` : `an integer between ${min} and ${max}`;
  return z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined) return fallback;
      const n = Number(s);
      return /^\s*[+-]?\d+\s*$/.test(s) && n >= min && n <= max ? n : fail(ctx, s, `must be ${rule}`);
    });
}

export const stringParam = z.string().optional();

/** A finite number. */
export const numberParam = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (s === undefined) return undefined;
    const n = Number(s);
    return s.trim() !== '' && Number.isFinite(n) ? n : fail(ctx, s, 'must be a number');
  });

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** An ISO-8601 datetime as epoch ms. Without an offset the time is read as UTC, never as server-local time. */
export const datetimeParam = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (s === undefined) return undefined;
    const m = ISO.exec(s.trim());
    const text = m && s.includes(':') && !m[1] ? `${s.trim()}Z` : s.trim();
    const ms = m ? Date.parse(text.toUpperCase().replace(' ', 'T')) : NaN;
    return Number.isFinite(ms) ? ms : fail(ctx, s, 'must be an ISO-8601 datetime, e.g. 2024-05-01T12:00:00Z');
  });

/** One of `values`, compared case-insensitively and returned in the canonical spelling. */
export function enumParam<const T extends readonly string[]>(values: T) {
  return z
    .string()
    .optional()
    .transform((s, ctx): T[number] | undefined => {
      if (s === undefined) return undefined;
      const hit = values.find((v) => v.toLowerCase() === s.trim().toLowerCase());
      return hit ?? fail(ctx, s, `must be one of ${values.join(', ')}`);
    });
}

export const boolParam = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (s === undefined) return undefined;
    const v = s.trim().toLowerCase();
    return v === 'true' ? true : v === 'false' ? false : fail(ctx, s, 'must be true or false');
  });

/** A comma-separated list; blanks dropped, undefined when nothing is left. */
export const csvParam = z
  .string()
  .optional()
  .transform((s) => {
    const items = (s ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '');
    return items.length > 0 ? items : undefined;
  });

/** A repeatable parameter (`?tags=a&tags=b`); undefined when not given. */
export const listParam = z
  .array(z.string())
  .optional()
  .transform((l) => (l && l.length > 0 ? l : undefined));

const FILTER_TYPES = ['datetime', 'string', 'number', 'stringOptions', 'arrayOptions', 'stringObject', 'numberObject', 'boolean', 'null'] as const;

const filterCondition = z.object(
  {
    type: z.enum(FILTER_TYPES, { error: `must be one of ${FILTER_TYPES.join(', ')}` }),
    column: z.string({ error: 'must be a string naming the column' }),
    operator: z.string({ error: 'must be a string' }),
    value: z.unknown(),
    key: z.string({ error: 'must be a string' }).optional(),
  },
  { error: 'must be an object with type, column, operator and value' },
);

/**
 * The `filter` parameter: a JSON array of Langfuse filter conditions. Their columns and operators
 * are checked by storage, which knows each entity's columns. An empty array counts as absent.
 */
export const filterParam = z
  .string()
  .optional()
  .transform((s, ctx): unknown => {
    if (s === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(s);
    } catch {
      return fail(ctx, s, 'must be a JSON array of filter conditions ({type, column, operator, value, key?})');
    }
    return hasNul(parsed) ? fail(ctx, s, NO_NUL) : parsed;
  })
  .pipe(z.array(filterCondition, { error: 'must be a JSON array of filter conditions ({type, column, operator, value, key?})' }).optional())
  .transform((f): FilterCondition[] | undefined => (f && f.length > 0 ? f : undefined));

/** `page` and `limit` of the page-based list routes. */
export const pageParams = {
  page: intParam({ min: 1, fallback: 1 }),
  limit: intParam({ min: 1, max: 100, fallback: 50 }),
};

/**
 * The header that marks a page-based list's `meta.totalItems` as an estimate (lists counted
 * exactly only up to a bound; see docs/scaling.md). The body keeps Langfuse's shape.
 */
export const TOTAL_ESTIMATED_HEADER = 'x-total-items-estimated';

/** Sets TOTAL_ESTIMATED_HEADER when storage estimated the list's total. */
export function markEstimatedTotal(c: { header(name: string, value: string): void }, page: { totalEstimated?: boolean }): void {
  if (page.totalEstimated) c.header(TOTAL_ESTIMATED_HEADER, 'true');
}

/** `meta` of a page-based list response. */
export const pageMeta = (page: number, limit: number, totalItems: number) => ({
  page,
  limit,
  totalItems,
  totalPages: Math.ceil(totalItems / limit),
});

const formatPath = (path: readonly PropertyKey[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');

/** Parses `input` with `schema`, or throws a 400 whose message names each failing parameter and its rule. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ code: i.code, path: i.path, message: i.message }));
  const message = issues.map((i) => (i.path.length > 0 ? `${formatPath(i.path)}: ${i.message}` : i.message)).join('; ');
  throw badRequest(message, issues);
}

/**
 * Reads the request's query into `{name: value}`: the first value of each parameter, or all
 * values for the names in `repeatable`. Empty values count as absent. Unknown names are
 * dropped by the (non-strict) schema.
 */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S, repeatable: readonly string[] = []): z.output<S> {
  const input: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(c.req.queries())) {
    const present = values.filter((v) => v !== '');
    if (present.length === 0) continue;
    if (hasNul(present)) throw badRequest(`${name}: ${NO_NUL}`, [{ code: 'custom', path: [name], message: NO_NUL }]);
    setOwn(input, name, repeatable.includes(name) ? present : present[0]);
  }
  return parseWith(schema, input);
}
