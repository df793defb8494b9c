import { GRANULARITIES, type Storage } from '@sightline/storage';
import type { Hono } from 'hono';
import { z } from 'zod';
import { parseQuery } from '../query/parse-params.js';
import { dashboardOverview } from './dashboard-overview.js';
import type { UiEnv } from './ui-env.js';

const DAY = 24 * 3600 * 1000;
const BUCKETS = GRANULARITIES.filter((g) => g !== 'auto');
const schema = z.object({
  from: z.string().regex(/^\d+$/, 'must be epoch milliseconds').transform(Number).optional(),
  to: z.string().regex(/^\d+$/, 'must be epoch milliseconds').transform(Number).optional(),
  environment: z.string().optional(),
  granularity: z.enum(BUCKETS, { error: `must be one of ${BUCKETS.join(', ')}` }).default('hour'),
});

/** The built-in overview (dashboard-overview.ts) for a time range (default: the last 7 days) and environment. */
export function registerDashboardRoute(ui: Hono<UiEnv>, storage: Storage): void {
  ui.get('/projects/:projectId/dashboard', async (c) => {
    const { projectId } = c.get('member');
    const p = parseQuery(c, schema);
    const to = p.to ?? Date.now();
    const from = Math.min(p.from ?? to - 7 * DAY, to - 1);
    return c.json(await dashboardOverview(storage, projectId, { from, to, environment: p.environment ?? null, granularity: p.granularity }));
  });
}
