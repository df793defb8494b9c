import { badRequest } from '@sightline/core';
import type { Context } from 'hono';
import type { z } from 'zod';
import { readJson } from '../http/read-json.js';
import { hasNul, NO_NUL, parseWith } from '../query/parse-params.js';

/** Reads a JSON body and parses it with `schema`; NUL characters (which PostgreSQL text cannot hold) are a 400 for either engine. */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const raw = await readJson(c);
  if (hasNul(raw)) throw badRequest(`body: ${NO_NUL}`);
  return parseWith(schema, raw);
}
