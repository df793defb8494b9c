// Generations linked to prompt versions with the official Langfuse JS SDK v5: a prompt fetched
// with @langfuse/client is passed as `prompt` to a generation (at start, and through
// updateActiveObservation), exported by @langfuse/otel's span processor. Prints the ids it made.
import { LangfuseClient } from '@langfuse/client';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { setLangfuseTracerProvider, startActiveObservation, startObservation, updateActiveObservation } from '@langfuse/tracing';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

const { BASE_URL, PUBLIC_KEY, SECRET_KEY } = process.env;

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
// A generous export timeout (the SDK's default is 5 s): CI machines under load commit slowly.
const processor = new LangfuseSpanProcessor({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl: BASE_URL, timeout: 60 });
const provider = new NodeTracerProvider({ spanProcessors: [processor] });
setLangfuseTracerProvider(provider);
const langfuse = new LangfuseClient({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl: BASE_URL });

const name = 'v5-linked';
await langfuse.prompt.create({ name, prompt: 'Summarise {{text}}', labels: ['production'] });
await langfuse.prompt.create({ name, prompt: 'Briefly summarise {{text}}', labels: ['staging'] });
const production = await langfuse.prompt.get(name, { cacheTtlSeconds: 0 });
const staging = await langfuse.prompt.get(name, { label: 'staging', cacheTtlSeconds: 0 });
const fallback = await langfuse.prompt.get('v5-not-there', { fallback: 'x', maxRetries: 0, cacheTtlSeconds: 0 });

const atStart = startObservation('with-prompt', { model: 'gpt-4o', prompt: production, input: production.compile({ text: 'a' }) }, { asType: 'generation' });
atStart.end();
const updated = await startActiveObservation(
  'updated-with-prompt',
  async (generation) => {
    updateActiveObservation({ prompt: staging, output: 'ok' }, { asType: 'generation' });
    return generation.id;
  },
  { asType: 'generation' },
);
const withFallback = startObservation('with-fallback', { prompt: fallback }, { asType: 'generation' });
withFallback.end();

await provider.forceFlush();
await provider.shutdown();
console.log(JSON.stringify({
  atStart: atStart.id,
  updated,
  withFallback: withFallback.id,
  productionVersion: production.version,
  stagingVersion: staging.version,
  fallbackIsFallback: fallback.isFallback,
}));
