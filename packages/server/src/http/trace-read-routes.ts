import { notFound } from '@sightline/core';
import type { Hono } from 'hono';
import { z } from 'zod';
import { requireFullAccess } from '../auth/authenticate.js';
import { deleteTraceMedia } from '../media/delete-trace-media.js';
import { loadById } from '../query/load-by-id.js';
import { hasNul, NO_NUL, pageMeta, parseQuery, parseWith, TOTAL_ESTIMATED_HEADER } from '../query/parse-params.js';
import { loadPromptIds } from '../query/prompt-links.js';
import { presentTraceDetail } from '../query/trace-detail.js';
import { traceFieldsParam } from '../query/trace-fields.js';
import { presentTraceListRow, TRACE_LIST_REPEATABLE, traceListParams, traceQuery } from '../query/trace-list.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { readJson } from './read-json.js';

const traceGetParams = z.object({ fields: traceFieldsParam });

const deleteTracesBody = z.object(
  {
    traceIds: z
      .array(
        z
          .string({ error: 'must contain only strings' })
          .min(1, { error: 'must not contain empty ids' })
          .refine((id) => !hasNul(id), { error: NO_NUL }),
        { error: 'required: an array of trace ids' },
      )
      .min(1, { error: 'must contain at least 1 trace id' })
      .max(1000, { error: 'must contain at most 1000 trace ids' }),
  },
  { error: 'Request body must be a JSON object with traceIds' },
);

/** GET /traces, GET and DELETE /traces/{traceId}, DELETE /traces. */
export function registerTraceReadRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { storage } = deps;

  app.get('/api/public/traces', async (c) => {
    requireFullAccess(c.get('auth'));
    const params = parseQuery(c, traceListParams, TRACE_LIST_REPEATABLE);
    const { projectId } = c.get('auth');
    const { rows, totalItems, totalEstimated } = await storage.traces.list(projectId, traceQuery(params));
    // Past 10,000 matches meta.totalItems is an estimate (docs/compatibility.md §7); the header says so.
    if (totalEstimated) c.header(TOTAL_ESTIMATED_HEADER, 'true');
    return c.json({
      data: rows.map((row) => presentTraceListRow(row, params.fields)),
      meta: pageMeta(params.page, params.limit, totalItems),
    });
  });

  app.get('/api/public/traces/:traceId', async (c) => {
    requireFullAccess(c.get('auth'));
    const { fields } = parseQuery(c, traceGetParams);
    const { projectId } = c.get('auth');
    const id = c.req.param('traceId');
    const trace = await loadById(id, (i) => storage.traces.get(projectId, i), null);
    if (!trace) throw notFound(`Trace ${id} not found within authorized project`);
    const [observations, scores, totals] = await Promise.all([
      fields.observations ? storage.observations.ofTraces(projectId, [id]) : [],
      fields.scores ? storage.scores.ofTraces(projectId, [id]) : [],
      fields.metrics ? storage.traces.totals(projectId, [id]) : undefined,
    ]);
    const promptIdOf = await loadPromptIds(storage, projectId, observations);
    return c.json(presentTraceDetail(trace, observations, scores, totals?.get(id), fields, promptIdOf));
  });

  // Deleting an unknown trace succeeds too: Langfuse deletes asynchronously and never checks.
  app.delete('/api/public/traces/:traceId', async (c) => {
    requireFullAccess(c.get('auth'));
    const { projectId } = c.get('auth');
    await loadById(c.req.param('traceId'), async (id) => {
      await storage.traces.delete(projectId, [id]);
      await deleteTraceMedia(deps, projectId, [id]);
    }, undefined);
    return c.json({ message: 'Trace deleted successfully' });
  });

  app.delete('/api/public/traces', async (c) => {
    requireFullAccess(c.get('auth'));
    const { traceIds } = parseWith(deleteTracesBody, await readJson(c));
    const { projectId } = c.get('auth');
    const ids = [...new Set(traceIds)];
    await storage.traces.delete(projectId, ids);
    // Media after the traces: if this fails, the client's retry of the delete removes what is left.
    await deleteTraceMedia(deps, projectId, ids);
    return c.json({ message: 'Traces deleted successfully' });
  });
}
