import { notFound } from '@sightline/core';
import type { Hono } from 'hono';
import { z } from 'zod';
import { requireFullAccess } from '../auth/authenticate.js';
import { collectPages } from '../query/collect-pages.js';
import { loadById } from '../query/load-by-id.js';
import { datetimeParam, listParam, markEstimatedTotal, pageMeta, pageParams, parseQuery } from '../query/parse-params.js';
import { presentSession, presentTrace } from '../query/presenters.js';
import type { AppDeps, AppEnv } from './app-env.js';

const sessionListParams = z.object({
  ...pageParams,
  fromTimestamp: datetimeParam,
  toTimestamp: datetimeParam,
  environment: listParam,
});

/** A session's traces are embedded unpaginated (as in Langfuse) up to this many. */
export const SESSION_TRACES_CAP = 10_000;
const TRACE_PAGE = 100;

/** GET /sessions and GET /sessions/{sessionId}. */
export function registerSessionReadRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { storage } = deps;

  app.get('/api/public/sessions', async (c) => {
    requireFullAccess(c.get('auth'));
    const params = parseQuery(c, sessionListParams, ['environment']);
    const page = await storage.sessions.list(c.get('auth').projectId, params);
    const { rows, totalItems } = page;
    markEstimatedTotal(c, page);
    return c.json({ data: rows.map(presentSession), meta: pageMeta(params.page, params.limit, totalItems) });
  });

  app.get('/api/public/sessions/:sessionId', async (c) => {
    requireFullAccess(c.get('auth'));
    const { projectId } = c.get('auth');
    const id = c.req.param('sessionId');
    const session = await loadById(id, (i) => storage.sessions.get(projectId, i), null);
    if (!session) throw notFound(`Session ${id} not found within authorized project`);
    const traces = await collectPages(
      (page, limit) =>
        storage.traces.list(projectId, {
          page,
          limit,
          sessionId: id,
          orderBy: { field: 'timestamp', direction: 'asc' },
          withObservations: false,
          withScores: false,
          withMetrics: false,
        }),
      TRACE_PAGE,
      SESSION_TRACES_CAP,
    );
    return c.json({ ...presentSession(session), traces: traces.map((t) => presentTrace(t)) });
  });
}
