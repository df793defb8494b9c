import { notFound } from '@sightline/core';
import type { Hono } from 'hono';
import { requireFullAccess } from '../auth/authenticate.js';
import { encodeObservationCursor } from '../query/observation-cursor.js';
import { OBSERVATION_REPEATABLE, observationListParams, observationV2Params } from '../query/observation-params.js';
import { needsTraceContext, presentObservationV2 } from '../query/observation-v2.js';
import { loadById } from '../query/load-by-id.js';
import { markEstimatedTotal, pageMeta, parseQuery } from '../query/parse-params.js';
import { presentObservation } from '../query/presenters.js';
import { loadPromptIds, noPromptIds } from '../query/prompt-links.js';
import { loadTraceContexts } from '../query/trace-context.js';
import type { AppDeps, AppEnv } from './app-env.js';

/** GET /observations (page-based), GET /observations/{id} and GET /v2/observations (cursor-based). */
export function registerObservationReadRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { storage } = deps;

  app.get('/api/public/observations', async (c) => {
    requireFullAccess(c.get('auth'));
    const params = parseQuery(c, observationListParams, OBSERVATION_REPEATABLE);
    const { projectId } = c.get('auth');
    const page = await storage.observations.list(projectId, params);
    const { rows, totalItems } = page;
    markEstimatedTotal(c, page);
    const promptIdOf = await loadPromptIds(storage, projectId, rows);
    return c.json({ data: rows.map((o) => presentObservation(o, promptIdOf)), meta: pageMeta(params.page, params.limit, totalItems) });
  });

  app.get('/api/public/observations/:observationId', async (c) => {
    requireFullAccess(c.get('auth'));
    const id = c.req.param('observationId');
    const { projectId } = c.get('auth');
    const observation = await loadById(id, (i) => storage.observations.get(projectId, i), null);
    if (!observation) throw notFound(`Observation ${id} not found within authorized project`);
    return c.json(presentObservation(observation, await loadPromptIds(storage, projectId, [observation])));
  });

  app.get('/api/public/v2/observations', async (c) => {
    requireFullAccess(c.get('auth'));
    const { fields, expandMetadata, limit, cursor, parseIoAsJson: _, ...query } = parseQuery(c, observationV2Params, OBSERVATION_REPEATABLE);
    const { projectId } = c.get('auth');
    // An empty parentObservationId selects observations without a parent.
    if (c.req.query('parentObservationId') === '' && query.isRootObservation === undefined) query.isRootObservation = true;
    // One row beyond the page tells whether another page exists.
    const rows = await storage.observations.listAfter(projectId, { ...query, limit: limit + 1, cursor });
    const page = rows.slice(0, limit);
    const traces = needsTraceContext(fields) ? await loadTraceContexts(storage, projectId, page.map((o) => o.traceId)) : new Map();
    const promptIdOf = fields.has('prompt') ? await loadPromptIds(storage, projectId, page) : noPromptIds;
    const expand = new Set(expandMetadata);
    return c.json({
      data: page.map((o) => presentObservationV2(o, fields, o.traceId === null ? undefined : traces.get(o.traceId), expand, promptIdOf)),
      meta: rows.length > limit ? { cursor: encodeObservationCursor(page[page.length - 1]) } : {},
    });
  });
}
