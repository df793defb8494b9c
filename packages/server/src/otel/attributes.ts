import { setOwn } from '@sightline/core';
import type { Attributes } from './otlp-values.js';

/** Well-known Langfuse span attribute keys (as the Langfuse SDKs write them). */
export const LF = {
  TRACE_NAME: 'langfuse.trace.name',
  TRACE_INPUT: 'langfuse.trace.input',
  TRACE_OUTPUT: 'langfuse.trace.output',
  TRACE_METADATA: 'langfuse.trace.metadata',
  TRACE_TAGS: 'langfuse.trace.tags',
  TRACE_PUBLIC: 'langfuse.trace.public',
  USER_ID: 'langfuse.user.id',
  SESSION_ID: 'langfuse.session.id',
  OBS_TYPE: 'langfuse.observation.type',
  OBS_INPUT: 'langfuse.observation.input',
  OBS_OUTPUT: 'langfuse.observation.output',
  OBS_METADATA: 'langfuse.observation.metadata',
  OBS_LEVEL: 'langfuse.observation.level',
  OBS_STATUS_MESSAGE: 'langfuse.observation.status_message',
  OBS_MODEL: 'langfuse.observation.model.name',
  OBS_MODEL_PARAMETERS: 'langfuse.observation.model.parameters',
  OBS_USAGE_DETAILS: 'langfuse.observation.usage_details',
  OBS_COST_DETAILS: 'langfuse.observation.cost_details',
  OBS_COMPLETION_START_TIME: 'langfuse.observation.completion_start_time',
  OBS_PROMPT_NAME: 'langfuse.observation.prompt.name',
  OBS_PROMPT_VERSION: 'langfuse.observation.prompt.version',
  ENVIRONMENT: 'langfuse.environment',
  RELEASE: 'langfuse.release',
  VERSION: 'langfuse.version',
  AS_ROOT: 'langfuse.internal.as_root',
} as const;

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Not null, undefined, "", [] or {} — what Langfuse calls a meaningful value. */
export function hasValue(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** A value as a string: strings verbatim, anything else JSON-encoded. */
export const asString = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** The first truthy attribute of `keys`, as a string. */
export function firstString(attrs: Attributes, keys: readonly string[]): string | undefined {
  for (const key of keys) if (attrs[key]) return asString(attrs[key]);
  return undefined;
}

/** Deepest JSON structure parsed out of attribute text; deeper text stays a string. */
const MAX_JSON_DEPTH = 64;

/** Whether a parsed JSON value nests at most `max` levels (checked without recursion). */
function withinDepth(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d >= max) return false;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return true;
}

/**
 * Parses a string that holds JSON; anything else, unparsable text, or JSON nested absurdly
 * deep (which later serialisation could not handle) is returned unchanged.
 */
export function parseJsonString(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    const parsed: unknown = JSON.parse(v);
    return withinDepth(parsed, MAX_JSON_DEPTH) ? parsed : v;
  } catch {
    return v;
  }
}

/**
 * A flattened metadata value as a Langfuse read returns it: SDKs send every value as text
 * (non-strings JSON-encoded), and Langfuse parses each one back, keeping text that is not JSON
 * and integers beyond 2^53 as strings.
 */
export function parseMetadataValue(v: unknown): unknown {
  const parsed = parseJsonString(v);
  if (typeof parsed === 'number' && Number.isInteger(parsed) && !Number.isSafeInteger(parsed)) return v;
  return parsed;
}

/** A JSON object given as an object or as JSON text; anything else is `undefined`. */
export function jsonObject(v: unknown): Record<string, unknown> | undefined {
  const parsed = parseJsonString(v);
  return isPlainObject(parsed) ? parsed : undefined;
}

/** A number from a number or a numeric string. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Keys whose flattened values belong to metadata rather than to first-class fields. */
const AI_SDK_TRACE_KEYS = new Set([
  'ai.telemetry.metadata.userId',
  'ai.telemetry.metadata.sessionId',
  'ai.telemetry.metadata.tags',
  'ai.telemetry.metadata.langfusePrompt',
]);

/**
 * Metadata of one domain: the JSON object in `langfuse.<domain>.metadata` (or
 * `langfuse.metadata`), overlaid by the flattened `langfuse.<domain>.metadata.<key>`,
 * `langfuse.metadata.<key>` and `ai.telemetry.metadata.<key>` attributes, whose values are
 * parsed back from their JSON text.
 */
export function extractMetadata(attrs: Attributes, domain: 'trace' | 'observation'): Record<string, unknown> {
  const prefix = domain === 'trace' ? LF.TRACE_METADATA : LF.OBS_METADATA;
  const top = jsonObject(attrs[prefix] || attrs['langfuse.metadata']) ?? {};
  const flat: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attrs)) {
    if (AI_SDK_TRACE_KEYS.has(key)) continue;
    for (const p of [prefix, 'langfuse.metadata', 'ai.telemetry.metadata']) {
      if (key.startsWith(`${p}.`)) setOwn(flat, key.slice(p.length + 1), parseMetadataValue(value));
    }
  }
  if (attrs['ai.prompt.tools']) flat.tools = attrs['ai.prompt.tools'];
  return { ...top, ...flat };
}

const EXPERIMENT_PREFIX = 'langfuse.experiment.';

/**
 * The `langfuse.experiment.*` attributes the v5 experiment runner sets (run id and name, dataset
 * and item ids, expected output, …), kept under their attribute names with JSON text parsed back,
 * so experiment spans and traces can be found by them (a metadata filter with that key).
 */
export function extractExperiment(attrs: Attributes): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attrs)) {
    if (key.startsWith(EXPERIMENT_PREFIX)) setOwn(out, key, parseMetadataValue(value));
  }
  return out;
}
