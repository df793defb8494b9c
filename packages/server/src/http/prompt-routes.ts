import { badRequest, notFound } from '@sightline/core';
import type { PromptSelector } from '@sightline/storage';
import type { Hono } from 'hono';
import { z } from 'zod';
import { requireFullAccess } from '../auth/authenticate.js';
import { resolvePrompt } from '../prompts/compose.js';
import { createPromptCache } from '../prompts/prompt-cache.js';
import { presentPrompt, presentPromptSummary } from '../prompts/present-prompt.js';
import { createPromptVersion, parseCreatePromptBody, parseNewLabels } from '../prompts/write-prompt.js';
import { boolParam, datetimeParam, intParam, pageMeta, pageParams, parseQuery, stringParam } from '../query/parse-params.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { readJson } from './read-json.js';

const BASE = '/api/public/v2/prompts';
/** Names may hold `/` (folders): sent URL-encoded by the SDKs, and matched raw too. */
const BY_NAME = `${BASE}/:name{.+}` as const;

/** Versions are 32-bit integers in the database. */
const MAX_VERSION = 2_147_483_647;
const versionParam = intParam({ min: 1, max: MAX_VERSION, fallback: 0 });
const selectorQuery = z.object({ version: versionParam, label: stringParam, resolve: boolParam });

/** `version` or `label` of a query (both: 400); `fallback` when neither is given. */
function selector(q: { version: number; label?: string }, fallback: PromptSelector | undefined): PromptSelector | undefined {
  if (q.version > 0 && q.label !== undefined) throw badRequest('Provide either version or label, not both');
  return q.version > 0 ? { version: q.version } : q.label !== undefined ? { label: q.label } : fallback;
}

const describeSelector = (name: string, which: PromptSelector) => ('version' in which ? `'${name}' with version ${which.version}` : `'${name}' with label '${which.label}'`);
const promptNotFound = (name: string, which?: PromptSelector) => notFound(`Prompt not found: ${which ? describeSelector(name, which) : `'${name}'`}`);

/** The public prompt API (Langfuse's v2 routes): create versions, read, move labels, delete, list. */
export function registerPromptRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const prompts = deps.storage.prompts;
  // getPrompt runs on every request of every client app: served from memory until a write (prompt-cache.ts).
  const cache = createPromptCache({ store: prompts });

  app.post(BASE, async (c) => {
    const body = parseCreatePromptBody(await readJson(c));
    const auth = c.get('auth');
    requireFullAccess(auth);
    const created = await createPromptVersion(prompts, auth.projectId, body, 'API');
    return c.json(presentPrompt(created));
  });

  app.get(BASE, async (c) => {
    const q = parseQuery(c, z.object({ name: stringParam, label: stringParam, tag: stringParam, fromUpdatedAt: datetimeParam, toUpdatedAt: datetimeParam, ...pageParams }));
    const auth = c.get('auth');
    requireFullAccess(auth);
    const { rows, totalItems } = await prompts.list(auth.projectId, q);
    return c.json({ data: rows.map(presentPromptSummary), meta: pageMeta(q.page, q.limit, totalItems) });
  });

  app.get(BY_NAME, async (c) => {
    const name = c.req.param('name');
    const q = parseQuery(c, selectorQuery);
    const which = selector(q, { label: 'production' })!;
    const auth = c.get('auth');
    requireFullAccess(auth);
    const resolve = q.resolve !== false;
    // The cache keeps the response text, so a hit costs no serialisation.
    const body = await cache.serve(auth.projectId, JSON.stringify([name, which, resolve]), async (get) => {
      const prompt = await get(name, which);
      if (!prompt) throw promptNotFound(name, which);
      return JSON.stringify(presentPrompt(prompt, resolve ? await resolvePrompt(prompt, get) : undefined));
    });
    return c.body(body, 200, { 'Content-Type': 'application/json' });
  });

  app.patch(`${BY_NAME}/versions/:version`, async (c) => {
    const name = c.req.param('name');
    const version = Number(c.req.param('version'));
    if (!/^\d+$/.test(c.req.param('version')) || version < 1 || version > MAX_VERSION) throw badRequest(`version: must be an integer between 1 and ${MAX_VERSION}`);
    const newLabels = parseNewLabels(await readJson(c));
    const auth = c.get('auth');
    requireFullAccess(auth);
    const updated = await prompts.addLabels(auth.projectId, name, version, newLabels, Date.now());
    if (!updated) throw promptNotFound(name, { version });
    return c.json(presentPrompt(updated));
  });

  app.delete(BY_NAME, async (c) => {
    const name = c.req.param('name');
    const which = selector(parseQuery(c, selectorQuery), undefined);
    const auth = c.get('auth');
    requireFullAccess(auth);
    if ((await prompts.delete(auth.projectId, name, which)) === 0) throw promptNotFound(name, which);
    return c.body(null, 204);
  });
}
