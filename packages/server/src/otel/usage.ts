import { setOwn } from '@sightline/core';
import { isPlainObject, jsonObject, LF, toNumber } from './attributes.js';
import type { Attributes } from './otlp-values.js';

type Usage = Record<string, number>;

/** Generic usage keys (after the `gen_ai.usage.` / `llm.token_count.` prefix and any `details.`) → Langfuse keys. */
const GENERIC_KEYS: Record<string, string> = {
  prompt_tokens: 'input',
  input_tokens: 'input',
  prompt: 'input',
  completion_tokens: 'output',
  output_tokens: 'output',
  completion: 'output',
  total_tokens: 'total',
  total: 'total',
  'cache_read.input_tokens': 'input_cached_tokens',
  cache_read_input_tokens: 'input_cached_tokens',
  cache_read_tokens: 'input_cached_tokens',
  'prompt_details.cache_read': 'input_cached_tokens',
  input_cached_tokens: 'input_cached_tokens',
  'cache_creation.input_tokens': 'input_cache_creation',
  cache_creation_input_tokens: 'input_cache_creation',
  'cache_write.input_tokens': 'input_cache_creation',
  cache_write_tokens: 'input_cache_creation',
  'prompt_details.cache_write': 'input_cache_creation',
  input_cache_creation: 'input_cache_creation',
  'reasoning.output_tokens': 'output_reasoning_tokens',
  reasoning_tokens: 'output_reasoning_tokens',
  'completion_details.reasoning': 'output_reasoning_tokens',
  output_reasoning_tokens: 'output_reasoning_tokens',
  'completion_details.audio': 'output_audio_tokens',
  output_audio_tokens: 'output_audio_tokens',
  'prompt_details.audio': 'input_audio_tokens',
};

/** Subtracts the detail counts from input/output (clamped at 0), when input/output are present. */
function subtractDetails(u: Usage, inputDetails: string[], outputDetails: string[]): Usage {
  const sum = (keys: string[]) => keys.reduce((s, k) => s + (u[k] ?? 0), 0);
  if (u.input !== undefined) u.input = Math.max(0, u.input - sum(inputDetails));
  if (u.output !== undefined) u.output = Math.max(0, u.output - sum(outputDetails));
  return u;
}

/** `gen_ai.usage.*` (without `.cost`) and `llm.token_count.*`, normalised to Langfuse keys. */
export function genericUsage(attrs: Attributes): Usage {
  const u: Usage = {};
  for (const [key, value] of Object.entries(attrs)) {
    let rest: string;
    if (key.startsWith('gen_ai.usage.') && key !== 'gen_ai.usage.cost') rest = key.slice('gen_ai.usage.'.length);
    else if (key.startsWith('llm.token_count.')) rest = key.slice('llm.token_count.'.length);
    else continue;
    const n = toNumber(value);
    if (n === undefined) continue;
    const stripped = rest.startsWith('details.') ? rest.slice('details.'.length) : rest;
    u[GENERIC_KEYS[stripped] ?? stripped] = n;
  }
  return subtractDetails(u, ['input_cached_tokens', 'input_cache_creation'], ['output_reasoning_tokens', 'output_audio_tokens']);
}

function firstNumber(attrs: Attributes, keys: string[]): number | undefined {
  for (const k of keys) {
    const n = toNumber(attrs[k]);
    if (n !== undefined) return n;
  }
  return undefined;
}

