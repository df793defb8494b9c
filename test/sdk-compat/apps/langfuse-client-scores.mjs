// Scores created with the official @langfuse/client v5, then the trace read back with its API client.
import { LangfuseClient } from '@langfuse/client';

const { BASE_URL, PUBLIC_KEY, SECRET_KEY, TRACE_ID, OBSERVATION_ID } = process.env;

const langfuse = new LangfuseClient({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl: BASE_URL });
langfuse.score.create({ traceId: TRACE_ID, name: 'quality', value: 0.9, comment: 'good' });
langfuse.score.create({ traceId: TRACE_ID, observationId: OBSERVATION_ID, name: 'cat', value: 'good', dataType: 'CATEGORICAL' });
await langfuse.score.flush();

const trace = await langfuse.api.trace.get(TRACE_ID);
await langfuse.shutdown();
console.log(JSON.stringify({ id: trace.id, name: trace.name, observations: trace.observations.length, scores: trace.scores.map((s) => s.name).sort() }));
