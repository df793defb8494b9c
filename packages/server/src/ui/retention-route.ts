import { getOwn } from '@sightline/core';
import type { Storage } from '@sightline/storage';
import type { Hono } from 'hono';
import { parseRetentionDays } from '../retention/retention-days.js';
import { readObject } from './account-routes.js';
import type { RetentionResponse } from './api-types.js';
import { requireRole } from './guard.js';
import type { UiEnv } from './ui-env.js';

/** The project's retention period: every member reads it, owners and admins set it. */
export function registerRetentionRoute(ui: Hono<UiEnv>, storage: Storage): void {
  ui.get('/projects/:projectId/retention', async (c) => {
    const days = await storage.retention.get(c.get('member').projectId);
    return c.json({ retentionDays: days ?? null } satisfies RetentionResponse);
  });

  ui.post('/projects/:projectId/retention', async (c) => {
    const me = requireRole(c, 'admin');
    const body = await readObject(c);
    const days = parseRetentionDays(getOwn(body, 'retentionDays'));
    await storage.retention.set(me.projectId, days);
    return c.json({ retentionDays: days } satisfies RetentionResponse);
  });
}
