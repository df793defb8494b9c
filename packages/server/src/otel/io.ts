import { LF, parseJsonString } from './attributes.js';
import { messageEventsIO, unflatten, withSystemInstructions, type SpanEvent } from './messages.js';
import type { Attributes } from './otlp-values.js';

export interface IO {
  input?: unknown;
  output?: unknown;
}

interface IOSource {
  attrs: Attributes;
  events: SpanEvent[];
  scopeName: string;
}

/** Keys that hold input/output; they are left out of the `attributes` metadata copy. */
export const IO_KEYS = new Set([
  LF.TRACE_INPUT, LF.TRACE_OUTPUT, LF.OBS_INPUT, LF.OBS_OUTPUT,
  'genkit:input', 'genkit:output',
  'ai.prompt.messages', 'ai.prompt', 'ai.toolCall.args', 'ai.response.text', 'ai.result.text', 'ai.toolCall.result',
  'ai.response.object', 'ai.result.object', 'ai.response.toolCalls', 'ai.result.toolCalls',
  'gcp.vertex.agent.llm_request', 'gcp.vertex.agent.llm_response', 'gcp.vertex.agent.tool_call_args', 'gcp.vertex.agent.tool_response',
  'prompt', 'all_messages_events', 'events',
  'lk.input_text', 'lk.user_transcript', 'lk.chat_ctx', 'lk.user_input', 'lk.function_tool.output', 'lk.response.text',
  'mlflow.spanInputs', 'mlflow.spanOutputs', 'traceloop.entity.input', 'traceloop.entity.output',
  'input.value', 'output.value', 'input', 'output', 'final_result', 'pydantic_ai.all_messages', 'tool_arguments', 'tool_response',
  'gen_ai.input.messages', 'gen_ai.output.messages', 'gen_ai.tool.call.arguments', 'gen_ai.tool.call.result',
]);
export const IO_PREFIXES = ['gen_ai.prompt.', 'gen_ai.completion.', 'llm.input_messages.', 'llm.output_messages.'];

const found = (input: unknown, output: unknown): IO | undefined => (input || output ? { input: input || undefined, output: output || undefined } : undefined);
const pair = (inKey: string, outKey: string) => (s: IOSource) => found(s.attrs[inKey], s.attrs[outKey]);
const firstKey = (attrs: Attributes, keys: string[]) => keys.map((k) => attrs[k]).find((v) => v !== undefined && v !== null);

function aiSdk({ attrs, scopeName }: IOSource): IO | undefined {
  if (scopeName !== 'ai') return undefined;
  const input = firstKey(attrs, ['ai.prompt.messages', 'ai.prompt', 'ai.toolCall.args']);
  let output: unknown;
  if ('ai.response.text' in attrs && 'ai.response.toolCalls' in attrs) {
    output = { role: 'assistant', content: attrs['ai.response.text'], tool_calls: parseJsonString(attrs['ai.response.toolCalls']) };
  } else {
    output = attrs['ai.response.text'] || firstKey(attrs, ['ai.result.text', 'ai.toolCall.result', 'ai.response.object', 'ai.result.object', 'ai.response.toolCalls', 'ai.result.toolCalls']);
  }
  return found(input, output);
}

function inferenceDetailsEvent({ events }: IOSource): IO | undefined {
  const e = events.find((ev) => ev.name === 'gen_ai.client.inference.operation.details');
  if (!e) return undefined;
  return found(withSystemInstructions(e.attributes['gen_ai.input.messages'], e.attributes['gen_ai.system_instructions']), e.attributes['gen_ai.output.messages']);
}

/** Legacy Semantic Kernel events: their attributes are read with the attribute rules. */
function contentEvents(s: IOSource): IO | undefined {
  const prompt = s.events.find((e) => e.name === 'gen_ai.content.prompt')?.attributes;
  const completion = s.events.find((e) => e.name === 'gen_ai.content.completion')?.attributes;
  if (!prompt && !completion) return undefined;
  const input = prompt ? (extractIO({ ...s, attrs: prompt, events: [] }).input ?? prompt) : undefined;
  const output = completion ? (extractIO({ ...s, attrs: completion, events: [] }).output ?? completion) : undefined;
  return { input, output };
}

