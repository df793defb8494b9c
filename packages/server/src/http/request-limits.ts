import { AppError, badRequest } from '@sightline/core';
import type { MiddlewareHandler } from 'hono';
import { MAX_JSON_DEPTH, nestedDeeperThan } from './read-json.js';

/** Longest query string accepted, in characters; a longer one is a 414. */
export const MAX_QUERY_LENGTH = 32 * 1024;
/** Most values one repeated query parameter (`tags`, `environment`, `scoreIds`, …) may carry. */
export const MAX_PARAM_VALUES = 100;
/** Most conditions a `filter` parameter may hold. */
export const MAX_FILTER_CONDITIONS = 100;

/**
 * Bounds on query strings, checked before a route parses them: thousands of tags or filter
 * conditions otherwise become SQL too deep for SQLite's parser or slow enough on PostgreSQL
 * to hold a connection for the statement timeout.
 */
export const requestLimits: MiddlewareHandler = async (c, next) => {
  const url = c.req.url;
  const q = url.indexOf('?');
  if (q >= 0) {
    if (url.length - q - 1 > MAX_QUERY_LENGTH) {
      throw new AppError(414, 'uri_too_long', `The query string is longer than ${MAX_QUERY_LENGTH} characters; use fewer or shorter parameters`);
    }
    for (const [name, values] of Object.entries(c.req.queries())) {
      if (values.length > MAX_PARAM_VALUES) throw badRequest(`${name}: at most ${MAX_PARAM_VALUES} values; got ${values.length}`);
      // JSON-valued parameters (`filter`, the metrics `query`) get the same depth limit as bodies.
      if (values.some((v) => nestedDeeperThan(v, MAX_JSON_DEPTH))) throw badRequest(`${name}: nests arrays/objects deeper than ${MAX_JSON_DEPTH} levels`);
    }
    const filter = c.req.query('filter');
    if (filter) {
      let conditions: unknown;
      try {
        conditions = JSON.parse(filter);
      } catch {
        // not JSON: the route's own parser says so
      }
      if (Array.isArray(conditions) && conditions.length > MAX_FILTER_CONDITIONS) {
        throw badRequest(`filter: at most ${MAX_FILTER_CONDITIONS} conditions; got ${conditions.length}`);
      }
    }
  }
  return next();
};
