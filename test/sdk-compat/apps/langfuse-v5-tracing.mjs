// An application traced with the official Langfuse JS SDK v5 (@langfuse/tracing + @langfuse/otel).
// EXPORTER=json uses the SDK's default OTLP/JSON exporter; EXPORTER=proto-gzip passes an
// @opentelemetry/exporter-trace-otlp-proto exporter with gzip compression. Prints the ids it made.
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { propagateAttributes, setLangfuseTracerProvider, startActiveObservation, startObservation } from '@langfuse/tracing';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

const { BASE_URL, PUBLIC_KEY, SECRET_KEY, EXPORTER } = process.env;

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

const processor =
  EXPORTER === 'proto-gzip'
    ? new LangfuseSpanProcessor({
        exporter: new OTLPTraceExporter({
          url: `${BASE_URL}/api/public/otel/v1/traces`,
          headers: { Authorization: `Basic ${Buffer.from(`${PUBLIC_KEY}:${SECRET_KEY}`).toString('base64')}` },
          compression: CompressionAlgorithm.GZIP,
        }),
      })
    : new LangfuseSpanProcessor({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl: BASE_URL, environment: 'staging', release: 'r1' });
const provider = new NodeTracerProvider({ spanProcessors: [processor] });
setLangfuseTracerProvider(provider);

const ids = await startActiveObservation('chat-request', (root) =>
  propagateAttributes({ userId: 'user-1', sessionId: 'sess-1', version: 'v1', tags: ['t1'], metadata: { env: 'test' } }, async () => {
    root.update({ input: { q: 'hi' } });
    root.setTraceIO({ input: { q: 'hi' }, output: { a: 'hello' } });
    const retrieve = startObservation('retrieve', { input: { query: 'hi' } }, { asType: 'retriever' });
    retrieve.update({ output: { docs: ['a', 'b'] } }).end();
    const generation = startObservation(
      'llm-call',
      { model: 'gpt-4o', input: [{ role: 'user', content: 'hi' }], modelParameters: { temperature: 0.7 } },
      { asType: 'generation' },
    );
    await new Promise((r) => setTimeout(r, 5));
    generation
      .update({
        output: { role: 'assistant', content: 'hello' },
        usageDetails: { input: 10, output: 5 },
        costDetails: { input: 0.0001, output: 0.0002 },
        completionStartTime: new Date(),
        metadata: { attempt: 1 },
      })
      .end();
    startObservation('cache-miss', { input: { k: 1 }, level: 'WARNING', statusMessage: 'cold' }, { asType: 'event' });
    startObservation('lookup-tool', { input: { id: 7 }, output: { found: true } }, { asType: 'tool' }).end();
    root.update({ output: { a: 'hello' } });
    return { traceId: root.traceId, rootId: root.id, generationId: generation.id };
  }),
);

await provider.forceFlush();
await provider.shutdown();
console.log(JSON.stringify(ids));
