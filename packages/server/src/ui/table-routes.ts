import { AppError, badRequest, LEVELS, OBSERVATION_TYPES } from '@sightline/core';
import { OBSERVATION_TABLE_SORT_FIELDS, type Storage } from '@sightline/storage';
import type { Hono } from 'hono';
import { z } from 'zod';
import { intParam, listParam, numberParam, parseQuery } from '../query/parse-params.js';
import { loadPromptIds } from '../query/prompt-links.js';
import type { ObservationTableResponse, TraceCountResponse, UserDetailResponse } from './api-types.js';
import { parseSort } from './sort-param.js';
import { parseTraceListQuery } from './trace-params.js';
import type { UiEnv } from './ui-env.js';

const DAY = 86_400_000;
const ms = z.string().regex(/^\d+$/, 'must be epoch milliseconds').transform(Number).optional();

const oneOf = <T extends string>(values: readonly T[], name: string) => (list: string[] | undefined): T[] | undefined => {
  for (const v of list ?? []) if (!(values as readonly string[]).includes(v)) throw badRequest(`${name}: ${JSON.stringify(v)} is not one of ${values.join(', ')}`);
  return list as T[] | undefined;
};

const tableSchema = z.object({
  page: intParam({ min: 1, fallback: 1 }),
  limit: intParam({ min: 1, max: 100, fallback: 50 }),
  type: listParam,
  model: listParam,
  level: listParam,
  environment: listParam,
  name: z.string().max(200).optional(),
  prompt: z.string().optional(),
  traceId: z.string().optional(),
  from: ms,
  to: ms,
  minLatency: numberParam,
  minTtft: numberParam,
  minTokens: numberParam,
  minCost: numberParam,
  score: z.string().optional(),
  minScore: numberParam,
  sort: z.string().optional(),
});

/** Chips an observations table row shows at most. */
const CHIPS = 10;

/** The trace count, the cross-trace observations table and a user's page (any member of the project). */
export function registerTableRoutes(ui: Hono<UiEnv>, storage: Storage): void {
  const projectId = (c: { get(k: 'member'): { projectId: string } }) => c.get('member').projectId;

  // Apart from the list, so the first page shows without waiting for the count.
  ui.get('/projects/:projectId/trace-count', async (c) => {
    return c.json((await storage.traces.count(projectId(c), parseTraceListQuery(c))) satisfies TraceCountResponse);
  });

  ui.get('/projects/:projectId/observations', async (c) => {
    const pid = projectId(c);
    const p = parseQuery(c, tableSchema, ['type', 'model', 'level', 'environment']);
    if (p.minScore !== undefined && !p.score) throw badRequest('minScore: needs score (the score name)');
    const page = await storage.observations.table(pid, {
      page: p.page,
      limit: p.limit,
      types: oneOf(OBSERVATION_TYPES, 'type')(p.type),
      models: p.model,
      levels: oneOf(LEVELS, 'level')(p.level),
      environment: p.environment,
      name: p.name?.trim() || undefined,
      promptName: p.prompt || undefined,
      traceId: p.traceId || undefined,
      fromStartTime: p.from,
      toStartTime: p.to,
      minLatencyMs: p.minLatency,
      minTimeToFirstTokenMs: p.minTtft,
      minTokens: p.minTokens,
      minCost: p.minCost,
      score: p.score ? { name: p.score, min: p.minScore } : undefined,
      sort: parseSort(p.sort, OBSERVATION_TABLE_SORT_FIELDS, { field: 'startTime', direction: 'desc' }),
    });
    const traceIds = [...new Set(page.rows.flatMap((r) => (r.traceId ? [r.traceId] : [])))];
    const [promptIdOf, briefs] = await Promise.all([
      loadPromptIds(storage, pid, page.rows),
      storage.scores.briefsOfTraces(pid, traceIds, 500),
    ]);
    const data = page.rows.map((r) => ({
      ...r,
      promptId: promptIdOf(r),
      scores: (briefs.get(r.traceId ?? '') ?? []).filter((s) => s.observationId === r.id).slice(0, CHIPS),
    }));
    return c.json({ data, page: p.page, limit: p.limit, hasMore: page.hasMore } satisfies ObservationTableResponse);
  });

  ui.get('/projects/:projectId/users/:userId', async (c) => {
    const pid = projectId(c);
    const p = parseQuery(c, z.object({ from: ms, to: ms }));
    const user = await storage.users.get(pid, c.req.param('userId'));
    if (!user) throw new AppError(404, 'not_found', `User ${c.req.param('userId')} not found`);
    const to = p.to ?? Math.floor(Date.now() / DAY) * DAY + DAY;
    const from = p.from ?? to - 30 * DAY;
    if (from >= to) throw badRequest('from: must be before to');
    const activity = await storage.users.activity(pid, user.userId, from, to);
    return c.json({ user, activity, from, to } satisfies UserDetailResponse);
  });
}
