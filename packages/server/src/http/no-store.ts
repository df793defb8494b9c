import type { MiddlewareHandler } from 'hono';

/**
 * API answers carry project data and are per credential: no cache (browser or proxy) may keep
 * them. Routes that set their own Cache-Control keep it.
 */
export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  if (!c.res.headers.has('cache-control')) c.res.headers.set('Cache-Control', 'no-store');
};
