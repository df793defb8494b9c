import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../http/app-env.js';
import { serveStaticApp } from './static-files.js';

/** The web UI: its JSON API under /api/ui and the built single-page app at `/`. */
export function registerUi(app: Hono<AppEnv>, _deps: AppDeps): void {
  app.use('*', serveStaticApp());
}
