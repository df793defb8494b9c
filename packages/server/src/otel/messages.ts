import { setOwn } from '@sightline/core';
import { isPlainObject, parseJsonString } from './attributes.js';
import type { Attributes } from './otlp-values.js';

/** A span event with its attributes already converted to plain values. */
export interface SpanEvent {
  name: string;
  attributes: Attributes;
}

/** Deepest object a flattened attribute name may spell; segments beyond it stay joined as one key. */
export const MAX_PATH_DEPTH = 32;

/** A node of the tree that attribute names spell: a leaf value or named children (a Map, so no key is special). */
type PathNode = { leaf: true; value: unknown } | { leaf: false; children: Map<string, PathNode> };

const isIndex = (segment: string) => /^\d+$/.test(segment);

/** Numeric order of index segments of any length (no precision is lost on huge ones). */
function byIndex(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}

/** `a.b.c…` split on dots, with everything past `MAX_PATH_DEPTH` segments kept as the last key. */
function segments(name: string): string[] {
  const parts = name.split('.');
  if (parts.length <= MAX_PATH_DEPTH) return parts;
  return [...parts.slice(0, MAX_PATH_DEPTH - 1), parts.slice(MAX_PATH_DEPTH - 1).join('.')];
}

function insert(root: Map<string, PathNode>, path: string[], value: unknown): void {
  let children = root;
  for (let i = 0; i < path.length - 1; i++) {
    let node = children.get(path[i]);
    if (!node || node.leaf) children.set(path[i], (node = { leaf: false, children: new Map() }));
    children = node.children;
  }
  children.set(path[path.length - 1], { leaf: true, value });
}

/**
 * The value a tree spells: an array when every key is an index (in index order, without gaps,
 * so `…prompt.4000000000` cannot allocate a huge array), an object otherwise (so no key is
 * lost). Keys become own data properties: `__proto__` or `constructor` are ordinary keys and no
 * prototype is touched.
 */
function build(children: Map<string, PathNode>): unknown {
  const value = (node: PathNode) => (node.leaf ? node.value : build(node.children));
  if ([...children.keys()].every(isIndex)) {
    return [...children.entries()]
      .sort(([a], [b]) => byIndex(a, b))
      .map(([, node]) => value(node));
  }
  const out: Record<string, unknown> = {};
  for (const [key, node] of children) setOwn(out, key, value(node));
  return out;
}

/**
 * Rebuilds flattened attributes (`<prefix>.0.role`, `<prefix>.0.content`, …) into the value
 * they spell: an array when every first segment is an index, an object otherwise. A value stored
 * at `<prefix>` itself wins. `undefined` when no key has the prefix. Nesting is bounded by
 * `MAX_PATH_DEPTH`.
 */
export function unflatten(attrs: Attributes, prefix: string): unknown {
  if (attrs[prefix]) return attrs[prefix];
  const keys = Object.keys(attrs).filter((k) => k.startsWith(`${prefix}.`));
  if (keys.length === 0) return undefined;
  const root = new Map<string, PathNode>();
  for (const key of keys) insert(root, segments(key.slice(prefix.length + 1)), attrs[key]);
  return build(root);
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
