// The seed's Python example (shared/seed, "Python SDK"), translated almost line by line.
// Python's `client.trace.create(request=CreateTraceRequest(...))` becomes
// `await client.trace.create({...} satisfies CreateTraceRequest)`; everything else is the same.
//
// Run it against a server:  SIGHTLINE_HOST=http://localhost:3000 SIGHTLINE_PUBLIC_KEY=pk-lf-… \
//   SIGHTLINE_SECRET_KEY=sk-lf-… npx tsx packages/sdk/examples/seed.ts
// test/sdk/seed-example.test.ts runs it against a live server and reads everything back.
import {
  SightlineClient,
  type CreateEventRequest,
  type CreateLog,
  type CreateScoreRequest,
  type CreateSpanRequest,
  type CreateTraceRequest,
  type LlmUsage,
} from '@sightline/sdk';

// ## 1. Initializing the client
const ENV_HOST = process.env.SIGHTLINE_HOST ?? 'http://localhost:3000';
const ENV_SECRET_KEY = process.env.SIGHTLINE_SECRET_KEY ?? 'sk-lf-...';
const ENV_PUBLIC_KEY = process.env.SIGHTLINE_PUBLIC_KEY ?? 'pk-lf-...';

/** The seed's `datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%SZ')`. */
export const utcnow = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** ## 2. Trace execution of backend, ## 3. Collect scores — returns what the server answered. */
export async function runSeedExample(client: SightlineClient) {
  // ### Traces
  const trace = await client.trace.create({
    name: 'chat-completion',
    metadata: {
      env: 'production',
      user: 'user__935d7d1d-8625-4ef4-8651-544613e7bd22',
    },
  } satisfies CreateTraceRequest);

  // ### Events
  const event = await client.event.create({
    traceId: trace.id,
    name: 'chat-docs-retrieval',
    startTime: utcnow(),
    metadata: { key: 'value' },
    input: { key: 'value' },
    output: { key: 'value' },
  } satisfies CreateEventRequest);

  // ### Span
  const retrievalStartTime = utcnow();
  // retrieveDocs = retrieveDoc()
  // ...
  const span = await client.span.create({
    traceId: trace.id,
    name: 'chat-completion',
    startTime: retrievalStartTime,
    endTime: utcnow(),
    metadata: { key: 'value' },
    input: { key: 'value' },
    output: { key: 'value' },
    parentObservationId: event.id,
  } satisfies CreateSpanRequest);

  // `span.update()`: spanId, endTime, metadata (merged with the existing metadata)
  const updatedSpan = await client.span.update({ spanId: span.id, endTime: utcnow(), metadata: { step: 'done' } });

  // ### Generation
  const generationStartTime = utcnow();
  // chat_completion = openai.ChatCompletion.create(model="gpt-3.5-turbo", messages=[{"role": "user", "content": "Hello world"}])
  // ...
  const generation = await client.generations.log({
    traceId: trace.id,
    name: 'test',
    startTime: generationStartTime,
    endTime: utcnow(),
    model: 'gpt-3.5-turbo',
    modelParameters: {
      temperature: 0.9,
      maxTokens: 1000,
      topP: null,
    },
    prompt: [{ role: 'user', content: 'Hello, how are you?' }],
    completion: 'I am fine, thank you',
    usage: { promptTokens: 512, completionTokens: 49 } satisfies LlmUsage,
    metadata: {
      userid: 'user__935d7d1d-8625-4ef4-8651-544613e7bd22',
    },
  } satisfies CreateLog);

  // ## 3. Collect scores
  const score = await client.score.create({
    traceId: trace.id, // trace the score is related to
    name: 'user-explicit-feedback',
    value: 1,
    observationId: generation.id, // optionally: also attach the score to an individual observation
  } satisfies CreateScoreRequest);

  return { trace, event, span, updatedSpan, generation, score };
}

// Run as a script: create the client as the seed does and print what was created.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const client = new SightlineClient({
    environment: ENV_HOST,
    password: ENV_SECRET_KEY,
    username: ENV_PUBLIC_KEY,
  });
  const created = await runSeedExample(client);
  console.log(`trace ${created.trace.id}: event ${created.event.id}, span ${created.span.id}, generation ${created.generation.id}, score ${created.score.id}`);
}
