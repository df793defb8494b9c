import { z } from 'zod';

/** The largest prompt a run may send: the characters of all its messages together. */
export const MAX_PROMPT_CHARS = 100_000;
/** The largest `maxTokens` a run may ask for. */
export const MAX_OUTPUT_TOKENS = 8192;
export const MAX_MESSAGES = 100;

export const runBody = z
  .object({
    connectionId: z.string().min(1, 'must not be empty').max(200),
    model: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    messages: z
      .array(z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() }))
      .min(1, 'must hold at least one message')
      .max(MAX_MESSAGES, `must hold at most ${MAX_MESSAGES} messages`),
    temperature: z.number().min(0, 'must be between 0 and 2').max(2, 'must be between 0 and 2').nullish(),
    maxTokens: z.number().int('must be an integer').min(1, 'must be at least 1').max(MAX_OUTPUT_TOKENS, `must be at most ${MAX_OUTPUT_TOKENS}`).nullish(),
    topP: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').nullish(),
    prompt: z.object({ name: z.string().min(1).max(1000), version: z.number().int().min(1) }).nullish(),
  })
  .superRefine((b, ctx) => {
    const chars = b.messages.reduce((n, m) => n + m.content.length, 0);
    if (chars > MAX_PROMPT_CHARS) ctx.addIssue({ code: 'custom', path: ['messages'], message: `the prompt is ${chars} characters; at most ${MAX_PROMPT_CHARS} are sent` });
    if (b.messages.every((m) => m.content.trim() === '')) ctx.addIssue({ code: 'custom', path: ['messages'], message: 'every message is empty; write a prompt first' });
  });
export type RunBody = z.output<typeof runBody>;
