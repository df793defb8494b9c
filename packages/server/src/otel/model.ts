import { setOwn } from '@sightline/core';
import { firstString, jsonObject, LF } from './attributes.js';
import type { Attributes } from './otlp-values.js';

const MODEL_KEYS = [LF.OBS_MODEL, 'gen_ai.response.model', 'ai.model.id', 'gen_ai.request.model', 'llm.response.model', 'llm.model_name', 'model'];

/** The model name of a span; Genkit model actions carry it as `genkit:name`. */
export function extractModel(attrs: Attributes): string | undefined {
  const model = firstString(attrs, MODEL_KEYS);
  if (model) return model;
  return attrs['genkit:metadata:subtype'] === 'model' ? firstString(attrs, ['genkit:name']) : undefined;
}

/** Model parameters hold strings and numbers; anything else is JSON-encoded. */
function sanitize(params: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    setOwn(out, k, typeof v === 'string' || typeof v === 'number' ? v : JSON.stringify(v));
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The parameter set the Vercel AI SDK describes with its own keys. */
function aiSdkParameters(attrs: Attributes): Record<string, unknown> {
  const pick = (...keys: string[]) => {
    for (const k of keys) if (attrs[k] !== undefined && attrs[k] !== null) return String(attrs[k]);
    return undefined;
  };
  return {
    maxSteps: pick('ai.settings.maxSteps'),
    toolChoice: pick('ai.prompt.toolChoice'),
    maxTokens: pick('gen_ai.request.max_tokens'),
    finishReason: pick('gen_ai.response.finish_reasons', 'gen_ai.finishReason'),
    system: pick('gen_ai.system', 'ai.model.provider'),
    maxRetries: pick('ai.settings.maxRetries'),
    mode: pick('ai.settings.mode'),
    temperature: pick('gen_ai.request.temperature'),
  };
}

/** Flattened `<prefix><name>` attributes as a parameter map (without `model`). */
function prefixed(attrs: Attributes, prefixes: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attrs)) {
    const prefix = prefixes.find((p) => key.startsWith(p));
    if (!prefix) continue;
    const name = key.slice(prefix.length);
    if (name !== 'model') setOwn(out, name, value);
  }
  return out;
}

/**
 * Model parameters: `langfuse.observation.model.parameters` (JSON), the AI SDK's set,
 * `llm.invocation_parameters` (JSON), `model_config` (JSON), else the flattened
 * `gen_ai.request.*` / `llm.invocation_parameters.*` attributes. `undefined` when there are none.
 */
export function extractModelParameters(attrs: Attributes, scopeName: string): Record<string, unknown> | undefined {
  const explicit = jsonObject(attrs[LF.OBS_MODEL_PARAMETERS]);
  if (explicit) return sanitize(explicit);
  if (scopeName === 'ai') return sanitize(aiSdkParameters(attrs));
  for (const key of ['llm.invocation_parameters', 'model_config']) {
    const params = jsonObject(attrs[key]);
    if (params) return sanitize(params);
  }
  return sanitize(prefixed(attrs, ['gen_ai.request.', 'llm.invocation_parameters.']));
}
