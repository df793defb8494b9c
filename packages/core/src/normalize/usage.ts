import { setOwn } from '../domain/own-keys.js';
import type { NumberMap } from '../domain/records.js';

type Loose = Record<string, unknown>;

const isRecord = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An integer count: a non-negative integer number, or a string holding one. */
function toCount(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : undefined;
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) {
    const n = Number(v.trim());
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

function toCost(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/**
 * Folds an OpenAI-style usage object with `*_tokens_details` into canonical keys. Detail
 * values are subtracted from their parent (input/output), clamped at 0.
 */
function fromOpenAiShape(u: Loose, inputKey: string, outputKey: string): NumberMap {
  const out: NumberMap = {};
  let input = toCount(u[inputKey]) ?? 0;
  let output = toCount(u[outputKey]) ?? 0;
  const total = toCount(u.total_tokens);
  const inputDetails = u[`${inputKey}_details`];
  const outputDetails = u[`${outputKey}_details`];
  if (isRecord(inputDetails)) {
    for (const [k, v] of Object.entries(inputDetails)) {
      const n = toCount(v);
      if (n === undefined) continue;
      out[`input_${k}`] = n;
      input = Math.max(0, input - n);
    }
  }
  if (isRecord(outputDetails)) {
    for (const [k, v] of Object.entries(outputDetails)) {
      const n = toCount(v);
      if (n === undefined) continue;
      out[`output_${k}`] = n;
      output = Math.max(0, output - n);
    }
  }
  out.input = input;
  out.output = output;
  if (total !== undefined) out.total = total;
  return out;
}

const hasNumbers = (u: Loose, keys: string[]) => keys.every((k) => typeof u[k] === 'number');

/** Normalises a `usageDetails` value: the OpenAI Chat shape, the Responses shape, or a free map of counts. */
export function normalizeUsageDetails(value: unknown): NumberMap {
  if (!isRecord(value)) return {};
  if (hasNumbers(value, ['prompt_tokens', 'completion_tokens', 'total_tokens'])) {
    return fromOpenAiShape(value, 'prompt_tokens', 'completion_tokens');
  }
  if (hasNumbers(value, ['input_tokens', 'output_tokens', 'total_tokens'])) {
    return fromOpenAiShape(value, 'input_tokens', 'output_tokens');
  }
  const out: NumberMap = {};
  for (const [k, v] of Object.entries(value)) {
    const n = toCount(v);
    if (n !== undefined) setOwn(out, k, n);
  }
  return out;
}

/** Normalises a `costDetails` map: keeps non-negative finite numbers only. */
export function normalizeCostDetails(value: unknown): NumberMap {
  if (!isRecord(value)) return {};
  const out: NumberMap = {};
  for (const [k, v] of Object.entries(value)) {
    const n = toCost(v);
    if (n !== undefined) setOwn(out, k, n);
  }
  return out;
}

/** The legacy `usage` object after schema validation (either the Langfuse or the OpenAI shape). */
export interface LegacyUsage {
  input?: number | null;
  output?: number | null;
  total?: number | null;
  unit?: string | null;
  inputCost?: number | null;
  outputCost?: number | null;
  totalCost?: number | null;
  promptTokens?: number | null;
  completionTokens?: number | null;
  totalTokens?: number | null;
}

/**
 * Builds the provided usage and cost maps of one event from its legacy `usage`, `usageDetails`
 * and `costDetails`, as docs/compatibility.md §3 describes. Negative values are removed.
 */
export function buildProvidedUsage(
  usage: LegacyUsage | null | undefined,
  usageDetails: unknown,
  costDetails: unknown,
): { usageDetails: NumberMap; costDetails: NumberMap } {
  const details = normalizeUsageDetails(usageDetails);
  const usageOut: NumberMap = {};
  const costOut: NumberMap = {};
  if (usage) {
    const openAi = usage.promptTokens !== undefined || usage.completionTokens !== undefined || usage.totalTokens !== undefined;
    const input = openAi ? usage.promptTokens : usage.input;
    const output = openAi ? usage.completionTokens : usage.output;
    const total = openAi ? usage.totalTokens : usage.total;
    if (typeof input === 'number') usageOut.input = input;
    if (typeof output === 'number') usageOut.output = output;
    if (typeof total === 'number') {
      usageOut.total = total;
    } else if (Object.keys(details).length === 0) {
      if (input && output) usageOut.total = input + output;
      else if (typeof input === 'number') usageOut.total = input;
      else if (typeof output === 'number') usageOut.total = output;
    }
    if (!openAi) {
      if (typeof usage.inputCost === 'number') costOut.input = usage.inputCost;
      if (typeof usage.outputCost === 'number') costOut.output = usage.outputCost;
      if (typeof usage.totalCost === 'number') costOut.total = usage.totalCost;
    }
  }
  for (const [k, v] of Object.entries(details)) setOwn(usageOut, k, v);
  for (const [k, v] of Object.entries(normalizeCostDetails(costDetails))) setOwn(costOut, k, v);
  return { usageDetails: dropInvalid(usageOut), costDetails: dropInvalid(costOut) };
}

function dropInvalid(map: NumberMap): NumberMap {
  const out: NumberMap = {};
  for (const [k, v] of Object.entries(map)) if (Number.isFinite(v) && v >= 0) setOwn(out, k, v);
  return out;
}
