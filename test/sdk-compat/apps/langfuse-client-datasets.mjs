// An application running experiments with the official @langfuse/client v5, traced through the
// OTel span processor: one on a stored dataset (dataset.runExperiment) and one on local data
// (experiment.run), each with an item-level and a run-level evaluator. Prints what the runs returned.
import { LangfuseClient } from '@langfuse/client';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { setLangfuseTracerProvider } from '@langfuse/tracing';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

const { BASE_URL, PUBLIC_KEY, SECRET_KEY, DATASET } = process.env;

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const processor = new LangfuseSpanProcessor({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl: BASE_URL });
const provider = new NodeTracerProvider({ spanProcessors: [processor] });
setLangfuseTracerProvider(provider);

const langfuse = new LangfuseClient({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl: BASE_URL });

await langfuse.api.datasets.create({ name: DATASET, description: 'capitals', metadata: { owner: 'qa' } });
for (const [country, capital] of [['France', 'Paris'], ['Japan', 'Tokyo'], ['Peru', 'Lima']]) {
  await langfuse.dataset.createItem({ datasetName: DATASET, id: `${DATASET}-${country}`, input: { country }, expectedOutput: capital, metadata: { region: 'any' } });
}

// A version timestamp between two states of an item: the dataset as it was then still has the old answer.
await langfuse.dataset.createItem({ datasetName: DATASET, id: `${DATASET}-Chile`, input: { country: 'Chile' }, expectedOutput: 'Valparaiso' });
while (Date.now() <= Date.parse((await langfuse.api.datasetItems.get(`${DATASET}-Chile`)).updatedAt)) await new Promise((r) => setImmediate(r));
const version = new Date().toISOString();
while (Date.now() <= Date.parse(version)) await new Promise((r) => setImmediate(r));
await langfuse.dataset.createItem({ datasetName: DATASET, id: `${DATASET}-Chile`, input: { country: 'Chile' }, expectedOutput: 'Santiago', status: 'ARCHIVED' });
const then = await langfuse.dataset.get(DATASET, { version });
const versioned = then.items.map((i) => [i.id, i.expectedOutput]).sort();

const task = async ({ input }) => ({ France: 'Paris', Japan: 'Kyoto', Peru: 'Lima' })[input.country] ?? 'unknown';
const exact = async ({ output, expectedOutput }) => ({ name: 'exact_match', value: output === expectedOutput ? 1 : 0, comment: `expected ${expectedOutput}` });
const average = async ({ itemResults }) => ({
  name: 'accuracy',
  value: itemResults.reduce((n, r) => n + r.evaluations.find((e) => e.name === 'exact_match').value, 0) / itemResults.length,
});

const dataset = await langfuse.dataset.get(DATASET);
const stored = await dataset.runExperiment({
  name: 'capital-quiz',
  description: 'baseline model',
  metadata: { model: 'lookup-v1' },
  task,
  evaluators: [exact],
  runEvaluators: [average],
});

const local = await langfuse.experiment.run({
  name: 'local-quiz',
  data: [{ input: { country: 'Peru' }, expectedOutput: 'Lima' }],
  task,
  evaluators: [exact],
  runEvaluators: [average],
});

await langfuse.flush();
await provider.forceFlush();
await provider.shutdown();
await langfuse.shutdown();

const summary = (r) => ({
  runName: r.runName,
  datasetRunId: r.datasetRunId ?? null,
  experimentId: r.experimentId,
  items: r.itemResults.map((i) => ({ itemId: i.item.id ?? null, traceId: i.traceId, output: i.output, evaluations: i.evaluations.map((e) => [e.name, e.value]) })),
  runEvaluations: r.runEvaluations.map((e) => [e.name, e.value]),
});
console.log(JSON.stringify({ versioned, datasetItems: dataset.items.length, datasetId: dataset.id, stored: summary(stored), local: summary(local) }));
