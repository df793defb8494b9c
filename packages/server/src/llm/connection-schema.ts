import type { LlmConnectionRecord } from '@sightline/storage';
import { z } from 'zod';

/** The adapters Sightline speaks; Langfuse's other ones (bedrock, google-*) are refused by name. */
export const ADAPTERS = ['openai', 'azure', 'anthropic'] as const;
export type Adapter = (typeof ADAPTERS)[number];
const KNOWN_ELSEWHERE = ['bedrock', 'google-vertex-ai', 'google-ai-studio'];

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Set by the adapter itself; an extra header may not replace them. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection']);

export const upsertConnectionBody = z.object({
  provider: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  adapter: z.string().superRefine((a, ctx) => {
    if ((ADAPTERS as readonly string[]).includes(a)) return;
    ctx.addIssue({
      code: 'custom',
      message: KNOWN_ELSEWHERE.includes(a) ? `${a} is not supported by Sightline; use one of ${ADAPTERS.join(', ')}` : `must be one of ${ADAPTERS.join(', ')}`,
    });
  }).transform((a) => a as Adapter),
  secretKey: z.string().min(1, 'must not be empty').max(10_000, 'must be at most 10000 characters'),
  baseURL: z.string().max(2000, 'must be at most 2000 characters').url('must be an http or https URL').nullish(),
  customModels: z.array(z.string().trim().min(1, 'must not be empty').max(200)).max(500).nullish(),
  withDefaultModels: z.boolean().nullish(),
  extraHeaders: z
    .record(
      z.string().regex(HEADER_NAME, 'must be an HTTP header name').refine((h) => !RESERVED_HEADERS.has(h.toLowerCase()), 'is set by Sightline itself'),
      z.string().max(8000).refine((v) => !/[\r\n\0]/.test(v), 'must not contain line breaks'),
    )
    .nullish(),
  config: z.record(z.string(), z.unknown()).nullish(),
});
export type UpsertConnectionBody = z.output<typeof upsertConnectionBody>;

/**
 * Langfuse's `config` rules for the adapters Sightline has: OpenAI may say
 * `{"useResponsesApi": false}` (Sightline always calls chat completions); the others take none.
 */
export function configProblem(adapter: Adapter, config: Record<string, unknown> | null | undefined): string | null {
  if (config == null) return null;
  if (adapter === 'openai') {
    const keys = Object.keys(config);
    if (keys.every((k) => k === 'useResponsesApi') && (config.useResponsesApi === false || config.useResponsesApi === undefined)) return null;
    return 'config: for openai only {"useResponsesApi": false} is accepted (Sightline calls the chat completions API)';
  }
  return `config: not used by the ${adapter} adapter; omit it or send null`;
}

/** The public shape: secrets excluded, the extra headers by name only. */
export function presentConnection(c: LlmConnectionRecord) {
  return {
    id: c.id,
    provider: c.provider,
    adapter: c.adapter,
    displaySecretKey: c.displaySecretKey,
    baseURL: c.baseURL,
    customModels: c.customModels,
    withDefaultModels: c.withDefaultModels,
    extraHeaderKeys: c.extraHeaderKeys,
    config: c.config,
    createdAt: new Date(c.createdAt).toISOString(),
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
}
