import { randomUUID } from 'node:crypto';
import { notFound, type ScoreConfigRecord } from '@sightline/core';
import type { Hono } from 'hono';
import { z } from 'zod';
import { requireFullAccess } from '../auth/authenticate.js';
import { readBody } from '../evaluation/read-body.js';
import { assertConsistent, categoriesFor, createScoreConfigBody, newScoreConfig, presentScoreConfig, updateScoreConfigBody } from '../evaluation/score-config-schema.js';
import { loadById } from '../query/load-by-id.js';
import { pageMeta, pageParams, parseQuery } from '../query/parse-params.js';
import type { AppDeps, AppEnv } from './app-env.js';

const BASE = '/api/public/score-configs';
const configNotFound = (id: string) => notFound(`Score config ${id} not found within authorized project`);

/** Creation times strictly increase within a process, so "newest first" is the order of creation even within one millisecond. */
let lastCreatedAt = 0;
function creationTime(): number {
  lastCreatedAt = Math.max(Date.now(), lastCreatedAt + 1);
  return lastCreatedAt;
}

/** Score configs: create, list, read, update (archive by `isArchived: true`; there is no delete). */
export function registerScoreConfigRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const configs = deps.storage.scoreConfigs;

  app.post(BASE, async (c) => {
    const body = await readBody(c, createScoreConfigBody);
    const auth = c.get('auth');
    requireFullAccess(auth);
    const config = newScoreConfig(auth.projectId, randomUUID(), body, creationTime());
    await configs.create(config);
    return c.json(presentScoreConfig(config));
  });

  app.get(BASE, async (c) => {
    const q = parseQuery(c, z.object(pageParams));
    const auth = c.get('auth');
    requireFullAccess(auth);
    const { rows, totalItems } = await configs.list(auth.projectId, q);
    return c.json({ data: rows.map(presentScoreConfig), meta: pageMeta(q.page, q.limit, totalItems) });
  });

  app.get(`${BASE}/:configId`, async (c) => {
    const auth = c.get('auth');
    requireFullAccess(auth);
    const id = c.req.param('configId');
    const config = await loadById(id, (i) => configs.get(auth.projectId, i), null);
    if (!config) throw configNotFound(id);
    return c.json(presentScoreConfig(config));
  });

  app.patch(`${BASE}/:configId`, async (c) => {
    const body = await readBody(c, updateScoreConfigBody);
    const auth = c.get('auth');
    requireFullAccess(auth);
    const id = c.req.param('configId');
    const current = await loadById(id, (i) => configs.get(auth.projectId, i), null);
    if (!current) throw configNotFound(id);
    // Absent fields keep their value; null clears the optional ones (a bound, the description).
    const updated: ScoreConfigRecord = {
      ...current,
      name: body.name ?? current.name,
      isArchived: body.isArchived ?? current.isArchived,
      minValue: body.minValue === undefined ? current.minValue : body.minValue,
      maxValue: body.maxValue === undefined ? current.maxValue : body.maxValue,
      categories: body.categories == null ? current.categories : categoriesFor(current.dataType, body.categories),
      description: body.description === undefined ? current.description : body.description,
      updatedAt: Date.now(),
    };
    assertConsistent(updated);
    if (!(await configs.replace(updated))) throw configNotFound(id);
    return c.json(presentScoreConfig(updated));
  });
}
