import { randomUUID } from 'node:crypto';
import type { Storage } from '@sightline/storage';
import type { Hono } from 'hono';
import { readBody } from '../evaluation/read-body.js';
import { createScoreConfigBody, newScoreConfig } from '../evaluation/score-config-schema.js';
import type { ScoreConfigListResponse } from './api-types.js';
import { requireRole } from './guard.js';
import type { UiEnv } from './ui-env.js';

const LIST_MAX = 100;

/** Score configs for the queue and review screens: list (viewers too) and create (members), checked as the public API checks them. */
export function registerScoreConfigUiRoutes(ui: Hono<UiEnv>, storage: Storage): void {
  ui.get('/projects/:projectId/score-configs', async (c) => {
    const { rows } = await storage.scoreConfigs.list(c.get('member').projectId, { page: 1, limit: LIST_MAX });
    return c.json({ data: rows } satisfies ScoreConfigListResponse);
  });

  ui.post('/projects/:projectId/score-configs', async (c) => {
    const { projectId } = requireRole(c, 'member');
    const body = await readBody(c, createScoreConfigBody);
    const config = newScoreConfig(projectId, randomUUID(), body, Date.now());
    await storage.scoreConfigs.create(config);
    return c.json({ config }, 201);
  });
}
