import type { Hono } from 'hono';
import { requireFullAccess } from '../auth/authenticate.js';
import { DAILY_REPEATABLE, dailyMetricsParams, dailyMetricsQuery, parseMetricsQuery } from '../query/metrics-query.js';
import { pageMeta, parseQuery } from '../query/parse-params.js';
import type { AppDeps, AppEnv } from './app-env.js';

/** GET /metrics, /v2/metrics (the §8 query language) and /metrics/daily. */
export function registerMetricsRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { storage } = deps;

  for (const [path, version] of [['/api/public/metrics', 'v1'], ['/api/public/v2/metrics', 'v2']] as const) {
    app.get(path, async (c) => {
      const auth = c.get('auth');
      requireFullAccess(auth);
      const query = parseMetricsQuery(c.req.query('query'), version);
      const { data } = await storage.metrics.query(auth.projectId, query);
      return c.json({ data });
    });
  }

  app.get('/api/public/metrics/daily', async (c) => {
    const auth = c.get('auth');
    requireFullAccess(auth);
    const params = parseQuery(c, dailyMetricsParams, DAILY_REPEATABLE);
    const { rows, totalItems } = await storage.metrics.daily(auth.projectId, dailyMetricsQuery(params));
    return c.json({ data: rows, meta: pageMeta(params.page, params.limit, totalItems) });
  });
}
