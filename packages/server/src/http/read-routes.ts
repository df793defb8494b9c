import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from './app-env.js';
import { registerObservationReadRoutes } from './observation-read-routes.js';
import { registerScoreReadRoutes } from './score-read-routes.js';
import { registerSessionReadRoutes } from './session-read-routes.js';
import { registerTraceReadRoutes } from './trace-read-routes.js';

/** GET/DELETE routes of traces, observations, scores and sessions. Every one needs full (Basic) access. */
export function registerReadRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  registerTraceReadRoutes(app, deps);
  registerObservationReadRoutes(app, deps);
  registerScoreReadRoutes(app, deps);
  registerSessionReadRoutes(app, deps);
}
