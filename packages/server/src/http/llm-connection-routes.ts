import { notFound } from '@sightline/core';
import type { Hono } from 'hono';
import { z } from 'zod';
import { requireFullAccess } from '../auth/authenticate.js';
import { readBody } from '../evaluation/read-body.js';
import { refreshRuleStatuses } from '../evaluation/rule-status.js';
import { connectionRecord } from '../llm/connection-record.js';
import { presentConnection, upsertConnectionBody } from '../llm/connection-schema.js';
import type { LlmDeps } from '../llm/llm-deps.js';
import { pageMeta, pageParams, parseQuery } from '../query/parse-params.js';
import type { AppDeps, AppEnv } from './app-env.js';

const BASE = '/api/public/llm-connections';

/**
 * LLM connections: upsert by provider name, list, delete. Secrets are encrypted before they
 * reach storage and never leave it again through the API (only `displaySecretKey`).
 */
export function registerLlmConnectionRoutes(app: Hono<AppEnv>, deps: AppDeps, llm: LlmDeps): void {
  const connections = deps.storage.llmConnections;

  app.put(BASE, async (c) => {
    const body = await readBody(c, upsertConnectionBody);
    const auth = c.get('auth');
    requireFullAccess(auth);
    const record = await connectionRecord(llm, auth.projectId, body);
    const stored = await connections.upsert(record);
    // A connection back under a deleted one's provider name resumes the rules it paused.
    await refreshRuleStatuses(deps.storage, auth.projectId);
    return c.json(presentConnection(stored));
  });

  app.get(BASE, async (c) => {
    const q = parseQuery(c, z.object(pageParams));
    const auth = c.get('auth');
    requireFullAccess(auth);
    const { rows, totalItems } = await connections.list(auth.projectId, q);
    return c.json({ data: rows.map(presentConnection), meta: pageMeta(q.page, q.limit, totalItems) });
  });

  app.delete(`${BASE}/:id`, async (c) => {
    const auth = c.get('auth');
    requireFullAccess(auth);
    const id = c.req.param('id');
    if (!(await connections.delete(auth.projectId, id))) throw notFound(`LLM connection ${id} not found within authorized project`);
    // Rules whose evaluator judged through it are paused (with the reason) rather than failing every evaluation.
    await refreshRuleStatuses(deps.storage, auth.projectId);
    return c.json({ message: 'LLM connection deleted' });
  });
}
