// An application sending images through the official Langfuse JS SDK v5: a data URI in a span's
// input and in the trace's input/output, uploaded by @langfuse/otel's media handling; then
// @langfuse/client reads the trace back and resolves its media references. Prints what it saw.
import { LangfuseClient } from '@langfuse/client';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { setLangfuseTracerProvider, startActiveObservation } from '@langfuse/tracing';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

const { BASE_URL, PUBLIC_KEY, SECRET_KEY, IMAGE_DATA_URI, AUDIO_DATA_URI } = process.env;

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const processor = new LangfuseSpanProcessor({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl: BASE_URL });
const provider = new NodeTracerProvider({ spanProcessors: [processor] });
setLangfuseTracerProvider(provider);

const traceId = await startActiveObservation('describe-image', async (root) => {
  root.update({ input: { prompt: 'what is this?', image: IMAGE_DATA_URI } });
  root.setTraceIO({ input: { prompt: 'what is this?', image: IMAGE_DATA_URI }, output: { speech: AUDIO_DATA_URI } });
  return root.traceId;
});
await provider.forceFlush();
await provider.shutdown();

const langfuse = new LangfuseClient({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl: BASE_URL });
// The export has been acknowledged, so the trace is readable now.
const trace = await langfuse.api.trace.get(traceId);
const resolved = await langfuse.media.resolveReferences({ obj: { input: trace.input, output: trace.output }, resolveWith: 'base64DataUri' });
console.log(JSON.stringify({ traceId, stored: { input: trace.input, output: trace.output }, resolved }));
