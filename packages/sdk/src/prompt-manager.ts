import { requestJson } from './api-client.js';
import { SightlineError, toSightlineError } from './errors.js';
import { PromptCache } from './prompt-cache.js';
import { toPromptClient, type ChatMessage, type PlaceholderMessage, type PromptClient, type PromptResponse } from './prompt-clients.js';
import { withRetry } from './retry.js';
import type { Transport } from './transport.js';

/**
 * Options of `getPrompt`, as in the `langfuse` v3 SDK.
 * @example `sightline.getPrompt('greet', undefined, { label: 'staging', cacheTtlSeconds: 300, fallback: 'Hi {{name}}' })`
 */
export interface GetPromptOptions {
  /** The label to fetch (default `production`); ignored when a version is given. */
  label?: string;
  /** Seconds the fetched prompt is served from the cache (default 60); 0 fetches every time. */
  cacheTtlSeconds?: number;
  /** Returned (with `isFallback: true`) only when the fetch fails and nothing is cached. */
  fallback?: string | ChatMessage[];
  /** Retries of a failed fetch (network, 408, 429, 5xx): default 2, at most 4. */
  maxRetries?: number;
  /** Timeout of one fetch attempt in ms (default: the `requestTimeout` option). */
  fetchTimeoutMs?: number;
  /** `chat` types the result as a chat prompt (a list `fallback` is always one). */
  type?: 'text' | 'chat';
}

/**
 * The body of `createPrompt`: the next version of prompt `name` (version 1 if it is new).
 * @example `{ name: 'greet', prompt: 'Hi {{name}}', labels: ['production'], config: { model: 'gpt-4o' } }`
 */
export type CreatePromptBody = {
  name: string;
  config?: unknown;
  labels?: string[];
  tags?: string[];
  commitMessage?: string;
  /** `langfuse` v1 name: true adds the `production` label. */
  isActive?: boolean;
} & ({ type?: 'text'; prompt: string } | { type: 'chat'; prompt: (ChatMessage | PlaceholderMessage)[] });

/**
 * The body of `updatePrompt`: sets the labels of one version (moving them away from others).
 * @example `{ name: 'greet', version: 2, newLabels: ['production'] }`
 */
export interface UpdatePromptBody {
  name: string;
  version: number;
  newLabels: string[];
}

export interface PromptManagerOptions {
  /** Builds the transport for one fetch, given its per-attempt timeout. */
  transport: (timeoutMs: number | undefined) => Transport;
  report: (error: SightlineError) => void;
  now?: () => number;
}

/** getPrompt / createPrompt / updatePrompt of {@link Sightline}, with the `langfuse` v3 cache rules. */
export class PromptManager {
  private readonly cache: PromptCache;

  constructor(private readonly o: PromptManagerOptions) {
    this.cache = new PromptCache(o.now);
  }

  async get(name: string, version: number | undefined, options: GetPromptOptions = {}): Promise<PromptClient> {
    const key = PromptCache.key(name, version, options.label);
    const cached = this.cache.get(key);
    if (!cached || options.cacheTtlSeconds === 0) {
      try {
        return await this.fetchIntoCache(key, name, version, options);
      } catch (e) {
        if (options.fallback === undefined) throw e;
        return fallbackPrompt(name, version, options);
      }
    }
    if (cached.expired) {
      this.cache.refreshOnce(key, () =>
        this.fetchIntoCache(key, name, version, options).catch((e: unknown) => {
          this.o.report(new SightlineError('prompt_refresh', `refreshing prompt ${key} failed; the cached version ${cached.value.version} stays in use: ${toSightlineError(e, 'getPrompt').message}`, { cause: e }));
        }),
      );
    }
    return cached.value;
  }

  async create(body: CreatePromptBody): Promise<PromptClient> {
    const labels = body.isActive ? [...new Set([...(body.labels ?? []), 'production'])] : (body.labels ?? []);
    const { isActive: _drop, ...rest } = body;
    const prompt = body.type === 'chat' ? body.prompt.map((m) => ('type' in m ? m : { type: 'chatmessage', ...m })) : body.prompt;
    const created = await this.send<PromptResponse>('POST', '/api/public/v2/prompts', { ...rest, type: body.type ?? 'text', prompt, labels });
    // A new version can take a label from an older one: what is cached under that label is stale.
    this.cache.invalidate(body.name);
    return toPromptClient(created);
  }

  async update(body: UpdatePromptBody): Promise<PromptClient> {
    const path = `/api/public/v2/prompts/${encodeURIComponent(body.name)}/versions/${encodeURIComponent(String(body.version))}`;
    const updated = await this.send<PromptResponse>('PATCH', path, { newLabels: body.newLabels });
    this.cache.invalidate(body.name);
    return toPromptClient(updated);
  }

  private async fetchIntoCache(key: string, name: string, version: number | undefined, options: GetPromptOptions): Promise<PromptClient> {
    if (version !== undefined && options.label !== undefined) throw new Error('Provide either version or label, not both.');
    const params = new URLSearchParams();
    if (version !== undefined) params.set('version', String(version));
    if (options.label !== undefined) params.set('label', options.label);
    const search = params.toString();
    const query = search ? `?${search}` : '';
    const retries = Math.min(4, Math.max(0, options.maxRetries ?? 2));
    const response = await this.send<PromptResponse>('GET', `/api/public/v2/prompts/${encodeURIComponent(name)}${query}`, undefined, retries, options.fetchTimeoutMs);
    const prompt = toPromptClient(response);
    this.cache.set(key, prompt, options.cacheTtlSeconds);
    return prompt;
  }

  private send<R>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown, retries = 2, timeoutMs?: number): Promise<R> {
    const transport = withRetry(this.o.transport(timeoutMs), { maxAttempts: retries + 1, initialDelayMs: 500 });
    return requestJson<R>(transport, method, path, body);
  }
}

function fallbackPrompt(name: string, version: number | undefined, options: GetPromptOptions): PromptClient {
  const fields = { name, version: version ?? 0, labels: options.label ? [options.label] : [], config: {}, tags: [] };
  const fallback = options.fallback!;
  if (Array.isArray(fallback)) return toPromptClient({ ...fields, type: 'chat', prompt: fallback }, true);
  return toPromptClient({ ...fields, type: 'text', prompt: typeof fallback === 'string' ? fallback : JSON.stringify(fallback) }, true);
}
