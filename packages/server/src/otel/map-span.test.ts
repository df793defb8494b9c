import { describe, expect, it } from 'vitest';
import { mapExport } from './map-export.js';
import type { IngestionEvent } from './map-span.js';
import { otlpExport, otlpSpan, type ExportOptions, type SpanSpec } from './otlp-builder.js';

const T = '0af7651916cd43dd8448eb211c80319c';
const ROOT = 'b7ad6b7169203331';
const CHILD = '00f067aa0ba902b7';
const START = Date.parse('2024-05-01T10:00:00.000Z');

function map(specs: Partial<SpanSpec>[], options?: ExportOptions) {
  const spans = specs.map((s) => otlpSpan({ traceId: T, spanId: CHILD, parentSpanId: ROOT, startMs: START, ...s }));
  const { events } = mapExport(otlpExport(spans, options).resourceSpans);
  return {
    traces: events.filter((e) => e.type === 'trace-create'),
    observations: events.filter((e) => e.type !== 'trace-create'),
  };
}

/** The one observation body of a single-span export. */
const obs = (attributes: Record<string, unknown>, extra: Partial<SpanSpec> = {}, options?: ExportOptions) =>
  map([{ attributes, ...extra }], options).observations[0].body;

describe('span → trace events', () => {
  it('a root span makes a full trace-create named after the span, at the span start', () => {
    const { traces, observations } = map([{ spanId: ROOT, parentSpanId: undefined, name: 'chat-request' }]);
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({
      id: `otel-trace-${T}-${ROOT}`,
      timestamp: '2024-05-01T10:00:00.000Z',
      body: { id: T, timestamp: '2024-05-01T10:00:00.000Z', name: 'chat-request' },
    });
    expect(observations[0]).toMatchObject({ id: `otel-${T}-${ROOT}`, type: 'span-create', timestamp: '2024-05-01T10:00:00.000Z' });
    expect(observations[0].body).toMatchObject({ id: ROOT, traceId: T, name: 'chat-request', startTime: '2024-05-01T10:00:00.000Z', endTime: '2024-05-01T10:00:00.100Z' });
    expect(observations[0].body.parentObservationId).toBeUndefined();
  });

  it('langfuse.trace.name names the trace; langfuse.internal.as_root makes a child a root', () => {
    const { traces } = map([{ name: 'child', attributes: { 'langfuse.internal.as_root': true, 'langfuse.trace.name': 'my-trace' } }]);
    expect(traces[0].body).toMatchObject({ id: T, name: 'my-trace' });
  });

  it('a child with trace-level attributes makes a partial trace-create carrying only those', () => {
    const { traces } = map([{ attributes: { 'user.id': 'u1', 'langfuse.trace.metadata.k': 'v' } }]);
    expect(traces).toHaveLength(1);
    expect(traces[0].body).toMatchObject({ id: T, userId: 'u1', metadata: { k: 'v' } });
    expect(traces[0].body.name).toBeUndefined();
    expect(traces[0].body.input).toBeUndefined();
  });

  it('plain children make one shallow trace-create per trace, dropped when the export holds a fuller one', () => {
    const shallowOnly = map([{ spanId: '1111111111111111' }, { spanId: '2222222222222222' }], { resource: { 'deployment.environment': 'Prod' } });
    expect(shallowOnly.traces).toHaveLength(1);
    expect(shallowOnly.traces[0].body).toEqual({ id: T, timestamp: '2024-05-01T10:00:00.000Z', environment: 'Prod' });
    const withRoot = map([{ spanId: '1111111111111111' }, { spanId: ROOT, parentSpanId: undefined, name: 'root' }]);
    expect(withRoot.traces.map((e) => e.body.name)).toEqual(['root']);
  });

  it('keeps a public trace public on its other trace events of the same export', () => {
    const { traces } = map([
      { spanId: ROOT, parentSpanId: undefined, attributes: { 'langfuse.trace.public': true } },
      { attributes: { 'session.id': 's1' } },
    ]);
    expect(traces.map((e) => e.body.public)).toEqual([true, true]);
  });
});

