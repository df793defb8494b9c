import type { ChatAdapter, ChatMessage, ChatParams, ChatResult } from './chat-adapter.js';
import { usageOf } from './chat-adapter.js';
import type { HttpFetch } from './pinned-fetch.js';
import { networkError, ProviderError, throwIfFailed } from './provider-error.js';
import { readSse } from './sse.js';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
/** Azure OpenAI's GA api-version, used when the base URL names none. */
export const AZURE_API_VERSION = '2024-10-21';

export interface OpenAiOptions {
  /** `openai`, or `azure` (the deployment is the model name unless the base URL names one). */
  adapter: 'openai' | 'azure';
  provider: string;
  secretKey: string;
  baseURL: string | null;
  extraHeaders: Record<string, string>;
  fetch: HttpFetch;
}

/**
 * Where chat completions are posted. An OpenAI-compatible server (OpenAI, vLLM, Ollama,
 * LiteLLM) takes `<base>/chat/completions`. Azure's form is
 * `https://<resource>.openai.azure.com/openai/deployments/<deployment>/chat/completions?api-version=…`:
 * recognised by the `azure` adapter, a `/openai/deployments` path or an `api-version` in the base URL.
 */
export function chatCompletionsUrl(options: Pick<OpenAiOptions, 'adapter' | 'baseURL'>, model: string): { url: URL; azure: boolean } {
  const url = new URL(options.baseURL ?? OPENAI_BASE_URL);
  let path = url.pathname.replace(/\/+$/, '');
  const azure = options.adapter === 'azure' || /\/openai\/deployments(\/|$)/.test(path) || url.searchParams.has('api-version');
  if (azure && /\/openai\/deployments$/.test(path)) path += `/${encodeURIComponent(model)}`;
  url.pathname = `${path}/chat/completions`;
  if (azure && !url.searchParams.has('api-version')) url.searchParams.set('api-version', AZURE_API_VERSION);
  return { url, azure };
}

interface Completion {
  model?: string;
  choices?: { message?: { content?: string | null }; delta?: { content?: string | null } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string };
}

export function createOpenAiAdapter(options: OpenAiOptions): ChatAdapter {
  const call = async (messages: ChatMessage[], params: ChatParams, stream: boolean, signal?: AbortSignal) => {
    const { url, azure } = chatCompletionsUrl(options, params.model);
    const body = {
      model: params.model,
      messages,
      ...(params.temperature !== undefined && { temperature: params.temperature }),
      ...(params.maxTokens !== undefined && { max_tokens: params.maxTokens }),
      ...(params.topP !== undefined && { top_p: params.topP }),
      ...(params.stop && { stop: params.stop }),
      ...(params.json && { response_format: { type: 'json_object' } }),
      ...(stream && { stream: true, stream_options: { include_usage: true } }),
    };
    const auth: Record<string, string> = azure ? { 'api-key': options.secretKey } : { authorization: `Bearer ${options.secretKey}` };
    let res: Response;
    try {
      res = await options.fetch(url, {
        method: 'POST',
        headers: { ...options.extraHeaders, ...auth, 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json' },
        body: JSON.stringify(body),
        signal,
      });
    } catch (err) {
      throw networkError(options.provider, err);
    }
    await throwIfFailed(options.provider, res);
    return res;
  };
  return {
    async chat(messages, params, signal) {
      const res = await call(messages, params, false, signal);
      const body = (await res.json()) as Completion;
      const u = body.usage ?? undefined;
      return { text: body.choices?.[0]?.message?.content ?? '', model: body.model ?? params.model, usage: usageOf(u?.prompt_tokens, u?.completion_tokens) };
    },
    async *stream(messages, params, signal) {
      const res = await call(messages, params, true, signal);
      if (!res.body) throw new ProviderError(options.provider, res.status, 'the streamed answer has no body');
      const result: ChatResult = { text: '', model: params.model, usage: null };
      for await (const { data } of readSse(res.body)) {
        if (data === '[DONE]') break;
        const chunk = JSON.parse(data) as Completion;
        if (chunk.error) throw new ProviderError(options.provider, 500, chunk.error.message ?? 'error in the stream');
        if (chunk.model) result.model = chunk.model;
        if (chunk.usage) result.usage = usageOf(chunk.usage.prompt_tokens, chunk.usage.completion_tokens);
        const text = chunk.choices?.[0]?.delta?.content;
        if (text) {
          result.text += text;
          yield { type: 'delta', text };
        }
      }
      yield { type: 'done', result };
    },
  };
}
