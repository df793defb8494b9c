import { AppError, badRequest, notFound } from '@sightline/core';
import type { LlmConnectionRecord, Storage } from '@sightline/storage';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { readBody } from '../evaluation/read-body.js';
import { connectionRecord } from '../llm/connection-record.js';
import { upsertConnectionBody } from '../llm/connection-schema.js';
import { modelsOf } from '../llm/default-models.js';
import type { LlmDeps } from '../llm/llm-deps.js';
import type { LlmConnectionListResponse, LlmConnectionView } from './api-types.js';
import { requireRole, roleAtLeast } from './guard.js';
import type { UiEnv } from './ui-env.js';

/** A project has few connections (one per provider name); the page lists them all. */
const LIST_MAX = 200;

/** An edit may leave the secret out (or empty): the stored one is kept. The provider name is the identity and stays. */
const editBody = upsertConnectionBody.omit({ provider: true }).extend({
  provider: z.string().optional(),
  secretKey: z.string().max(10_000, 'must be at most 10000 characters').nullish(),
});

export const connectionView = (c: LlmConnectionRecord): LlmConnectionView => ({
  id: c.id,
  provider: c.provider,
  adapter: c.adapter,
  displaySecretKey: c.displaySecretKey,
  baseURL: c.baseURL,
  customModels: c.customModels,
  withDefaultModels: c.withDefaultModels,
  extraHeaderKeys: c.extraHeaderKeys,
  models: modelsOf(c),
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});

const disabled = () => new AppError(404, 'not_found', 'LLM connections are not enabled on this server');

/**
 * Settings → LLM connections: every member reads the list (masked keys, header names only);
 * admins and owners add, edit and delete, through the same checks as the public API
 * (connection-schema.ts, the SSRF guard, encryption in connection-record.ts).
 */
export function registerLlmConnectionUiRoutes(ui: Hono<UiEnv>, storage: Storage, llm: LlmDeps | undefined): void {
  const connections = storage.llmConnections;
  const BASE = '/projects/:projectId/llm-connections';
  const owned = async (c: Context<UiEnv>, projectId: string) => {
    const id = c.req.param('id') ?? '';
    const found = await connections.get(projectId, id);
    if (!found) throw notFound(`LLM connection ${id} not found`);
    return found;
  };

  ui.get(BASE, async (c) => {
    const member = c.get('member');
    const { rows } = llm ? await connections.list(member.projectId, { page: 1, limit: LIST_MAX }) : { rows: [] };
    return c.json({ data: rows.map(connectionView), canManage: roleAtLeast(member.role, 'admin'), enabled: llm !== undefined } satisfies LlmConnectionListResponse);
  });

  ui.post(BASE, async (c) => {
    const { projectId } = requireRole(c, 'admin');
    if (!llm) throw disabled();
    const body = await readBody(c, upsertConnectionBody);
    if (await connections.getByProvider(projectId, body.provider)) {
      throw new AppError(409, 'conflict', `provider: a connection named '${body.provider}' exists already; edit it instead`);
    }
    const stored = await connections.upsert(await connectionRecord(llm, projectId, body));
    return c.json({ connection: connectionView(stored) }, 201);
  });

  ui.put(`${BASE}/:id`, async (c) => {
    const { projectId } = requireRole(c, 'admin');
    if (!llm) throw disabled();
    const body = await readBody(c, editBody);
    const existing = await owned(c, projectId);
    if (body.provider !== undefined && body.provider !== existing.provider) {
      throw badRequest('provider: the name of a connection cannot change; add a new connection instead');
    }
    const record = await connectionRecord(llm, projectId, { ...body, provider: existing.provider, secretKey: body.secretKey || null }, existing);
    return c.json({ connection: connectionView(await connections.upsert(record)) });
  });

  ui.delete(`${BASE}/:id`, async (c) => {
    const { projectId } = requireRole(c, 'admin');
    const existing = await owned(c, projectId);
    await connections.delete(projectId, existing.id);
    return c.body(null, 204);
  });
}
