import type { PromptChatItem } from '../types.js';
import { isPlaceholder } from './prompt-text.js';

/** A chat entry being edited; `id` keeps React's keys stable while entries move. */
export type DraftItem = { id: number; kind: 'message'; role: string; content: string } | { id: number; kind: 'placeholder'; name: string };

let nextId = 1;
export const newMessage = (role = 'user', content = ''): DraftItem => ({ id: nextId++, kind: 'message', role, content });
export const newPlaceholder = (name = ''): DraftItem => ({ id: nextId++, kind: 'placeholder', name });

export const toDraft = (items: PromptChatItem[]): DraftItem[] => items.map((m) => (isPlaceholder(m) ? newPlaceholder(m.name) : newMessage(m.role, m.content)));

export const fromDraft = (items: DraftItem[]): PromptChatItem[] =>
  items.map((m) => (m.kind === 'placeholder' ? { type: 'placeholder' as const, name: m.name } : { role: m.role, content: m.content }));

/** `items` with the entry at `i` moved by `delta` (out-of-range moves change nothing). */
export function move<T>(items: T[], i: number, delta: number): T[] {
  const j = i + delta;
  if (j < 0 || j >= items.length) return items;
  const next = [...items];
  [next[i], next[j]] = [next[j], next[i]];
  return next;
}

/** Config text as JSON, or the parser's complaint. */
export function parseConfig(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Comma- or space-separated labels, without empties and duplicates. */
export const parseLabels = (text: string): string[] => [...new Set(text.split(/[\s,]+/).filter(Boolean))];
