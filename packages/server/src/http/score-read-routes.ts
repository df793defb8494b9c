import { notFound } from '@sightline/core';
import type { Context, Hono } from 'hono';
import { requireFullAccess } from '../auth/authenticate.js';
import { loadById } from '../query/load-by-id.js';
import { markEstimatedTotal, pageMeta, parseQuery } from '../query/parse-params.js';
import { presentScore } from '../query/presenters.js';
import { presentScoreListRow, SCORE_LIST_REPEATABLE, scoreListParams, scoreQuery } from '../query/score-list.js';
import { encodeCursor, presentScoreV3, scoreV3Params, scoreV3Query } from '../query/score-v3.js';
import type { AppDeps, AppEnv } from './app-env.js';

const scoreNotFound = (id: string) => notFound(`Score ${id} not found within authorized project`);

/** GET /scores, /v2/scores (page-based lists), /v3/scores (cursor-based), GET /scores/{id}, /v2/scores/{id}, DELETE /scores/{id}. */
export function registerScoreReadRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const { storage } = deps;

  const list = (traceScoresOnly: boolean) => async (c: Context<AppEnv>) => {
    requireFullAccess(c.get('auth'));
    const params = parseQuery(c, scoreListParams, SCORE_LIST_REPEATABLE);
    const page = await storage.scores.list(c.get('auth').projectId, scoreQuery(params, { traceScoresOnly }));
    const { rows, totalItems } = page;
    markEstimatedTotal(c, page);
    return c.json({
      data: rows.map((row) => presentScoreListRow(row, params.fields.trace)),
      meta: pageMeta(params.page, params.limit, totalItems),
    });
  };

  const get = async (c: Context<AppEnv>) => {
    requireFullAccess(c.get('auth'));
    const id = c.req.param('scoreId') ?? '';
    const score = await loadById(id, (i) => storage.scores.get(c.get('auth').projectId, i), null);
    if (!score) throw scoreNotFound(id);
    return c.json(presentScore(score));
  };

  app.get('/api/public/scores', list(true));
  app.get('/api/public/v2/scores', list(false));
  app.get('/api/public/v3/scores', async (c) => {
    requireFullAccess(c.get('auth'));
    const params = parseQuery(c, scoreV3Params);
    const { rows } = await storage.scores.list(c.get('auth').projectId, scoreV3Query(params));
    const page = rows.slice(0, params.limit);
    const more = rows.length > params.limit;
    return c.json({
      data: page.map((s) => presentScoreV3(s, params.fields)),
      meta: { limit: params.limit, ...(more ? { cursor: encodeCursor(page[page.length - 1]) } : {}) },
    });
  });
  app.get('/api/public/scores/:scoreId', get);
  app.get('/api/public/v2/scores/:scoreId', get);

  app.delete('/api/public/scores/:scoreId', async (c) => {
    requireFullAccess(c.get('auth'));
    const id = c.req.param('scoreId');
    if (!(await loadById(id, (i) => storage.scores.delete(c.get('auth').projectId, i), false))) throw scoreNotFound(id);
    return c.body(null, 204);
  });
}
