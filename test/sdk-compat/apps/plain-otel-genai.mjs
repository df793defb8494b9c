// An application instrumented with the plain OpenTelemetry SDK and only the GenAI semantic
// conventions (`gen_ai.*` attributes and events) — no Langfuse package — exporting OTLP/JSON.
import { SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

const { BASE_URL, PUBLIC_KEY, SECRET_KEY } = process.env;

const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'travel-agent', 'service.version': '2.3.4', 'deployment.environment.name': 'Staging' }),
  spanProcessors: [
    new BatchSpanProcessor(
      new OTLPTraceExporter({
        url: `${BASE_URL}/api/public/otel/v1/traces`,
        headers: { Authorization: `Basic ${Buffer.from(`${PUBLIC_KEY}:${SECRET_KEY}`).toString('base64')}` },
      }),
    ),
  ],
});
provider.register();
const tracer = provider.getTracer('travel-agent-instrumentation', '0.1.0');

const t0 = Date.now() - 5_000;
const ids = {};
const userMessage = { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] };
const answer = { role: 'assistant', parts: [{ type: 'text', content: 'Sunny, 21°C.' }], finish_reason: 'stop' };

tracer.startActiveSpan(
  'invoke_agent travel-agent',
  {
    startTime: t0,
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'travel-agent',
      'gen_ai.conversation.id': 'conv-42',
      'user.id': 'traveller-7',
      'gen_ai.input.messages': JSON.stringify([userMessage]),
      'gen_ai.output.messages': JSON.stringify([answer]),
    },
  },
  (root) => {
    ids.traceId = root.spanContext().traceId;
    ids.root = root.spanContext().spanId;

    const chat = tracer.startSpan('chat gpt-4o', {
      startTime: t0 + 10,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.response.model': 'gpt-4o-2024-08-06',
        'gen_ai.request.temperature': 0.2,
        'gen_ai.request.max_tokens': 256,
        'gen_ai.usage.input_tokens': 120,
        'gen_ai.usage.output_tokens': 30,
        'gen_ai.usage.cache_read.input_tokens': 20,
        'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'You are a travel agent.' }]),
        'gen_ai.input.messages': JSON.stringify([userMessage]),
        'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] }]),
      },
    });
    ids.chat = chat.spanContext().spanId;
    chat.end(t0 + 200);

    const tool = tracer.startSpan('execute_tool get_weather', {
      startTime: t0 + 210,
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'get_weather',
        'gen_ai.tool.call.id': 'call_1',
        'gen_ai.tool.call.arguments': '{"city":"Paris"}',
        'gen_ai.tool.call.result': '{"temp":21}',
      },
    });
    ids.tool = tool.spanContext().spanId;
    tool.end(t0 + 260);

    const retry = tracer.startSpan('chat gpt-4o retry', {
      startTime: t0 + 270,
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 150, 'gen_ai.usage.output_tokens': 0 },
    });
    retry.addEvent('gen_ai.system.message', { content: 'You are a travel agent.' }, t0 + 270);
    retry.addEvent('gen_ai.user.message', { content: 'Weather in Paris?' }, t0 + 270);
    retry.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
    ids.retry = retry.spanContext().spanId;
    retry.end(t0 + 300);

    const embed = tracer.startSpan('embeddings text-embedding-3-small', {
      startTime: t0 + 310,
      attributes: { 'gen_ai.operation.name': 'embeddings', 'gen_ai.request.model': 'text-embedding-3-small', 'gen_ai.usage.input_tokens': 8 },
    });
    ids.embed = embed.spanContext().spanId;
    embed.end(t0 + 320);

    root.end(t0 + 400);
  },
);

await provider.forceFlush();
await provider.shutdown();
console.log(JSON.stringify({ ...ids, t0 }));
