import type { Storage } from '@sightline/storage';
import type { Hono } from 'hono';
import { z } from 'zod';
import { promptName } from '../prompts/prompt-schema.js';
import { intParam, parseQuery } from '../query/parse-params.js';
import type { PromptGenerationsResponse, PromptMetricsResponse } from './api-types.js';
import type { UiEnv } from './ui-env.js';

const requiredName = z.string({ error: 'is required' }).pipe(promptName);

const metricsSchema = z.object({ name: requiredName });

const generationsSchema = z.object({
  name: requiredName,
  version: z
    .string({ error: 'is required' })
    .regex(/^\d+$/, 'must be a positive integer')
    .transform(Number)
    .refine((n) => n >= 1 && Number.isSafeInteger(n), 'must be a positive integer'),
  page: intParam({ min: 1, fallback: 1 }),
  limit: intParam({ min: 1, max: 100, fallback: 50 }),
});

/**
 * A prompt's use by generations, for the prompt page (any member, viewers included): per-version
 * metrics, and the generations of one version with links to their traces. Both read only the
 * project's own generations of that prompt (storage's prompt index).
 */
export function registerPromptMetricsRoute(ui: Hono<UiEnv>, storage: Storage): void {
  ui.get('/projects/:projectId/prompt-metrics', async (c) => {
    const { projectId } = c.get('member');
    const { name } = parseQuery(c, metricsSchema);
    return c.json({ name, versions: await storage.prompts.versionMetrics(projectId, name) } satisfies PromptMetricsResponse);
  });

  ui.get('/projects/:projectId/prompt-generations', async (c) => {
    const { projectId } = c.get('member');
    const { name, version, page, limit } = parseQuery(c, generationsSchema);
    const { rows, totalItems } = await storage.prompts.generations(projectId, name, version, { page, limit });
    return c.json({ data: rows, totalItems, page, limit } satisfies PromptGenerationsResponse);
  });
}
