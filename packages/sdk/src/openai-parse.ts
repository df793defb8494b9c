// What to record from OpenAI requests, responses and stream chunks. Plain data in, plain data out.

type Params = Record<string, unknown>;
type Obj = Record<string, any>;

/** The OpenAI client methods that are recorded as generations. */
export const OBSERVED_METHODS = new Set(['chat.completions.create', 'completions.create', 'responses.create', 'embeddings.create']);

const PARAMETER_KEYS = [
  'temperature', 'max_tokens', 'max_completion_tokens', 'max_output_tokens', 'top_p', 'frequency_penalty',
  'presence_penalty', 'n', 'seed', 'stop', 'stream', 'reasoning_effort', 'tool_choice', 'parallel_tool_calls',
  'logprobs', 'top_logprobs', 'service_tier', 'dimensions', 'encoding_format', 'user',
];

/** Model parameters from the request: scalars as given, anything else as JSON text. */
export function modelParameters(params: Params): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const key of PARAMETER_KEYS) {
    const v = params[key];
    if (v === undefined || v === null) continue;
    out[key] = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v);
  }
  return out;
}

/** The request's input: chat messages, a prompt, a Responses input (with instructions) or embedding input. */
export function requestInput(method: string, params: Params): unknown {
  if (method === 'chat.completions.create') return params.tools ? { messages: params.messages, tools: params.tools } : params.messages;
  if (method === 'completions.create') return params.prompt;
  if (method === 'responses.create' && params.instructions) return { instructions: params.instructions, input: params.input };
  return params.input;
}

/** Usage in the shapes the server normalises (OpenAI Chat/Responses usage objects pass through). */
export function usageDetails(usage: Obj | undefined | null): Record<string, number> | undefined {
  if (!usage || typeof usage !== 'object') return undefined;
  if (typeof usage.prompt_tokens === 'number' && typeof usage.completion_tokens === 'number') return usage;
  if (typeof usage.input_tokens === 'number' && typeof usage.output_tokens === 'number') return usage;
  const out: Record<string, number> = {};
  if (typeof usage.prompt_tokens === 'number') out.input = usage.prompt_tokens;
  if (typeof usage.total_tokens === 'number') out.total = usage.total_tokens;
  return Object.keys(out).length ? out : undefined;
}

/** The output of a non-streamed response. Embedding vectors are summarised, not stored. */
export function responseOutput(method: string, res: Obj): unknown {
  if (method === 'chat.completions.create') {
    const messages = (res.choices as Obj[] | undefined)?.map((c) => c.message);
    return messages && messages.length === 1 ? messages[0] : messages;
  }
  if (method === 'completions.create') {
    const texts = (res.choices as Obj[] | undefined)?.map((c) => c.text as string);
    return texts && texts.length === 1 ? texts[0] : texts;
  }
  if (method === 'responses.create') return res.output_text ?? res.output;
  const data = res.data as Obj[] | undefined;
  return { embeddings: data?.length ?? 0, dimensions: (data?.[0]?.embedding as unknown[] | undefined)?.length };
}

/** Accumulates a streamed answer chunk by chunk. */
export class StreamAccumulator {
  private text = '';
  private toolCalls: Obj[] = [];
  private responsesOutput: unknown;
  usage: Record<string, number> | undefined;
  model: string | undefined;

  constructor(private readonly method: string) {}

  add(chunk: Obj): void {
    if (!chunk || typeof chunk !== 'object') return;
    if (typeof chunk.model === 'string') this.model = chunk.model;
    if (chunk.usage) this.usage = usageDetails(chunk.usage);
    if (this.method === 'responses.create') return this.addResponsesEvent(chunk);
    const choice = (chunk.choices as Obj[] | undefined)?.[0];
    if (!choice) return;
    if (this.method === 'completions.create') this.text += (choice.text as string | undefined) ?? '';
    const delta = choice.delta as Obj | undefined;
    if (typeof delta?.content === 'string') this.text += delta.content;
    for (const call of (delta?.tool_calls as Obj[] | undefined) ?? []) this.addToolCall(call);
  }

  output(): unknown {
    if (this.method === 'responses.create') return this.responsesOutput ?? this.text;
    if (this.method === 'completions.create') return this.text;
    return this.toolCalls.length ? { role: 'assistant', content: this.text || null, tool_calls: this.toolCalls } : { role: 'assistant', content: this.text };
  }

  private addResponsesEvent(event: Obj): void {
    if (event.type === 'response.output_text.delta' && typeof event.delta === 'string') this.text += event.delta;
    const response = event.response as Obj | undefined;
    if (event.type === 'response.completed' && response) {
      this.responsesOutput = response.output_text ?? (this.text || response.output);
      this.usage = usageDetails(response.usage as Obj);
      if (typeof response.model === 'string') this.model = response.model;
    }
  }

  private addToolCall(call: Obj): void {
    const index = typeof call.index === 'number' ? call.index : this.toolCalls.length;
    const fn = call.function as Obj | undefined;
    const existing = (this.toolCalls[index] ??= { id: call.id, type: 'function', function: { name: '', arguments: '' } });
    if (call.id) existing.id = call.id;
    if (fn?.name) existing.function.name += fn.name;
    if (fn?.arguments) existing.function.arguments += fn.arguments;
  }
}
