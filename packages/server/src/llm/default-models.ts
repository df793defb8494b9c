import type { LlmConnectionRecord } from '@sightline/storage';

/**
 * The models offered for a connection when it keeps `withDefaultModels`: a short list of each
 * provider's current chat models. Azure serves deployments, whose names only the user knows
 * (its custom models).
 */
export const DEFAULT_MODELS: Record<string, readonly string[]> = {
  openai: ['gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o', 'gpt-4o-mini', 'o3-mini', 'o4-mini'],
  azure: [],
  anthropic: ['claude-sonnet-4-20250514', 'claude-opus-4-20250514', 'claude-3-7-sonnet-20250219', 'claude-3-5-haiku-20241022'],
};

/** The connection's models: its custom ones first, then the adapter's defaults (when kept), without repeats. */
export function modelsOf(c: Pick<LlmConnectionRecord, 'adapter' | 'customModels' | 'withDefaultModels'>): string[] {
  return [...new Set([...c.customModels, ...(c.withDefaultModels ? (DEFAULT_MODELS[c.adapter] ?? []) : [])])];
}
