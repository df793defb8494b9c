import { AppError } from '@sightline/core';
import { SESSION_SORT_FIELDS, USER_SORT_FIELDS, type Storage } from '@sightline/storage';
import type { Hono } from 'hono';
import { compress } from 'hono/compress';
import { z } from 'zod';
import { loadById } from '../query/load-by-id.js';
import { intParam, parseQuery } from '../query/parse-params.js';
import { loadPromptIds } from '../query/prompt-links.js';
import type {
  EnvironmentListResponse, ObservationDetailResponse, SessionDetailResponse, SessionListResponse, TraceDetailResponse, TraceListResponse, UserListResponse,
} from './api-types.js';
import { parseSort } from './sort-param.js';
import { cursorText, parseTraceListQuery } from './trace-params.js';
import { traceRows } from './trace-rows.js';
import { presentTree } from './tree-presenter.js';
import type { UiEnv } from './ui-env.js';

const pageSchema = z.object({
  page: intParam({ min: 1, fallback: 1 }),
  limit: intParam({ min: 1, max: 100, fallback: 50 }),
  q: z.string().max(200).optional(),
  from: z.string().regex(/^\d+$/, 'must be epoch milliseconds').transform(Number).optional(),
  to: z.string().regex(/^\d+$/, 'must be epoch milliseconds').transform(Number).optional(),
  sort: z.string().optional(),
  userId: z.string().optional(),
});

/** The reads behind the traces, trace, sessions and users pages (any member of the project, viewers included). */
export function registerDataRoutes(ui: Hono<UiEnv>, storage: Storage): void {
  const projectId = (c: { get(k: 'member'): { projectId: string } }) => c.get('member').projectId;

  ui.get('/projects/:projectId/traces', async (c) => {
    const pid = projectId(c);
    const page = await storage.traces.search(pid, parseTraceListQuery(c));
    return c.json({ data: await traceRows(storage, pid, page.rows), nextCursor: cursorText(page.nextCursor) } satisfies TraceListResponse);
  });

  ui.get('/projects/:projectId/traces/:traceId', async (c) => {
    const pid = projectId(c);
    const trace = await loadById(c.req.param('traceId'), (id) => storage.traces.get(pid, id), null);
    if (!trace) throw new AppError(404, 'not_found', `Trace ${c.req.param('traceId')} not found`);
    const [scores, totals] = await Promise.all([storage.scores.ofTraces(pid, [trace.id]), storage.traces.totals(pid, [trace.id])]);
    return c.json({ trace, scores, totals: totals.get(trace.id) } satisfies TraceDetailResponse);
  });

  // The whole tree in one compact response, gzipped: 100k observations are a few MB before compression.
  ui.get('/projects/:projectId/traces/:traceId/tree', compress(), async (c) => {
    const rows = await loadById(c.req.param('traceId'), (id) => storage.observations.tree(projectId(c), id), []);
    return c.json(presentTree(rows));
  });

  ui.get('/projects/:projectId/observations/:observationId', async (c) => {
    const pid = projectId(c);
    const observation = await loadById(c.req.param('observationId'), (id) => storage.observations.get(pid, id), null);
    if (!observation) throw new AppError(404, 'not_found', `Observation ${c.req.param('observationId')} not found`);
    const scores = observation.traceId
      ? (await storage.scores.ofTraces(pid, [observation.traceId])).filter((s) => s.observationId === observation.id)
      : [];
    const promptId = (await loadPromptIds(storage, pid, [observation]))(observation);
    return c.json({ observation, scores, promptId } satisfies ObservationDetailResponse);
  });

  ui.get('/projects/:projectId/sessions', async (c) => {
    const p = parseQuery(c, pageSchema);
    const sort = parseSort(p.sort, SESSION_SORT_FIELDS, { field: 'createdAt', direction: 'desc' });
    const { rows, totalItems, totalEstimated } = await storage.sessions.summaries(projectId(c), { page: p.page, limit: p.limit, fromTimestamp: p.from, toTimestamp: p.to, sort, userId: p.userId });
    return c.json({ data: rows, totalItems, ...(totalEstimated ? { totalEstimated } : {}), page: p.page, limit: p.limit } satisfies SessionListResponse);
  });

  ui.get('/projects/:projectId/sessions/:sessionId', async (c) => {
    const pid = projectId(c);
    const p = parseQuery(c, pageSchema);
    const session = await loadById(c.req.param('sessionId'), (id) => storage.sessions.get(pid, id), null);
    if (!session) throw new AppError(404, 'not_found', `Session ${c.req.param('sessionId')} not found`);
    const traces = await storage.traces.list(pid, {
      sessionId: session.id, page: p.page, limit: p.limit, orderBy: { field: 'timestamp', direction: 'asc' },
      withObservations: false, withScores: false, withMetrics: true,
    });
    const [scores, totals] = await Promise.all([
      storage.scores.ofTraces(pid, traces.rows.map((t) => t.id)),
      storage.sessions.totals(pid, session.id),
    ]);
    return c.json({ session, totals, traces: traces.rows, totalItems: traces.totalItems, scores, page: p.page, limit: p.limit } satisfies SessionDetailResponse);
  });

  ui.get('/projects/:projectId/users', async (c) => {
    const p = parseQuery(c, pageSchema);
    const sort = parseSort(p.sort, USER_SORT_FIELDS, { field: 'lastTrace', direction: 'desc' });
    const { rows, totalItems, totalEstimated } = await storage.users.list(projectId(c), { page: p.page, limit: p.limit, search: p.q?.trim() || undefined, sort: p.sort ? sort : undefined });
    return c.json({ data: rows, totalItems, ...(totalEstimated ? { totalEstimated } : {}), page: p.page, limit: p.limit } satisfies UserListResponse);
  });

  ui.get('/projects/:projectId/environments', async (c) => c.json({ data: await storage.traces.environments(projectId(c)) } satisfies EnvironmentListResponse));
}
