import type { PromptChatItem, PromptVersionView } from '../types.js';

export type Role = 'system' | 'user' | 'assistant';
export interface DraftMessage {
  /** Stable React key. */
  key: number;
  role: Role;
  content: string;
}

/** What the playground edits: a text prompt or chat messages, and the parameters (empty: the provider's default). */
export interface Draft {
  mode: 'text' | 'chat';
  text: string;
  messages: DraftMessage[];
  temperature: string;
  maxTokens: string;
  topP: string;
}

let nextKey = 1;
export const message = (role: Role, content = ''): DraftMessage => ({ key: nextKey++, role, content });

export const emptyDraft = (): Draft => ({
  mode: 'chat', text: '', messages: [message('system', 'You are a helpful assistant.'), message('user')], temperature: '', maxTokens: '', topP: '',
});

const isRole = (r: string): r is Role => r === 'system' || r === 'user' || r === 'assistant';
const configNumber = (config: Record<string, unknown>, key: string) => (typeof config[key] === 'number' ? String(config[key]) : '');

/**
 * A prompt version as a draft: chat messages with a role the providers take (placeholders and
 * other roles are dropped and counted), and the parameters its config names.
 */
export function draftFromPrompt(v: PromptVersionView): { draft: Draft; dropped: number; model: string | null } {
  const config = (v.config ?? {}) as Record<string, unknown>;
  const params = { temperature: configNumber(config, 'temperature'), maxTokens: configNumber(config, 'max_tokens'), topP: configNumber(config, 'top_p') };
  const model = typeof config.model === 'string' ? config.model : null;
  if (typeof v.prompt === 'string') return { draft: { ...emptyDraft(), mode: 'text', text: v.prompt, ...params }, dropped: 0, model };
  const items = v.prompt;
  const kept = items.filter((m): m is Extract<PromptChatItem, { role: string }> => 'role' in m && isRole(m.role));
  return {
    draft: { ...emptyDraft(), mode: 'chat', messages: kept.map((m) => message(m.role as Role, m.content)), ...params },
    dropped: items.length - kept.length,
    model,
  };
}

/** A number field: null when empty, NaN when it is not a number (see `paramProblem`). */
export const numberOrNull = (text: string): number | null => (text.trim() === '' ? null : Number(text));

/** The first parameter that is not a number, named as the form names it; null when all are fine. */
export function paramProblem(d: Draft): string | null {
  const fields: [string, string][] = [['Temperature', d.temperature], ['Max tokens', d.maxTokens], ['Top p', d.topP]];
  const bad = fields.find(([, text]) => Number.isNaN(numberOrNull(text)));
  return bad ? `${bad[0]}: must be a number` : null;
}

/** The prompt version's config: the parameters that are set, and the model. */
export function configOf(d: Draft, model: string): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (model) config.model = model;
  const t = numberOrNull(d.temperature);
  const m = numberOrNull(d.maxTokens);
  const p = numberOrNull(d.topP);
  if (t !== null && !Number.isNaN(t)) config.temperature = t;
  if (m !== null && !Number.isNaN(m)) config.max_tokens = m;
  if (p !== null && !Number.isNaN(p)) config.top_p = p;
  return config;
}
