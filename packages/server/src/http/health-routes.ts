import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from './app-env.js';

/** Unauthenticated liveness and readiness. */
export function registerHealthRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const dbUp = async () => {
    try {
      await deps.storage.ping();
      return true;
    } catch {
      return false;
    }
  };
  app.get('/api/public/health', async (c) => {
    if (c.req.query('failIfDatabaseUnavailable') === 'true' && !(await dbUp())) {
      return c.json({ status: 'Database not available', version: deps.version }, 503);
    }
    return c.json({ status: 'OK', version: deps.version });
  });
  app.get('/api/public/ready', async (c) =>
    (await dbUp()) ? c.json({ status: 'OK', version: deps.version }) : c.json({ status: 'Database not available', version: deps.version }, 503),
  );
}
