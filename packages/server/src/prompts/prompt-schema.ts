import { z } from 'zod';

/**
 * Limits of a prompt version (documented in the README). The JSON body limit (1 MB) bounds a
 * request; these name the field and the rule instead of a bare 413.
 */
export const PROMPT_LIMITS = {
  nameChars: 500,
  /** Characters of a text prompt, or of all message contents of a chat prompt together. */
  promptChars: 500_000,
  chatMessages: 1_000,
  labels: 50,
  labelChars: 100,
  tags: 50,
  tagChars: 100,
  commitMessageChars: 10_000,
} as const;

/** Langfuse's label rule: lower-case letters, digits, `_`, `.` and `-`. */
export const LABEL_FORMAT = /^[a-z0-9_.-]+$/;

const noNul = (s: string) => !s.includes('\u0000');

export const promptName = z
  .string()
  .min(1, 'must not be empty')
  .max(PROMPT_LIMITS.nameChars, `must be at most ${PROMPT_LIMITS.nameChars} characters`)
  .refine(noNul, 'must not contain NUL characters');

export const labelList = z
  .array(
    z
      .string()
      .max(PROMPT_LIMITS.labelChars, `must be at most ${PROMPT_LIMITS.labelChars} characters`)
      .regex(LABEL_FORMAT, 'must consist of lower-case letters, digits, _ . and - only'),
  )
  .max(PROMPT_LIMITS.labels, `must hold at most ${PROMPT_LIMITS.labels} labels`);

const tagList = z
  .array(z.string().min(1, 'must not be empty').max(PROMPT_LIMITS.tagChars, `must be at most ${PROMPT_LIMITS.tagChars} characters`).refine(noNul, 'must not contain NUL characters'))
  .max(PROMPT_LIMITS.tags, `must hold at most ${PROMPT_LIMITS.tags} tags`);

const chatMessage = z.object({
  type: z.literal('chatmessage').optional(),
  role: z.string('must be a string').min(1, 'must not be empty'),
  content: z.string('must be a string'),
});
const placeholder = z.object({ type: z.literal('placeholder'), name: z.string('must be a string').min(1, 'must not be empty') });

const chatPrompt = z
  .array(z.union([placeholder, chatMessage], 'must be a chat message {role, content} or a placeholder {type: "placeholder", name}'))
  .max(PROMPT_LIMITS.chatMessages, `must hold at most ${PROMPT_LIMITS.chatMessages} messages`)
  .refine((ms) => ms.reduce((n, m) => n + ('content' in m ? m.content.length : 0), 0) <= PROMPT_LIMITS.promptChars, `message contents must total at most ${PROMPT_LIMITS.promptChars} characters`)
  .transform((ms) => ms.map((m) => ('content' in m ? { role: m.role, content: m.content } : { type: 'placeholder' as const, name: m.name })));

const common = {
  name: promptName,
  config: z.unknown().optional(),
  labels: labelList.optional(),
  tags: tagList.nullish(),
  commitMessage: z.string().max(PROMPT_LIMITS.commitMessageChars, `must be at most ${PROMPT_LIMITS.commitMessageChars} characters`).nullish(),
};

/** POST /api/public/v2/prompts: a text prompt (the default type) or a chat prompt. */
export const createPromptBody = z.discriminatedUnion('type', [
  z.object({
    ...common,
    type: z.literal('text'),
    prompt: z.string('must be a string for a text prompt').max(PROMPT_LIMITS.promptChars, `must be at most ${PROMPT_LIMITS.promptChars} characters`),
  }),
  z.object({ ...common, type: z.literal('chat'), prompt: chatPrompt }),
], 'type: must be "text" or "chat"');

export type CreatePromptBody = z.infer<typeof createPromptBody>;

/** PATCH /api/public/v2/prompts/{name}/versions/{version}. */
export const updateLabelsBody = z.object({ newLabels: labelList });
