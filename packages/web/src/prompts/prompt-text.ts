import type { PromptChatItem, PromptVersionView } from '../types.js';

/** A piece of prompt text: plain, a `{{variable}}`, or a `@@@langfusePrompt:…@@@` reference to another prompt. */
export interface TextPart {
  kind: 'text' | 'variable' | 'reference';
  text: string;
}

// Langfuse's compile() replaces `{{name}}` (spaces inside the braces allowed); references are resolved when served.
const TOKENS = /(\{\{\s*[^{}\s]+\s*\}\})|(@@@langfusePrompt:.+?@@@)/g;

export function splitVariables(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const m of text.matchAll(TOKENS)) {
    if (m.index > last) parts.push({ kind: 'text', text: text.slice(last, m.index) });
    parts.push({ kind: m[1] ? 'variable' : 'reference', text: m[0] });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/** The distinct `{{variable}}` names of a text, in order of appearance. */
export function variableNames(text: string): string[] {
  const names = splitVariables(text)
    .filter((p) => p.kind === 'variable')
    .map((p) => p.text.slice(2, -2).trim());
  return [...new Set(names)];
}

export const isPlaceholder = (m: PromptChatItem): m is { type: 'placeholder'; name: string } => 'type' in m && m.type === 'placeholder';

/** A version as lines for the diff: the text, or each chat message under a `[role]` line. */
export function promptLines(v: Pick<PromptVersionView, 'type' | 'prompt'>): string[] {
  if (typeof v.prompt === 'string') return v.prompt.split('\n');
  return v.prompt.flatMap((m) => (isPlaceholder(m) ? [`[placeholder: ${m.name}]`] : [`[${m.role}]`, ...m.content.split('\n')]));
}

export const configLines = (config: unknown): string[] => JSON.stringify(config ?? {}, null, 2).split('\n');

/** Every variable of a version (text or chat messages). */
export function versionVariables(v: Pick<PromptVersionView, 'prompt'>): string[] {
  const texts = typeof v.prompt === 'string' ? [v.prompt] : v.prompt.map((m) => (isPlaceholder(m) ? '' : m.content));
  return [...new Set(texts.flatMap(variableNames))];
}
