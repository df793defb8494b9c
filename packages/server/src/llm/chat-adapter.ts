/** One message of a chat prompt. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Model parameters, named once for every provider (adapters translate). */
export interface ChatParams {
  model: string;
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  stop?: string[];
  /** Ask for a JSON object (OpenAI's response_format; Anthropic relies on the prompt). */
  json?: boolean;
}

export interface ChatUsage {
  input: number;
  output: number;
  total: number;
}

export interface ChatResult {
  text: string;
  /** The model the provider says answered (may be more specific than the one asked for). */
  model: string;
  usage: ChatUsage | null;
}

export type ChatStreamEvent = { type: 'delta'; text: string } | { type: 'done'; result: ChatResult };

/**
 * A provider behind one small interface. Both calls reject with a ProviderError (retryable or
 * not) on an error answer, and stop when `signal` aborts.
 */
export interface ChatAdapter {
  chat(messages: ChatMessage[], params: ChatParams, signal?: AbortSignal): Promise<ChatResult>;
  /** Yields text deltas as they arrive, then one `done` with the whole text and the usage. */
  stream(messages: ChatMessage[], params: ChatParams, signal?: AbortSignal): AsyncIterable<ChatStreamEvent>;
}

export const usageOf = (input: number | undefined, output: number | undefined): ChatUsage | null =>
  input === undefined && output === undefined ? null : { input: input ?? 0, output: output ?? 0, total: (input ?? 0) + (output ?? 0) };
