// Prompt objects as `getPrompt` returns them, with the `langfuse` v3 SDK's fields and `compile`.

/** One chat message of a chat prompt. @example `{ role: 'system', content: 'You are {{persona}}.' }` */
export interface ChatMessage {
  role: string;
  content: string;
}

/** A slot in a chat prompt filled with messages at compile time. @example `{ type: 'placeholder', name: 'history' }` */
export interface PlaceholderMessage {
  type: 'placeholder';
  name: string;
}

/** A chat prompt entry as the server stores it. @example `{ type: 'chatmessage', role: 'user', content: '{{q}}' }` */
export type ChatPromptItem = (ChatMessage & { type: 'chatmessage' }) | PlaceholderMessage;

/**
 * A prompt version as GET /api/public/v2/prompts/{name} returns it.
 * @example `{ name: 'greet', version: 3, type: 'text', prompt: 'Hi {{name}}', config: {}, labels: ['production', 'latest'], tags: [] }`
 */
export interface PromptResponse {
  name: string;
  version: number;
  type: 'text' | 'chat';
  prompt: string | (ChatMessage | ChatPromptItem)[];
  config: unknown;
  labels: string[];
  tags: string[];
  commitMessage?: string | null;
}

/**
 * What every prompt object has; `trace.generation({ prompt })` reads `name`, `version` and
 * `isFallback` to link the generation to the prompt version.
 * @example `const { name, version, config } = await sightline.getPrompt('greet');`
 */
export abstract class BasePromptClient {
  readonly name: string;
  readonly version: number;
  readonly config: unknown;
  readonly labels: string[];
  readonly tags: string[];
  readonly commitMessage: string | null | undefined;

  constructor(
    prompt: Omit<PromptResponse, 'type' | 'prompt'>,
    /** True when this is the caller's `fallback`: generations made with it are not linked. */
    readonly isFallback: boolean,
    readonly type: 'text' | 'chat',
  ) {
    this.name = prompt.name;
    this.version = prompt.version;
    this.config = prompt.config;
    this.labels = prompt.labels;
    this.tags = prompt.tags;
    this.commitMessage = prompt.commitMessage;
  }
}

/**
 * A text prompt. `compile` fills in `{{variables}}`.
 * @example
 * ```ts
 * const prompt = await sightline.getPrompt('greet');
 * prompt.compile({ name: 'Ada' }); // 'Hi Ada'
 * ```
 */
export class TextPromptClient extends BasePromptClient {
  readonly prompt: string;

  constructor(response: Omit<PromptResponse, 'type' | 'prompt'> & { prompt: string }, isFallback = false) {
    super(response, isFallback, 'text');
    this.prompt = response.prompt;
  }

  /** The prompt with each `{{name}}` replaced by `variables[name]`; see {@link renderTemplate}. */
  compile(variables: Record<string, unknown> = {}): string {
    return renderTemplate(this.prompt, variables);
  }
}

/**
 * A chat prompt. `compile` fills in the placeholders, then the `{{variables}}` of every message.
 * @example
 * ```ts
 * const prompt = await sightline.getPrompt('support', undefined, { type: 'chat' });
 * prompt.compile({ product: 'Sightline' }, { history: [{ role: 'user', content: 'hi' }] });
 * ```
 */
export class ChatPromptClient extends BasePromptClient {
  readonly prompt: ChatPromptItem[];

  constructor(response: Omit<PromptResponse, 'type' | 'prompt'> & { prompt: (ChatMessage | ChatPromptItem)[] }, isFallback = false) {
    super(response, isFallback, 'chat');
    // Older servers send plain {role, content} messages without a type.
    this.prompt = response.prompt.map((item) => ('type' in item ? item : { type: 'chatmessage' as const, ...item }));
  }

  /**
   * The messages with each placeholder replaced by `placeholders[name]` (an empty list removes
   * it; a placeholder without a value stays as it is; a value that is not a list of messages is
   * inserted as its JSON text, as `langfuse` does), then `{{variables}}` filled in every message.
   */
  compile(variables: Record<string, unknown> = {}, placeholders: Record<string, unknown> = {}): (ChatMessage | PlaceholderMessage | string)[] {
    const out: (ChatMessage | PlaceholderMessage | string)[] = [];
    for (const item of this.prompt) {
      if (item.type === 'placeholder') {
        const value = placeholders[item.name];
        if (Array.isArray(value) && value.every(isMessage)) out.push(...value.map((m) => (typeof m.content === 'string' ? { ...m, content: renderTemplate(m.content, variables) } : m)));
        else if (value !== undefined) out.push(JSON.stringify(value));
        else out.push(item);
      } else {
        out.push({ role: item.role, content: renderTemplate(item.content, variables) });
      }
    }
    return out;
  }
}

/** A text or chat prompt object. @example `const prompt: PromptClient = await sightline.getPrompt('greet');` */
export type PromptClient = TextPromptClient | ChatPromptClient;

/** The client object for a server response. */
export function toPromptClient(response: PromptResponse, isFallback = false): PromptClient {
  if (response.type === 'chat' && Array.isArray(response.prompt)) return new ChatPromptClient({ ...response, prompt: response.prompt }, isFallback);
  return new TextPromptClient({ ...response, prompt: typeof response.prompt === 'string' ? response.prompt : JSON.stringify(response.prompt) }, isFallback);
}

function isMessage(value: unknown): value is ChatMessage {
  return typeof value === 'object' && value !== null && 'role' in value && 'content' in value;
}

const VARIABLE = /\{\{\s*([\w.-]+)\s*\}\}/g;

/**
 * Fills `{{name}}` (and `{{ a.b }}` paths) as the `langfuse` v3 SDK's mustache rendering does
 * without HTML escaping: a missing or null variable becomes the empty string, objects their
 * `String()`. Mustache sections (`{{#x}}…{{/x}}`) are not interpreted and stay in the text.
 * @example `renderTemplate('Hi {{ user.name }}', { user: { name: 'Ada' } }) === 'Hi Ada'`
 */
export function renderTemplate(template: string, variables: Record<string, unknown>): string {
  return template.replace(VARIABLE, (_match, path: string) => {
    let value: unknown = variables;
    for (const part of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    return value === undefined || value === null ? '' : String(value);
  });
}
