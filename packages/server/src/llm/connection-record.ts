import { randomUUID } from 'node:crypto';
import { badRequest } from '@sightline/core';
import type { LlmConnectionRecord } from '@sightline/storage';
import { configProblem, type UpsertConnectionBody } from './connection-schema.js';
import type { LlmDeps } from './llm-deps.js';
import { maskSecret } from './secret-box.js';

/** A body whose secret may be left out (an edit from the UI keeps the stored secret then). */
export type ConnectionInput = Omit<UpsertConnectionBody, 'secretKey'> & { secretKey?: string | null };

/**
 * The record to store for a validated connection body, shared by the public API and the UI: the
 * adapter's config rules, the SSRF guard on baseURL, the secrets encrypted for the project.
 * With `existing`, a missing secret keeps the stored one, and missing extra headers keep theirs.
 */
export async function connectionRecord(llm: LlmDeps, projectId: string, body: ConnectionInput, existing?: LlmConnectionRecord): Promise<LlmConnectionRecord> {
  const problem = configProblem(body.adapter, body.config);
  if (problem) throw badRequest(problem);
  if (body.baseURL) await llm.guard.resolve(new URL(body.baseURL), 'baseURL');
  const now = Date.now();
  const secret = body.secretKey ? { secretKey: llm.box.encrypt(body.secretKey, projectId), displaySecretKey: maskSecret(body.secretKey) } : null;
  if (!secret && !existing) throw badRequest('secretKey: must not be empty');
  const headers = body.extraHeaders ?? (existing ? null : {});
  const headerKeys = headers ? Object.keys(headers) : null;
  return {
    projectId,
    id: existing?.id ?? randomUUID(),
    provider: body.provider,
    adapter: body.adapter,
    secretKey: secret?.secretKey ?? existing!.secretKey,
    displaySecretKey: secret?.displaySecretKey ?? existing!.displaySecretKey,
    baseURL: body.baseURL ?? null,
    customModels: body.customModels ?? [],
    withDefaultModels: body.withDefaultModels ?? true,
    extraHeaders: headerKeys === null ? existing!.extraHeaders : headerKeys.length === 0 ? null : llm.box.encrypt(JSON.stringify(headers), projectId),
    extraHeaderKeys: headerKeys ?? existing!.extraHeaderKeys,
    config: body.config ?? null,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
}
