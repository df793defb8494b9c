// Datasets and experiments with the official SDKs against a live server, on both engines:
// `langfuse` v3 in-process (create, get with paged items, item.link, getDatasetRun(s)) and
// @langfuse/client v5 as an application running experiments through the OTel span processor.
// Everything the SDKs wrote is read back through the public API.
import { Langfuse } from 'langfuse';
import { describe, expect, it } from 'vitest';
import { PUBLIC_KEY, SECRET_KEY, useLiveServer } from './live-server.js';
import { runApp } from './run-app.js';

type ItemResult = { itemId: string | null; traceId: string; output: string; evaluations: [string, number][] };
type RunSummary = { runName: string; datasetRunId: string | null; experimentId: string; items: ItemResult[]; runEvaluations: [string, number][] };
type AppOut = { versioned: [string, string][]; datasetItems: number; datasetId: string; stored: RunSummary; local: RunSummary };

describe.each(['sqlite', 'postgres'] as const)('datasets and experiments through the official SDKs (%s)', (engine) => {
  const server = useLiveServer({ engine });

  it('langfuse v3: createDataset, createDatasetItem, getDataset over several item pages, item.link, getDatasetRun(s)', async () => {
    const { url, get } = server();
    const langfuse = new Langfuse({ publicKey: PUBLIC_KEY, secretKey: SECRET_KEY, baseUrl: url });
    const created = await langfuse.createDataset({ name: 'v3/qa', description: 'questions', metadata: { v: 3 } });
    expect(created).toMatchObject({ name: 'v3/qa', description: 'questions', metadata: { v: 3 } });
    for (let i = 0; i < 5; i++) await langfuse.createDatasetItem({ datasetName: 'v3/qa', id: `v3-item-${i}`, input: { n: i }, expectedOutput: i * 2, metadata: { i } });
    await langfuse.createDatasetItem({ datasetName: 'v3/qa', id: 'v3-archived', input: 'old', status: 'ARCHIVED' });

    const dataset = await langfuse.getDataset('v3/qa', { fetchItemsPageSize: 2 });
    expect(dataset).toMatchObject({ name: 'v3/qa', description: 'questions', metadata: { v: 3 } });
    expect(dataset.items.map((i) => i.id).sort()).toEqual(['v3-item-0', 'v3-item-1', 'v3-item-2', 'v3-item-3', 'v3-item-4']);

    const links: string[] = [];
    for (const item of dataset.items) {
      const trace = langfuse.trace({ name: 'v3-app', input: item.input });
      const generation = trace.generation({ name: 'answer', input: item.input, output: { n: (item.input as { n: number }).n * 2 } });
      generation.end();
      trace.update({ output: 'done' });
      const target = (item.input as { n: number }).n % 2 === 0 ? trace : generation;
      const link = await item.link(target, 'v3 run/1', { description: 'first run', metadata: { model: 'm1' } });
      expect(link).toMatchObject({ datasetItemId: item.id, traceId: trace.id, observationId: target === trace ? null : generation.id, datasetRunName: 'v3 run/1' });
      links.push(trace.id);
    }
    await langfuse.shutdownAsync();

    const run = await langfuse.getDatasetRun({ datasetName: 'v3/qa', runName: 'v3 run/1' });
    expect(run).toMatchObject({ name: 'v3 run/1', description: 'first run', metadata: { model: 'm1' }, datasetName: 'v3/qa', datasetId: created.id });
    expect(run.datasetRunItems.map((ri) => ri.traceId).sort()).toEqual([...links].sort());
    const runs = await langfuse.getDatasetRuns('v3/qa');
    expect(runs.data.map((r) => r.name)).toEqual(['v3 run/1']);
    // The traces the run items point at were ingested.
    for (const traceId of links) expect((await get(`traces/${traceId}`)).name).toBe('v3-app');
  });

  it('@langfuse/client v5: dataset.runExperiment and experiment.run with item and run evaluators, traced over OTel', async () => {
    const { url, get } = server();
    const out = await runApp<AppOut>('langfuse-client-datasets.mjs', { PUBLIC_KEY, SECRET_KEY, BASE_URL: url, DATASET: 'v5/capitals' });
    expect(out.datasetItems).toBe(3); // Chile was archived after the version timestamp
    expect(out.versioned).toEqual([
      ['v5/capitals-Chile', 'Valparaiso'], ['v5/capitals-France', 'Paris'], ['v5/capitals-Japan', 'Tokyo'], ['v5/capitals-Peru', 'Lima'],
    ]);
    const { stored, local } = out;
    expect(stored.datasetRunId).toEqual(expect.any(String));
    expect(stored.items.map((i) => [i.itemId, i.output, i.evaluations]).sort()).toEqual([
      ['v5/capitals-France', 'Paris', [['exact_match', 1]]],
      ['v5/capitals-Japan', 'Kyoto', [['exact_match', 0]]],
      ['v5/capitals-Peru', 'Lima', [['exact_match', 1]]],
    ]);
    expect(stored.runEvaluations).toEqual([['accuracy', 2 / 3]]);

    // One run item per dataset item, each pointing at the trace of that item's task.
    const run = await get(`datasets/${encodeURIComponent('v5/capitals')}/runs/${encodeURIComponent(stored.runName)}`);
    expect(run).toMatchObject({ id: stored.datasetRunId, name: stored.runName, description: 'baseline model', metadata: { model: 'lookup-v1' }, datasetId: out.datasetId });
    const traceOf = Object.fromEntries(stored.items.map((i) => [i.itemId, i.traceId]));
    expect(Object.fromEntries(run.datasetRunItems.map((ri: { datasetItemId: string; traceId: string }) => [ri.datasetItemId, ri.traceId]))).toEqual(traceOf);

    // The run-level evaluator's score is on the run; the item evaluators' scores on the traces.
    const runScores = await get(`v2/scores?datasetRunId=${stored.datasetRunId}`);
    expect(runScores.data.map((s: { name: string; value: number }) => [s.name, s.value])).toEqual([['accuracy', 2 / 3]]);
    for (const item of [...stored.items, ...local.items]) {
      const scores = await get(`v2/scores?traceId=${item.traceId}`);
      expect(scores.data.map((s: { name: string; value: number }) => [s.name, s.value])).toEqual(item.evaluations);
    }

    // The experiment traces arrived over OTel with their environment and experiment attributes.
    const paris = traceOf['v5/capitals-France'];
    // The exporter was flushed before the app exited, and an OTLP export is acknowledged once committed.
    const trace = await get(`traces/${paris}`);
    expect(trace).toMatchObject({ name: 'experiment-item-run', environment: 'sdk-experiment', input: { country: 'France' }, output: 'Paris' });
    expect(trace.metadata).toMatchObject({ 'langfuse.experiment.item.expected_output': 'Paris', 'langfuse.experiment.description': 'baseline model' });
    const root = (trace.observations as { name: string; metadata: Record<string, unknown> }[]).find((o) => o.name === 'experiment-item-run')!;
    expect(root.metadata).toMatchObject({ 'langfuse.experiment.item.expected_output': 'Paris', experiment_name: 'capital-quiz', dataset_item_id: 'v5/capitals-France' });

    // Searchable: the experiment's traces by a metadata filter on an experiment attribute.
    const filter = JSON.stringify([{ type: 'stringObject', column: 'metadata', key: 'langfuse.experiment.description', operator: '=', value: 'baseline model' }]);
    const found = await get(`traces?environment=sdk-experiment&filter=${encodeURIComponent(filter)}`);
    expect(found.data.map((t: { id: string }) => t.id).sort()).toEqual(Object.values(traceOf).sort());

    // The local-data experiment made no run (there is no dataset), but its traces and scores are stored.
    expect(local.datasetRunId).toBeNull();
    expect(local.items.map((i) => [i.output, i.evaluations])).toEqual([['Lima', [['exact_match', 1]]]]);
    expect((await get(`traces/${local.items[0].traceId}`)).environment).toBe('sdk-experiment');

    // The newer experiment reads see the stored run.
    const experiments = await get(`experiments?fromStartTime=2000-01-01T00:00:00Z&name=${encodeURIComponent(stored.runName)}&fields=core,scores`);
    expect(experiments.data).toEqual([expect.objectContaining({ id: stored.datasetRunId, itemCount: 3, datasetId: out.datasetId })]);
    expect(experiments.data[0].scores.map((s: { name: string }) => s.name)).toEqual(['accuracy']);
    const items = await get(`experiment-items?fromStartTime=2000-01-01T00:00:00Z&experimentId=${stored.datasetRunId}&fields=core,io`);
    expect(items.data.map((i: { traceId: string }) => i.traceId).sort()).toEqual(Object.values(traceOf).sort());
    expect(items.data.find((i: { experimentItemId: string }) => i.experimentItemId === 'v5/capitals-Japan')).toMatchObject({ output: 'Kyoto', expectedOutput: 'Tokyo', environment: 'sdk-experiment' });
  });
});
