import { createRequire } from 'node:module';
import type { ModelPrice } from './model-price.js';

type Encoder = { encode(text: string): number[] };
type Lite = {
  Tiktoken: new (ranks: unknown) => Encoder;
  getEncodingNameForModel(model: string): string;
};

const require = createRequire(import.meta.url);
const encoders = new Map<string, Encoder>();
let lite: Lite | undefined;

/** Loads an encoding's ranks on first use only: they are large and most ingestion never needs them. */
function encoderFor(tokenizerModel: string): Encoder {
  lite ??= require('js-tiktoken/lite') as Lite;
  let name = 'cl100k_base';
  try {
    name = lite.getEncodingNameForModel(tokenizerModel);
  } catch {
    // Unknown model names fall back to cl100k_base, as Langfuse does.
  }
  let enc = encoders.get(name);
  if (!enc) {
    enc = new lite.Tiktoken((require(`js-tiktoken/ranks/${name}`) as { default?: unknown }).default ?? require(`js-tiktoken/ranks/${name}`));
    encoders.set(name, enc);
  }
  return enc;
}

interface ChatMessage {
  role: string;
  content?: unknown;
  name?: unknown;
  tool_calls?: unknown;
  function_call?: unknown;
}

const isChat = (v: unknown): v is ChatMessage[] =>
  Array.isArray(v) && v.length > 0 && v.every((m) => typeof m === 'object' && m !== null && typeof (m as ChatMessage).role === 'string');

const asText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Counts tokens of an input or output value with the model's tokenizer. Chat message arrays of
 * chat models count the per-message and per-name overheads plus 3 for the reply priming; other
 * values count their text (strings as they are, everything else as JSON).
 * Returns null when the model has no supported tokenizer.
 */
export function countTokens(model: ModelPrice, value: unknown): number | null {
  if (model.tokenizerId !== 'openai' || !model.tokenizerConfig?.tokenizerModel) return null;
  if (value === null || value === undefined) return null;
  const enc = encoderFor(model.tokenizerConfig.tokenizerModel);
  const { tokensPerMessage, tokensPerName } = model.tokenizerConfig;
  if (tokensPerMessage !== undefined && isChat(value)) {
    let n = 3;
    for (const m of value) {
      n += tokensPerMessage;
      n += enc.encode(m.role).length;
      if (m.content !== undefined && m.content !== null) n += enc.encode(asText(m.content)).length;
      if (typeof m.name === 'string') n += enc.encode(m.name).length + (tokensPerName ?? 0);
      if (m.tool_calls !== undefined) n += enc.encode(asText(m.tool_calls)).length;
      if (m.function_call !== undefined) n += enc.encode(asText(m.function_call)).length;
    }
    return n;
  }
  return enc.encode(asText(value)).length;
}