describe('experiment attributes', () => {
  it('langfuse.experiment.* land in the observation metadata, and in the trace metadata of a root span', () => {
    const attributes = { 'langfuse.experiment.id': 'run-1', 'langfuse.experiment.name': 'exp - 2024', 'langfuse.experiment.item.expected_output': '{"a":1}', 'langfuse.environment': 'sdk-experiment' };
    const { traces, observations } = map([{ spanId: ROOT, parentSpanId: undefined, name: 'experiment-item-run', attributes }]);
    const expected = { 'langfuse.experiment.id': 'run-1', 'langfuse.experiment.name': 'exp - 2024', 'langfuse.experiment.item.expected_output': { a: 1 } };
    expect(observations[0].body.metadata).toMatchObject(expected);
    expect(traces[0].body).toMatchObject({ environment: 'sdk-experiment', metadata: expected });
    const child = map([{ attributes: { 'langfuse.experiment.id': 'run-1' } }]);
    expect(child.observations[0].body.metadata).toMatchObject({ 'langfuse.experiment.id': 'run-1' });
    expect(child.traces[0].body.metadata).toBeUndefined();
  });
});

describe('trace attributes', () => {
  const root = (attributes: Record<string, unknown>, options?: ExportOptions) =>
    map([{ spanId: ROOT, parentSpanId: undefined, attributes }], options).traces[0].body;

  it('tags come as an array, a JSON-array string, a CSV string or a single string', () => {
    expect(root({ 'langfuse.trace.tags': ['a', 'b'] }).tags).toEqual(['a', 'b']);
    expect(root({ 'langfuse.trace.tags': '["a","b"]' }).tags).toEqual(['a', 'b']);
    expect(root({ 'langfuse.trace.tags': 'a, b' }).tags).toEqual(['a', 'b']);
    expect(root({ 'langfuse.trace.tags': 'solo' }).tags).toEqual(['solo']);
    expect(root({ 'ai.telemetry.metadata.tags': ['x'] }).tags).toEqual(['x']);
  });

  it('langfuse.session.id beats gen_ai.conversation.id; user ids come from their keys', () => {
    expect(root({ 'gen_ai.conversation.id': 'conv', 'langfuse.session.id': 'lf' }).sessionId).toBe('lf');
    expect(root({ 'gen_ai.conversation.id': 'conv' }).sessionId).toBe('conv');
    expect(root({ 'ai.telemetry.metadata.userId': 'ai-user' }).userId).toBe('ai-user');
  });

  it('public is true only for true or "true"', () => {
    expect(root({ 'langfuse.trace.public': 'true' }).public).toBe(true);
    expect(root({ 'langfuse.public': 'yes' }).public).toBe(false);
    expect(root({}).public).toBeUndefined();
  });

  it('trace metadata merges the JSON object and the flattened keys; I/O prefers the trace attributes', () => {
    const body = root({
      'langfuse.trace.metadata': '{"a":1,"b":2}',
      'langfuse.trace.metadata.b': 'flat',
      'langfuse.trace.input': '{"q":"hi"}',
      'langfuse.observation.input': 'obs-in',
      'langfuse.observation.output': 'obs-out',
    });
    expect(body.metadata).toEqual({ a: 1, b: 'flat' });
    expect(body.input).toEqual({ q: 'hi' });
    expect(body.output).toBe('obs-out');
  });

  it('environment, release and version come from span then resource attributes', () => {
    const body = root({ 'deployment.environment.name': 'staging' }, { resource: { 'langfuse.release': 'r9', 'service.version': '1.2.3', 'langfuse.environment': 'from-resource' } });
    expect(body).toMatchObject({ environment: 'from-resource', release: 'r9', version: '1.2.3' });
    expect(root({ 'langfuse.environment': 'span-env', 'langfuse.version': 'v2' }, { resource: { 'langfuse.environment': 'res' } })).toMatchObject({ environment: 'span-env', version: 'v2' });
  });
});

