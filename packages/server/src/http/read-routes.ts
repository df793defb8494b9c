import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from './app-env.js';

/** GET/DELETE routes of traces, observations, scores and sessions. (Being written.) */
export function registerReadRoutes(_app: Hono<AppEnv>, _deps: AppDeps): void {}
