import { isPlainObject, parseJsonString } from './attributes.js';
import type { Attributes } from './otlp-values.js';

/** A span event with its attributes already converted to plain values. */
export interface SpanEvent {
  name: string;
  attributes: Attributes;
}

function setPath(target: Record<string, unknown> | unknown[], path: string[], value: unknown): void {
  let current = target as Record<string, unknown>;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    if (!isPlainObject(current[key]) && !Array.isArray(current[key])) current[key] = /^\d+$/.test(path[i + 1]) ? [] : {};
    current = current[key] as Record<string, unknown>;
  }
  current[path[path.length - 1]] = value;
}

/**
 * Rebuilds flattened attributes (`<prefix>.0.role`, `<prefix>.0.content`, …) into the value
 * they spell: an array when the first segment is an index, an object otherwise. A value stored
 * at `<prefix>` itself wins. `undefined` when no key has the prefix.
 */
export function unflatten(attrs: Attributes, prefix: string): unknown {
  if (attrs[prefix]) return attrs[prefix];
  const keys = Object.keys(attrs).filter((k) => k.startsWith(`${prefix}.`));
  if (keys.length === 0) return undefined;
  const paths = keys.map((k) => ({ path: k.slice(prefix.length + 1).split('.'), value: attrs[k] }));
  const asArray = paths.some((p) => /^\d+$/.test(p.path[0]));
  const root: Record<string, unknown> | unknown[] = asArray ? [] : {};
  for (const { path, value } of paths) setPath(root, path, value);
  return Array.isArray(root) ? root.filter((v) => v !== undefined) : root;
}

const ROLE_EVENTS: Record<string, string> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
};

/** OTel GenAI message events: `gen_ai.<role>.message` events form the input list, `gen_ai.choice` events the output. */
export function messageEventsIO(events: SpanEvent[]): { input?: unknown; output?: unknown } | undefined {
  const input = events.filter((e) => e.name in ROLE_EVENTS).map((e) => ({ role: ROLE_EVENTS[e.name], ...e.attributes }));
  const output = events.filter((e) => e.name === 'gen_ai.choice').map((e) => e.attributes);
  if (input.length === 0 && output.length === 0) return undefined;
  return { input: input.length > 0 ? input : undefined, output: output.length === 0 ? undefined : output.length === 1 ? output[0] : output };
}

/** Text of a system-instruction item: a string, `{content: string}`, or the text of its `parts`. */
function instructionText(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  if (!isPlainObject(item)) return undefined;
  if (typeof item.content === 'string') return item.content;
  if (Array.isArray(item.parts)) {
    const texts = item.parts.map(instructionText).filter((t): t is string => t !== undefined);
    return texts.length > 0 ? texts.join('\n') : undefined;
  }
  return undefined;
}

/** `gen_ai.system_instructions` as system messages: structured `{role?, parts}` messages are kept, text parts are joined. */
function systemMessages(instructions: unknown): Record<string, unknown>[] {
  const parsed = parseJsonString(instructions);
  if (typeof parsed === 'string') return parsed ? [{ role: 'system', content: parsed }] : [];
  if (!Array.isArray(parsed)) return isPlainObject(parsed) ? systemMessages([parsed]) : [];
  if (parsed.length > 0 && parsed.every((m) => isPlainObject(m) && Array.isArray(m.parts))) {
    return parsed.map((m) => ({ ...(m as Record<string, unknown>), role: (m as Record<string, unknown>).role ?? 'system' }));
  }
  const texts = parsed.map(instructionText).filter((t): t is string => t !== undefined);
  return texts.length > 0 ? [{ role: 'system', content: texts.join('\n') }] : [];
}

/** Prepends the system instructions to an input message list that has no system message yet. */
export function withSystemInstructions(input: unknown, instructions: unknown): unknown {
  if (instructions === undefined || instructions === null || instructions === '') return input;
  const messages = parseJsonString(input);
  const list = Array.isArray(messages) ? messages : messages === undefined || messages === null ? [] : undefined;
  if (!list) return input;
  if (list.some((m) => isPlainObject(m) && m.role === 'system')) return input;
  const system = systemMessages(instructions);
  return system.length > 0 ? [...system, ...list] : input;
}
