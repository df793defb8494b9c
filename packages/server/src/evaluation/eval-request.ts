import type { Context } from 'hono';
import type { z } from 'zod';
import { pageParams, parseQuery } from '../query/parse-params.js';
import { asInvalid } from './eval-errors.js';
import { readBody } from './read-body.js';
import { z as zod } from 'zod';

/** A body parsed for the unstable evaluators API: failures are `invalid_body` with `details.issues`. */
export async function readEvalBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  try {
    return await readBody(c, schema);
  } catch (err) {
    throw asInvalid(err, 'invalid_body');
  }
}

const pageQuery = zod.object(pageParams);

/** `page` and `limit`; failures are `invalid_query`. */
export function readEvalPage(c: Context): z.output<typeof pageQuery> {
  try {
    return parseQuery(c, pageQuery);
  } catch (err) {
    throw asInvalid(err, 'invalid_query');
  }
}
