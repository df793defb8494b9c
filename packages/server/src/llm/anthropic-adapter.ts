import type { ChatAdapter, ChatMessage, ChatParams, ChatResult } from './chat-adapter.js';
import { usageOf } from './chat-adapter.js';
import type { HttpFetch } from './pinned-fetch.js';
import { networkError, ProviderError, throwIfFailed } from './provider-error.js';
import { readSse } from './sse.js';

export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com/v1';
const ANTHROPIC_VERSION = '2023-06-01';
/** The Messages API requires max_tokens; this is used when the caller sets none. */
const DEFAULT_MAX_TOKENS = 1024;

export interface AnthropicOptions {
  provider: string;
  secretKey: string;
  baseURL: string | null;
  extraHeaders: Record<string, string>;
  fetch: HttpFetch;
}

/** `<base>/messages`, where a base URL given without its `/v1` gets it (`https://api.anthropic.com` works too). */
export function messagesUrl(baseURL: string | null): URL {
  const url = new URL(baseURL ?? ANTHROPIC_BASE_URL);
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = `${/\/v1$/.test(path) ? path : `${path}/v1`}/messages`;
  return url;
}

interface MessagesAnswer {
  model?: string;
  content?: { type: string; text?: string }[];
  usage?: { input_tokens?: number; output_tokens?: number };
}

/** Anthropic has one top-level system prompt; system messages are joined into it. */
function splitSystem(messages: ChatMessage[]) {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
  return { system: system || undefined, messages: messages.filter((m) => m.role !== 'system') };
}

export function createAnthropicAdapter(options: AnthropicOptions): ChatAdapter {
  const call = async (messages: ChatMessage[], params: ChatParams, stream: boolean, signal?: AbortSignal) => {
    const body = {
      model: params.model,
      ...splitSystem(messages),
      max_tokens: params.maxTokens ?? DEFAULT_MAX_TOKENS,
      ...(params.temperature !== undefined && { temperature: params.temperature }),
      ...(params.topP !== undefined && { top_p: params.topP }),
      ...(params.stop && { stop_sequences: params.stop }),
      ...(stream && { stream: true }),
    };
    let res: Response;
    try {
      res = await options.fetch(messagesUrl(options.baseURL), {
        method: 'POST',
        headers: { ...options.extraHeaders, 'x-api-key': options.secretKey, 'anthropic-version': ANTHROPIC_VERSION, 'content-type': 'application/json' },
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
      const body = (await (await call(messages, params, false, signal)).json()) as MessagesAnswer;
      const text = (body.content ?? []).filter((b) => b.type === 'text').map((b) => b.text ?? '').join('');
      return { text, model: body.model ?? params.model, usage: usageOf(body.usage?.input_tokens, body.usage?.output_tokens) };
    },
    async *stream(messages, params, signal) {
      const res = await call(messages, params, true, signal);
      if (!res.body) throw new ProviderError(options.provider, res.status, 'the streamed answer has no body');
      const result: ChatResult = { text: '', model: params.model, usage: null };
      let input: number | undefined;
      let output: number | undefined;
      for await (const { event, data } of readSse(res.body)) {
        const e = JSON.parse(data) as {
          message?: MessagesAnswer; delta?: { type?: string; text?: string }; usage?: { output_tokens?: number }; error?: { type?: string; message?: string };
        };
        if (event === 'error') {
          // An overload mid-stream is the streamed form of a 529: worth another attempt.
          throw new ProviderError(options.provider, e.error?.type === 'invalid_request_error' ? 400 : 529, e.error?.message ?? 'error in the stream');
        }
        if (event === 'message_start') {
          result.model = e.message?.model ?? result.model;
          input = e.message?.usage?.input_tokens;
          output = e.message?.usage?.output_tokens;
        } else if (event === 'content_block_delta' && e.delta?.type === 'text_delta' && e.delta.text) {
          result.text += e.delta.text;
          yield { type: 'delta', text: e.delta.text };
        } else if (event === 'message_delta' && e.usage?.output_tokens !== undefined) output = e.usage.output_tokens;
        else if (event === 'message_stop') break;
      }
      result.usage = usageOf(input, output);
      yield { type: 'done', result };
    },
  };
}
