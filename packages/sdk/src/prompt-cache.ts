import type { PromptClient } from './prompt-clients.js';

/** Seconds a fetched prompt is served without asking the server again (the `langfuse` v3 default). */
export const DEFAULT_PROMPT_CACHE_TTL_SECONDS = 60;

interface Entry {
  value: PromptClient;
  expiresAt: number;
}

/**
 * The per-process prompt cache. Expired entries are kept: they are served while one background
 * refresh runs (stale-while-revalidate), and when the server is away they keep being served.
 */
export class PromptCache {
  private readonly entries = new Map<string, Entry>();
  private readonly refreshing = new Set<string>();

  constructor(private readonly now: () => number = Date.now) {}

  /** `name-label:production`, `name-version:3`, as `langfuse` keys its cache. */
  static key(name: string, version: number | undefined, label: string | undefined): string {
    if (version !== undefined) return `${name}-version:${version}`;
    return `${name}-label:${label ?? 'production'}`;
  }

  get(key: string): { value: PromptClient; expired: boolean } | undefined {
    const entry = this.entries.get(key);
    return entry && { value: entry.value, expired: this.now() > entry.expiresAt };
  }

  set(key: string, value: PromptClient, ttlSeconds = DEFAULT_PROMPT_CACHE_TTL_SECONDS): void {
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  /** Runs `refresh` unless one is already running for `key`; never rejects. */
  refreshOnce(key: string, refresh: () => Promise<unknown>): void {
    if (this.refreshing.has(key)) return;
    this.refreshing.add(key);
    void refresh()
      .catch(() => {})
      .finally(() => this.refreshing.delete(key));
  }

  /** Drops every entry of the prompt `name` (after a write that may move its labels). */
  invalidate(name: string): void {
    for (const [key, entry] of this.entries) if (entry.value.name === name) this.entries.delete(key);
  }
}
