import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '@sightline/core';
import type { Context, Hono } from 'hono';
import type { AppDeps, AppEnv } from '../http/app-env.js';
import { FORWARDING_HEADERS, isLoopback, peerAddress } from '../http/client-address.js';
import { CONTENT_TYPE } from './prometheus.js';
import { createOpsMetrics } from './ops-metrics.js';

export { isLoopback };

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Who may read /metrics: a loopback peer that is not a proxy relaying someone else (no
 * forwarding header of any kind, trusted proxy or not), or anyone presenting
 * `Authorization: Bearer <metricsToken>` when a token is configured. No tenant data is exposed, but load and error rates are nobody else's business.
 */
export function metricsAccessAllowed(c: Context, token: string | undefined, peer: string | undefined = peerAddress(c)): boolean {
  if (token) {
    const m = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
    if (m && timingSafeEqual(digest(m[1].trim()), digest(token))) return true;
  }
  const proxied = FORWARDING_HEADERS.some((h) => c.req.header(h) !== undefined);
  return isLoopback(peer) && !proxied;
}

/**
 * `GET /metrics`: Prometheus text exposition of the process's operational metrics, and the
 * middleware that counts every request. Register before every other route (and the UI's
 * catch-all) so all requests are counted and /metrics is not served as a UI page.
 */
export function registerOpsMetrics(app: Hono<AppEnv>, deps: AppDeps): void {
  const metrics = createOpsMetrics(deps);
  const token = deps.metricsToken || undefined;
  app.use('*', metrics.middleware);
  app.get('/metrics', async (c) => {
    c.header('Cache-Control', 'no-store');
    if (!metricsAccessAllowed(c, token)) throw new AppError(403, 'forbidden', '/metrics is readable from loopback or with the metrics token');
    return c.body(await metrics.render(), 200, { 'Content-Type': CONTENT_TYPE });
  });
}