/** Token details the AI SDK reports in `ai.response.providerMetadata` (OpenAI, Anthropic, Bedrock). */
function providerMetadataUsage(u: Usage, attrs: Attributes): void {
  const meta = jsonObject(attrs['ai.response.providerMetadata']);
  if (!meta) return;
  const setIfAbsent = (key: string, v: unknown) => {
    const n = toNumber(v);
    if (n !== undefined && u[key] === undefined) u[key] = n;
  };
  if (isPlainObject(meta.openai)) {
    setIfAbsent('input_cached_tokens', meta.openai.cachedPromptTokens);
    setIfAbsent('accepted_prediction_tokens', meta.openai.acceptedPredictionTokens);
    setIfAbsent('rejected_prediction_tokens', meta.openai.rejectedPredictionTokens);
    setIfAbsent('output_reasoning_tokens', meta.openai.reasoningTokens);
  }
  if (isPlainObject(meta.anthropic) && isPlainObject(meta.anthropic.usage)) {
    const usage = meta.anthropic.usage;
    setIfAbsent('input_cache_creation', usage.cache_creation_input_tokens);
    setIfAbsent('input_cached_tokens', usage.cache_read_input_tokens);
    if (isPlainObject(usage.cache_creation)) {
      setIfAbsent('input_cache_creation_5m', usage.cache_creation.ephemeral_5m_input_tokens);
      setIfAbsent('input_cache_creation_1h', usage.cache_creation.ephemeral_1h_input_tokens);
      // The TTL breakdown is part of the creation count; keep each token in one bucket only.
      u.input_cache_creation = Math.max(0, (u.input_cache_creation ?? 0) - (u.input_cache_creation_5m ?? 0) - (u.input_cache_creation_1h ?? 0));
    }
  }
  if (isPlainObject(meta.bedrock) && isPlainObject(meta.bedrock.usage)) {
    setIfAbsent('input_cache_read', meta.bedrock.usage.cacheReadInputTokens);
    setIfAbsent('input_cache_write', meta.bedrock.usage.cacheWriteInputTokens);
    setIfAbsent('input_cache_creation', meta.bedrock.usage.cacheCreationInputTokens);
  }
}

/** Vercel AI SDK (`scope.name == "ai"`) usage. */
function aiSdkUsage(attrs: Attributes): Usage {
  const u: Usage = {};
  const put = (key: string, v: number | undefined) => {
    if (v !== undefined) u[key] = v;
  };
  put('input', firstNumber(attrs, ['gen_ai.usage.prompt_tokens', 'gen_ai.usage.input_tokens', 'ai.usage.inputTokens', 'ai.usage.promptTokens']));
  put('output', firstNumber(attrs, ['gen_ai.usage.completion_tokens', 'gen_ai.usage.output_tokens', 'ai.usage.outputTokens', 'ai.usage.completionTokens']));
  put('total', firstNumber(attrs, ['ai.usage.tokens', 'ai.usage.totalTokens']));
  put('input_cached_tokens', firstNumber(attrs, ['ai.usage.cachedInputTokens']));
  put('output_reasoning_tokens', firstNumber(attrs, ['ai.usage.reasoningTokens']));
  providerMetadataUsage(u, attrs);
  return subtractDetails(
    u,
    ['input_cached_tokens', 'input_cache_creation', 'input_cache_creation_5m', 'input_cache_creation_1h', 'input_cache_read'],
    ['output_reasoning_tokens'],
  );
}

/**
 * Usage details of a span: `langfuse.observation.usage_details` (any shape the batch endpoint
 * accepts; core normalises it), else the AI SDK's keys, else generic `gen_ai.usage.*` /
 * `llm.token_count.*`. `undefined` when there is none.
 */
export function extractUsage(attrs: Attributes, scopeName: string): Record<string, unknown> | undefined {
  const provided = jsonObject(attrs[LF.OBS_USAGE_DETAILS]);
  if (provided) return provided;
  const u = scopeName === 'ai' ? aiSdkUsage(attrs) : genericUsage(attrs);
  return Object.keys(u).length > 0 ? u : undefined;
}

/** Cost details: `langfuse.observation.cost_details` (JSON), else `gen_ai.usage.cost` ⇒ total, else OpenInference `llm.cost.*`. */
export function extractCost(attrs: Attributes): Record<string, number> | undefined {
  const provided = jsonObject(attrs[LF.OBS_COST_DETAILS]);
  if (provided) {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(provided)) {
      const n = toNumber(v);
      if (n !== undefined) setOwn(out, k, n);
    }
    return out;
  }
  const genAiCost = toNumber(attrs['gen_ai.usage.cost']);
  if (genAiCost !== undefined) return { total: genAiCost };
  const out: Record<string, number> = {};
  for (const [key, name] of [['llm.cost.prompt', 'input'], ['llm.cost.completion', 'output'], ['llm.cost.total', 'total']]) {
    const n = toNumber(attrs[key]);
    if (n !== undefined) out[name] = n;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
