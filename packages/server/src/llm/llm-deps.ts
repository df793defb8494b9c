import { notFound } from '@sightline/core';
import type { LlmConnectionRecord, Storage } from '@sightline/storage';
import { createAnthropicAdapter } from './anthropic-adapter.js';
import type { ChatAdapter } from './chat-adapter.js';
import { createOpenAiAdapter } from './openai-adapter.js';
import { createPinnedFetch, type HttpFetch } from './pinned-fetch.js';
import type { SecretBox } from './secret-box.js';
import type { UrlGuard } from './ssrf-guard.js';

/** What LLM connections need: the secret box (encryption at rest) and the SSRF guard. */
export interface LlmDeps {
  box: SecretBox;
  guard: UrlGuard;
  /** Defaults to a fetch pinned to the address the guard checked. */
  fetch?: HttpFetch;
}

/** A stored connection's adapter, its secrets decrypted for this call only (never kept or logged). */
export function adapterFor(deps: LlmDeps, c: LlmConnectionRecord): ChatAdapter {
  const secretKey = deps.box.decrypt(c.secretKey, c.projectId);
  const extraHeaders = c.extraHeaders === null ? {} : (JSON.parse(deps.box.decrypt(c.extraHeaders, c.projectId)) as Record<string, string>);
  const fetch = deps.fetch ?? createPinnedFetch(deps.guard);
  const common = { provider: c.provider, secretKey, baseURL: c.baseURL, extraHeaders, fetch };
  return c.adapter === 'anthropic' ? createAnthropicAdapter(common) : createOpenAiAdapter({ ...common, adapter: c.adapter === 'azure' ? 'azure' : 'openai' });
}

/** The project's connection of `provider` as an adapter; 404 when the project has none. */
export async function openConnection(storage: Storage, deps: LlmDeps, projectId: string, provider: string): Promise<ChatAdapter> {
  const c = await storage.llmConnections.getByProvider(projectId, provider);
  if (!c) throw notFound(`LLM connection for provider ${provider} not found within authorized project`);
  return adapterFor(deps, c);
}