describe('observation attributes', () => {
  it('normalises gen_ai.usage.* and llm.token_count.*, subtracting cache and reasoning counts', () => {
    expect(
      obs({
        'gen_ai.usage.input_tokens': 100,
        'gen_ai.usage.output_tokens': 50,
        'gen_ai.usage.cache_read_input_tokens': 30,
        'gen_ai.usage.cache_creation_input_tokens': 10,
        'gen_ai.usage.reasoning.output_tokens': 20,
        'gen_ai.usage.cost': 0.25,
      }),
    ).toMatchObject({
      usageDetails: { input: 60, output: 30, input_cached_tokens: 30, input_cache_creation: 10, output_reasoning_tokens: 20 },
      costDetails: { total: 0.25 },
    });
    expect(
      obs({
        'llm.token_count.prompt': '12',
        'llm.token_count.completion': 8,
        'llm.token_count.total': 20,
        'llm.token_count.prompt_details.cache_read': 2,
        'llm.token_count.completion_details.audio': 3,
        'llm.cost.total': 0.5,
      }),
    ).toMatchObject({ usageDetails: { input: 10, output: 5, total: 20, input_cached_tokens: 2, output_audio_tokens: 3 }, costDetails: { total: 0.5 } });
  });

  it('prefers langfuse.observation.usage_details and cost_details', () => {
    expect(obs({ 'langfuse.observation.usage_details': '{"input":1}', 'gen_ai.usage.input_tokens': 9, 'langfuse.observation.cost_details': '{"input":"0.5"}' })).toMatchObject({
      usageDetails: { input: 1 },
      costDetails: { input: 0.5 },
    });
  });

  it('rebuilds flattened gen_ai.prompt.N.* / gen_ai.completion.N.* into message arrays', () => {
    const body = obs({ 'gen_ai.prompt.0.role': 'user', 'gen_ai.prompt.0.content': 'hi', 'gen_ai.prompt.1.role': 'assistant', 'gen_ai.completion.0.content': 'yo' });
    expect(body.input).toEqual([{ role: 'user', content: 'hi' }, { role: 'assistant' }]);
    expect((body.input as { content?: string }[])[0].content).toBe('hi');
    expect(body.output).toEqual([{ content: 'yo' }]);
  });

  it('rebuilds OpenInference llm.input_messages / llm.output_messages and reads input.value / output.value', () => {
    expect(obs({ 'llm.input_messages.0.message.role': 'user', 'llm.input_messages.0.message.content': 'q', 'llm.output_messages.0.message.content': 'a' })).toMatchObject({
      input: [{ message: { role: 'user', content: 'q' } }],
      output: [{ message: { content: 'a' } }],
    });
    expect(obs({ 'input.value': '{"x":1}', 'output.value': 'plain' })).toMatchObject({ input: { x: 1 }, output: 'plain' });
  });

  it('reads GenAI message span events, the legacy content events and gen_ai.input.messages with system instructions', () => {
    const fromEvents = obs({}, {
      events: [
        { name: 'gen_ai.system.message', attributes: { content: 'be brief' } },
        { name: 'gen_ai.user.message', attributes: { content: 'hi' } },
        { name: 'gen_ai.choice', attributes: { index: 0, 'message.content': 'hello' } },
      ],
    });
    expect(fromEvents.input).toEqual([{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }]);
    expect(fromEvents.output).toEqual({ index: 0, 'message.content': 'hello' });
    const legacy = obs({}, { events: [{ name: 'gen_ai.content.prompt', attributes: { 'gen_ai.prompt': '[{"role":"user","content":"q"}]' } }] });
    expect(legacy.input).toEqual([{ role: 'user', content: 'q' }]);
    const messages = obs({ 'gen_ai.input.messages': '[{"role":"user","content":"q"}]', 'gen_ai.system_instructions': '[{"type":"text","content":"sys"}]', 'gen_ai.output.messages': '[{"role":"assistant"}]' });
    expect(messages.input).toEqual([{ role: 'system', content: 'sys' }, { role: 'user', content: 'q' }]);
    expect(messages.output).toEqual([{ role: 'assistant' }]);
  });

  it('reads the Vercel AI SDK keys: prompt messages, response text, name from operation id, model and parameters', () => {
    const body = obs(
      {
        'ai.operationId': 'ai.generateText.doGenerate',
        'ai.telemetry.functionId': 'fn',
        'ai.model.id': 'gpt-4o-mini',
        'ai.prompt.messages': '[{"role":"user","content":"hi"}]',
        'ai.response.text': 'hello',
        'gen_ai.request.temperature': 0.2,
        'gen_ai.usage.input_tokens': 7,
        'gen_ai.usage.output_tokens': 3,
        'ai.usage.cachedInputTokens': 2,
        'ai.response.msToFirstChunk': 12.3,
      },
      {},
      { scope: { name: 'ai' } },
    );
    expect(body).toMatchObject({
      name: 'fn:ai.generateText.doGenerate',
      model: 'gpt-4o-mini',
      input: [{ role: 'user', content: 'hi' }],
      output: 'hello',
      modelParameters: { temperature: '0.2' },
      usageDetails: { input: 5, output: 3, input_cached_tokens: 2 },
      completionStartTime: '2024-05-01T10:00:00.013Z',
    });
  });

  it('maps level aliases and error status, the status message, model parameters, the prompt link and completion start', () => {
    expect(obs({ 'langfuse.observation.level': 'warn' }).level).toBe('WARNING');
    expect(obs({ 'langfuse.observation.level': 'fatal' }).level).toBe('ERROR');
    expect(obs({}, { status: { code: 2, message: 'boom' } })).toMatchObject({ level: 'ERROR', statusMessage: 'boom' });
    expect(obs({}).level).toBe('DEFAULT');
    const gen = obs({
      'langfuse.observation.type': 'generation',
      'gen_ai.request.model': 'm',
      'gen_ai.request.max_tokens': 100,
      'gen_ai.request.stop_sequences': ['x'],
      'langfuse.observation.prompt.name': 'p',
      'langfuse.observation.prompt.version': 3,
      'langfuse.observation.completion_start_time': '"2024-05-01T10:00:00.050Z"',
    });
    expect(gen).toMatchObject({ model: 'm', modelParameters: { max_tokens: 100, stop_sequences: '["x"]' }, promptName: 'p', promptVersion: 3, completionStartTime: '2024-05-01T10:00:00.050Z' });
    expect(obs({ 'langfuse.observation.type': 'generation', 'langfuse.observation.prompt.name': 'p', 'langfuse.observation.prompt.version': 'x' }).promptName).toBeUndefined();
  });

  it('observation metadata holds the Langfuse metadata, resource attributes, scope, and for other scopes the leftover attributes', () => {
    const body = obs(
      {
        'langfuse.observation.metadata.step': '1',
        'langfuse.observation.metadata.obj': '{"a":1}',
        'langfuse.observation.metadata.text': 'plain',
        'langfuse.observation.metadata.big': '1983516295378495150',
        'custom.flag': true,
        'input.value': 'x',
      },
      {},
      { resource: { 'service.name': 'svc' }, scope: { name: 'my-lib', version: '2.0', attributes: { s: 1 } } },
    );
    expect(body.metadata).toEqual({
      step: 1,
      obj: { a: 1 },
      text: 'plain',
      big: '1983516295378495150',
      attributes: {
        'langfuse.observation.metadata.step': '1',
        'langfuse.observation.metadata.obj': '{"a":1}',
        'langfuse.observation.metadata.text': 'plain',
        'langfuse.observation.metadata.big': '1983516295378495150',
        'custom.flag': 'true',
      },
      resourceAttributes: { 'service.name': 'svc' },
      scope: { name: 'my-lib', version: '2.0', attributes: { s: 1 } },
    });
    const lf = obs({}, {}, { scope: { name: 'langfuse-sdk' } });
    expect(Object.keys(lf.metadata as object)).toEqual(['resourceAttributes', 'scope']);
  });

  it('names observations after tools and frameworks before the span name', () => {
    expect(obs({ 'gen_ai.tool.name': 'search' }, { name: 'execute_tool' }).name).toBe('search');
    expect(obs({ 'logfire.msg': 'running' }, { name: 'x' }).name).toBe('running');
    expect(obs({}, { name: 'span-name' }).name).toBe('span-name');
  });

  it('derives deterministic envelope ids so a retried export is idempotent', () => {
    const a: IngestionEvent[] = mapExport(otlpExport([otlpSpan({ traceId: T, spanId: ROOT })]).resourceSpans).events;
    const b: IngestionEvent[] = mapExport(otlpExport([otlpSpan({ traceId: T, spanId: ROOT })]).resourceSpans).events;
    expect(a).toEqual(b);
  });
});