function vertexAdk({ attrs }: IOSource): IO | undefined {
  let input = attrs['gcp.vertex.agent.llm_request'];
  let output = attrs['gcp.vertex.agent.llm_response'];
  if (!input || input === '{}') input = attrs['gcp.vertex.agent.tool_call_args'];
  if (!output || output === '{}') output = attrs['gcp.vertex.agent.tool_response'];
  return found(input, output);
}

function liveKit({ attrs }: IOSource): IO | undefined {
  return found(firstKey(attrs, ['lk.input_text', 'lk.user_transcript', 'lk.chat_ctx']), attrs['lk.function_tool.output'] || attrs['lk.response.text']);
}

/** Logfire's single `events` attribute: `gen_ai.choice` is the output, everything else the input. */
function logfireEvents({ attrs }: IOSource): IO | undefined {
  const raw = parseJsonString(attrs.events);
  if (!Array.isArray(raw)) return undefined;
  const isChoice = (e: unknown) => typeof e === 'object' && e !== null && (e as Record<string, unknown>)['event.name'] === 'gen_ai.choice';
  const inputs = raw.filter((e) => !isChoice(e));
  return found(inputs.length > 0 ? inputs : undefined, raw.find(isChoice));
}

function pydanticAi({ attrs, scopeName }: IOSource): IO | undefined {
  if (scopeName !== 'pydantic-ai') return undefined;
  return found(withSystemInstructions(attrs['pydantic_ai.all_messages'], attrs['gen_ai.system_instructions']), attrs.final_result);
}

function flattened(inPrefix: string, outPrefix: string) {
  return ({ attrs }: IOSource) => found(unflatten(attrs, inPrefix), unflatten(attrs, outPrefix));
}

function genAiMessages({ attrs }: IOSource): IO | undefined {
  const input = attrs['gen_ai.input.messages'];
  const output = attrs['gen_ai.output.messages'];
  if (!input && !output) return undefined;
  return found(withSystemInstructions(input, attrs['gen_ai.system_instructions']), output);
}

/** The framework rules after the Langfuse attributes, in Langfuse's order; the first that finds anything wins. */
const RULES: ((s: IOSource) => IO | undefined)[] = [
  pair('genkit:input', 'genkit:output'),
  aiSdk,
  inferenceDetailsEvent,
  (s) => messageEventsIO(s.events),
  contentEvents,
  vertexAdk,
  pair('prompt', 'all_messages_events'),
  liveKit,
  logfireEvents,
  pair('mlflow.spanInputs', 'mlflow.spanOutputs'),
  pair('traceloop.entity.input', 'traceloop.entity.output'),
  pair('input.value', 'output.value'),
  pair('input', 'output'),
  pydanticAi,
  pair('tool_arguments', 'tool_response'),
  flattened('gen_ai.prompt', 'gen_ai.completion'),
  flattened('llm.input_messages', 'llm.output_messages'),
  genAiMessages,
  pair('gen_ai.tool.call.arguments', 'gen_ai.tool.call.result'),
];

function extractIO(s: IOSource): IO {
  const input = s.attrs[LF.OBS_INPUT];
  const output = s.attrs[LF.OBS_OUTPUT];
  if ((input !== undefined && input !== null) || (output !== undefined && output !== null)) return { input, output };
  for (const rule of RULES) {
    const io = rule(s);
    if (io) return io;
  }
  return {};
}

/**
 * Input and output of a span's observation. Values that are JSON text are parsed, so a client
 * reading them back gets the structure the SDK serialised (as Langfuse's reads do).
 */
export function extractObservationIO(attrs: Attributes, events: SpanEvent[], scopeName: string): IO {
  const io = extractIO({ attrs, events, scopeName });
  return { input: parseJsonString(io.input), output: parseJsonString(io.output) };
}

/** Input and output of a root span's trace: `langfuse.trace.input/output`, else the observation's. */
export function extractTraceIO(attrs: Attributes, observationIO: IO): IO {
  return {
    input: attrs[LF.TRACE_INPUT] ? parseJsonString(attrs[LF.TRACE_INPUT]) : observationIO.input,
    output: attrs[LF.TRACE_OUTPUT] ? parseJsonString(attrs[LF.TRACE_OUTPUT]) : observationIO.output,
  };
}
