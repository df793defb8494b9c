import type { ObservationRecord, TraceRecord } from '@sightline/core';
import type { MappingSource, VariableMapping } from '@sightline/storage';
import { readJsonPath } from '../evaluation/json-path.js';

/** What a variable can be read from: the target and, by mapping, its trace, an observation or its dataset item. */
export interface TargetData {
  trace: TraceRecord | null;
  /** The evaluated observation (observation targets; the linked one of a run item). */
  observation: ObservationRecord | null;
  /** The latest observation of a name in the trace (for trace targets mapping `object: 'observation'`). */
  observationNamed(name: string): Promise<ObservationRecord | null>;
  /** Experiment targets: the dataset item the run item ran. */
  datasetItem: { expectedOutput: unknown; metadata: unknown } | null;
}

/** A variable's rendered text is cut beyond this many characters (judge prompts have a context limit, and a price). */
export const MAX_VARIABLE_CHARS = 20_000;

/** Stored JSON text, parsed; text that is not JSON stays a string. */
const parsed = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

function field(source: MappingSource, from: TraceRecord | ObservationRecord | null, data: TargetData): unknown {
  switch (source) {
    case 'expected_output':
      return data.datasetItem?.expectedOutput ?? null;
    case 'experiment_item_metadata':
      return data.datasetItem?.metadata ?? null;
    case 'input':
      return from ? parsed(from.input) : null;
    case 'output':
      return from ? parsed(from.output) : null;
    case 'metadata':
      return from?.metadata ?? null;
    case 'tool_calls':
      // Tool calls live in the output of the generation that made them (OpenAI's `tool_calls`, at any depth).
      return from ? (readJsonPath(parsed(from.output), '$..tool_calls') ?? null) : null;
  }
}

/** The raw value of one mapping, before rendering. */
export async function mappedValue(mapping: VariableMapping, target: 'trace' | 'observation' | 'experiment', data: TargetData): Promise<unknown> {
  let from: TraceRecord | ObservationRecord | null;
  if (target === 'observation') from = data.observation;
  else if (mapping.object === 'observation' && mapping.observationName) from = await data.observationNamed(mapping.observationName);
  else if (target === 'experiment' && mapping.object === 'observation') from = data.observation ?? data.trace;
  else from = data.trace;
  const value = field(mapping.source, from, data);
  return mapping.jsonPath ? readJsonPath(value, mapping.jsonPath) : value;
}

/** Strings as they are, anything else as JSON; nothing as the empty string; cut at `max` characters. */
export function renderValue(value: unknown, max = MAX_VARIABLE_CHARS): string {
  const text = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}… [truncated ${text.length - max} characters]` : text;
}

/**
 * The prompt with each `{{variable}}` replaced by its value, in one pass (a value that itself holds
 * `{{…}}` is not expanded again). A placeholder without a mapping is left as written.
 */
export function fillPrompt(prompt: string, values: ReadonlyMap<string, string>): string {
  return prompt.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, name: string) => values.get(name) ?? whole);
}

/** Every mapped variable's rendered value. */
export async function renderVariables(mappings: readonly VariableMapping[], target: 'trace' | 'observation' | 'experiment', data: TargetData): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const m of mappings) values.set(m.variable, renderValue(await mappedValue(m, target, data)));
  return values;
}
