import { randomUUID } from 'node:crypto';
import { badRequest, notFound } from '@sightline/core';
import { LATEST_LABEL, type PromptSelector, type PromptVersion } from '@sightline/storage';
import type { Hono } from 'hono';
import { z } from 'zod';
import { requireFullAccess } from '../auth/authenticate.js';
import { resolvePrompt, type FetchPrompt } from '../prompts/compose.js';
import { createPromptCache } from '../prompts/prompt-cache.js';
import { presentPrompt, presentPromptSummary } from '../prompts/present-prompt.js';
import { createPromptBody, updateLabelsBody, type CreatePromptBody } from '../prompts/prompt-schema.js';
import { boolParam, datetimeParam, intParam, pageMeta, pageParams, parseQuery, parseWith, stringParam } from '../query/parse-params.js';
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

/**
 * What the references of a new version resolve to once it exists: the new version answers for
 * its own name at its number, its labels and `latest`, so a reference to itself is a cycle.
 */
function afterCreate(fetch: FetchPrompt, draft: PromptVersion): FetchPrompt {
  return async (name, which) => {
    if (name !== draft.name) return fetch(name, which);
    const isDraft = 'version' in which ? which.version === draft.version : which.label === LATEST_LABEL || draft.labels.includes(which.label);
    return isDraft ? draft : fetch(name, which);
  };
}

/** The public prompt API (Langfuse's v2 routes): create versions, read, move labels, delete, list. */
export function registerPromptRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const prompts = deps.storage.prompts;
  // getPrompt runs on every request of every client app: served from memory until a write (prompt-cache.ts).
  const cache = createPromptCache({ store: prompts });

  app.post(BASE, async (c) => {
    const raw = await readJson(c);
    const withType = raw !== null && typeof raw === 'object' && !Array.isArray(raw) && (raw as { type?: unknown }).type == null ? { ...raw, type: 'text' } : raw;
    const body: CreatePromptBody = parseWith(createPromptBody, withType);
    const auth = c.get('auth');
    requireFullAccess(auth);
    const fetch: FetchPrompt = (name, which) => prompts.get(auth.projectId, name, which);
    const newest = await prompts.get(auth.projectId, body.name, { label: LATEST_LABEL });
    const now = Date.now();
    const draft: PromptVersion = {
      id: randomUUID(),
      projectId: auth.projectId,
      name: body.name,
      version: (newest?.version ?? 0) + 1,
      type: body.type,
      prompt: body.prompt,
      config: body.config ?? {},
      labels: [...new Set(body.labels ?? [])],
      tags: body.tags ?? newest?.tags ?? [],
      commitMessage: body.commitMessage ?? null,
      createdBy: 'API',
      createdAt: now,
      updatedAt: now,
    };
    // Checked before the write: a reference to a missing prompt or a cycle is refused (serving checks again).
    await resolvePrompt(draft, afterCreate(fetch, draft));
    const created = await prompts.create({ ...draft, tags: body.tags ?? null });
    if ('existingType' in created) {
      throw badRequest(`type: prompt '${body.name}' is a ${created.existingType} prompt; a new version cannot change its type to ${body.type}`);
    }
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
    const body = await cache.serve(auth.projectId, JSON.stringify([name, which, resolve]), async (get) => {
      const prompt = await get(name, which);
      if (!prompt) throw promptNotFound(name, which);
      return presentPrompt(prompt, resolve ? await resolvePrompt(prompt, get) : undefined);
    });
    return c.json(body);
  });

  app.patch(`${BY_NAME}/versions/:version`, async (c) => {
    const name = c.req.param('name');
    const version = Number(c.req.param('version'));
    if (!/^\d+$/.test(c.req.param('version')) || version < 1 || version > MAX_VERSION) throw badRequest(`version: must be an integer between 1 and ${MAX_VERSION}`);
    const { newLabels } = parseWith(updateLabelsBody, await readJson(c));
    if (newLabels.includes(LATEST_LABEL)) throw badRequest(`newLabels: '${LATEST_LABEL}' is always on the newest version and cannot be set by hand`);
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
