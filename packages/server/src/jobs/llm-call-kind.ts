import type { Storage } from '@sightline/storage';
import { z } from 'zod';
import type { ChatParams } from '../llm/chat-adapter.js';
import { openConnection, type LlmDeps } from '../llm/llm-deps.js';
import { permanent } from './job-error.js';
import type { JobKind } from './job-kind.js';

export const LLM_CALL = 'llm-call';

const payloadSchema = z.object({
  /** The connection's provider name in the job's project. */
  provider: z.string().min(1),
  messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() })).min(1),
  params: z.object({
    model: z.string().min(1),
    temperature: z.number().optional(),
    maxTokens: z.number().int().positive().optional(),
    topP: z.number().optional(),
    stop: z.array(z.string()).optional(),
    json: z.boolean().optional(),
  }),
});
export type LlmCallPayload = z.infer<typeof payloadSchema>;

/**
 * One chat completion through a project's LLM connection; the result is the answer's text,
 * model and usage. Calls to one connection share the runner's per-key limit. The building block
 * evaluations are made of.
 */
export function llmCallKind(storage: Storage, llm: LlmDeps): JobKind {
  const parse = (payload: unknown): LlmCallPayload => {
    const parsed = payloadSchema.safeParse(payload);
    if (!parsed.success) throw permanent(`llm-call payload: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    return parsed.data;
  };
  return {
    name: LLM_CALL,
    concurrencyKey: (job) => {
      const provider = (job.payload as { provider?: unknown } | null)?.provider;
      return typeof provider === 'string' ? `${job.projectId}:${provider}` : null;
    },
    async run(payload, { job, signal }) {
      const p = parse(payload);
      const adapter = await openConnection(storage, llm, job.projectId, p.provider);
      return adapter.chat(p.messages, p.params satisfies ChatParams, signal);
    },
  };
}
