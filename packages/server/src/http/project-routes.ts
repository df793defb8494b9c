import { notFound } from '@sightline/core';
import type { Hono } from 'hono';
import { requireFullAccess } from '../auth/authenticate.js';
import type { AppDeps, AppEnv } from './app-env.js';

/**
 * Sightline has no organisations: every project belongs to the one install. Langfuse's schema
 * requires an `organization`, so the install is named as one.
 */
const INSTALL_ORGANIZATION = { id: 'sightline', name: 'Sightline' };

/**
 * GET /api/public/projects: the key's own project as a one-item list. The v5 SDK reads
 * `data[0].id` for `getTraceUrl()` and experiments; the Python SDK's `auth_check()` calls it.
 */
export function registerProjectRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/api/public/projects', async (c) => {
    const auth = c.get('auth');
    requireFullAccess(auth);
    const project = await deps.storage.projects.get(auth.projectId);
    if (!project) throw notFound(`Project ${auth.projectId} not found`);
    return c.json({ data: [{ id: project.id, name: project.name, organization: INSTALL_ORGANIZATION, metadata: {} }] });
  });
}
