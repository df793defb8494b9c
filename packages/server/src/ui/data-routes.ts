import { AppError } from '@sightline/core';
import type { Storage } from '@sightline/storage';
import type { Hono } from 'hono';
import { compress } from 'hono/compress';
import { z } from 'zod';
import { loadById } from '../query/load-by-id.js';
import { intParam, parseQuery } from '../query/parse-params.js';
import { cursorText, parseTraceListQuery } from './trace-params.js';
import { presentTree } from './tree-presenter.js';
import type { UiEnv } from './ui-env.js';

const pageSchema = z.object({
  page: intParam({ min: 1, fallback: 1 }),
  limit: intParam({ min: 1, max: 100, fallback: 50 }),
  q: z.string().max(200).optional(),
  from: z.string().regex(/^\d+$/, 'must be epoch milliseconds').transform(Number).optional(),
  to: z.string().regex(/^\d+$/, 'must be epoch milliseconds').transform(Number).optional(),
});

/** The reads behind the traces, trace, sessions and users pages (any member of the project, viewers included). */
export function registerDataRoutes(ui: Hono<UiEnv>, storage: Storage): void {
  const projectId = (c: { get(k: 'member'): { projectId: string } }) => c.get('member').projectId;

  ui.get('/projects/:projectId/traces', async (c) => {
    const page = await storage.ui.listTraces(projectId(c), parseTraceListQuery(c));
    return c.json({ data: page.rows, nextCursor: cursorText(page.nextCursor) });
  });

  ui.get('/projects/:projectId/traces/:traceId', async (c) => {
    const pid = projectId(c);
    const trace = await loadById(c.req.param('traceId'), (id) => storage.getTrace(pid, id), null);
    if (!trace) throw new AppError(404, 'not_found', `Trace ${c.req.param('traceId')} not found`);
    const [scores, totals] = await Promise.all([storage.listScoresOfTraces(pid, [trace.id]), storage.traceTotals(pid, [trace.id])]);
    return c.json({ trace, scores, totals: totals.get(trace.id) });
  });

  // The whole tree in one compact response, gzipped: 100k observations are a few MB before compression.
  ui.get('/projects/:projectId/traces/:traceId/tree', compress(), async (c) => {
    const rows = await loadById(c.req.param('traceId'), (id) => storage.ui.traceTree(projectId(c), id), []);
    return c.json(presentTree(rows));
  });

  ui.get('/projects/:projectId/observations/:observationId', async (c) => {
    const pid = projectId(c);
    const observation = await loadById(c.req.param('observationId'), (id) => storage.getObservation(pid, id), null);
    if (!observation) throw new AppError(404, 'not_found', `Observation ${c.req.param('observationId')} not found`);
    const scores = observation.traceId
      ? (await storage.listScoresOfTraces(pid, [observation.traceId])).filter((s) => s.observationId === observation.id)
      : [];
    return c.json({ observation, scores });
  });

  ui.get('/projects/:projectId/sessions', async (c) => {
    const p = parseQuery(c, pageSchema);
    const { rows, totalItems } = await storage.ui.listSessions(projectId(c), { page: p.page, limit: p.limit, fromTimestamp: p.from, toTimestamp: p.to });
    return c.json({ data: rows, totalItems, page: p.page, limit: p.limit });
  });

  ui.get('/projects/:projectId/sessions/:sessionId', async (c) => {
    const pid = projectId(c);
    const p = parseQuery(c, pageSchema);
    const session = await loadById(c.req.param('sessionId'), (id) => storage.getSession(pid, id), null);
    if (!session) throw new AppError(404, 'not_found', `Session ${c.req.param('sessionId')} not found`);
    const traces = await storage.listTraces(pid, {
      sessionId: session.id, page: p.page, limit: p.limit, orderBy: { field: 'timestamp', direction: 'asc' },
      withObservations: false, withScores: false, withMetrics: true,
    });
    const [scores, totals] = await Promise.all([
      storage.listScoresOfTraces(pid, traces.rows.map((t) => t.id)),
      storage.ui.sessionTotals(pid, session.id),
    ]);
    return c.json({ session, totals, traces: traces.rows, totalItems: traces.totalItems, scores, page: p.page, limit: p.limit });
  });

  ui.get('/projects/:projectId/users', async (c) => {
    const p = parseQuery(c, pageSchema);
    const { rows, totalItems } = await storage.ui.listUsers(projectId(c), { page: p.page, limit: p.limit, search: p.q?.trim() || undefined });
    return c.json({ data: rows, totalItems, page: p.page, limit: p.limit });
  });

  ui.get('/projects/:projectId/environments', async (c) => c.json({ data: await storage.ui.listEnvironments(projectId(c)) }));
}
