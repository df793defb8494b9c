import { Sightline, type Evaluator, type SightlineError } from '@sightline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, startLiveServer, type LiveServer } from './support/live-server.js';

// The SDK's experiment runner against a real server: on a stored dataset (items linked to one
// dataset run) and on local data, with item and run evaluators, progress, a failing task and a
// throwing evaluator; what it wrote is read back.

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer();
});
afterAll(async () => {
  await server?.stop();
});

const capitals: Record<string, string> = { France: 'Paris', Japan: 'Kyoto', Peru: 'Lima' };
const task = async (item: { input: unknown }) => {
  const { country } = item.input as { country: string };
  if (country === 'Atlantis') throw new Error('no such country');
  return capitals[country];
};
const exact: Evaluator = ({ output, expectedOutput }) => ({ name: 'exact_match', value: output === expectedOutput ? 1 : 0 });
const broken: Evaluator = () => {
  throw new Error('evaluator bug');
};

describe('experiments through the SDK against a live server', () => {
  it('runs on a stored dataset: one run item per item pointing at its trace, scores on traces and on the run', async () => {
    const errors: SightlineError[] = [];
    const sightline = new Sightline({ ...keys, baseUrl: server.url, onError: (e) => errors.push(e) });
    const name = `sdk/exp-${crypto.randomUUID().slice(0, 8)}`;
    await sightline.createDataset(name);
    for (const [country, capital] of [['France', 'Paris'], ['Japan', 'Tokyo'], ['Peru', 'Lima'], ['Atlantis', '?']]) {
      await sightline.createDatasetItem({ datasetName: name, id: `${name}-${country}`, input: { country }, expectedOutput: capital });
    }
    const dataset = await sightline.getDataset(name);
    const progress: number[] = [];
    const result = await dataset.runExperiment({
      name: 'capital-quiz',
      runName: 'quiz run 1',
      description: 'lookup',
      metadata: { model: 'table' },
      task,
      evaluators: [exact, broken],
      runEvaluators: [({ itemResults }) => ({ name: 'accuracy', value: itemResults.filter((r) => r.evaluations[0].value === 1).length / itemResults.length })],
      maxConcurrency: 2,
      onProgress: ({ completed }) => progress.push(completed),
    });
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(result.failedItems.map((f) => [(f.item.input as { country: string }).country, f.error])).toEqual([['Atlantis', 'no such country']]);
    expect(result.itemResults).toHaveLength(3);
    expect(result.datasetRunId).toEqual(expect.any(String));
    expect(result.runEvaluations).toEqual([{ name: 'accuracy', value: 2 / 3 }]);
    expect(errors.filter((e) => e.code === 'experiment').map((e) => e.message)).toEqual(Array(3).fill('an evaluator threw: evaluator bug'));

    const run = await sightline.getDatasetRun({ datasetName: name, runName: 'quiz run 1' });
    expect(run).toMatchObject({ id: result.datasetRunId, description: 'lookup', metadata: { model: 'table' } });
    // Every item was linked, the failed one included (its trace records the error).
    expect(run.datasetRunItems).toHaveLength(4);
    const traceOf = new Map(result.itemResults.map((r) => [r.item.id, r.traceId]));
    for (const ri of run.datasetRunItems.filter((i) => traceOf.has(i.datasetItemId))) expect(ri.traceId).toBe(traceOf.get(ri.datasetItemId));

    for (const r of result.itemResults) {
      const trace = await server.client.traces.get(r.traceId);
      expect(trace).toMatchObject({ name: 'experiment-item-run', environment: 'sdk-experiment', output: r.output, metadata: { experiment_name: 'capital-quiz', experiment_run_name: 'quiz run 1', dataset_item_id: r.item.id } });
      const scores = await server.client.scores.list({ traceId: r.traceId });
      expect(scores.data.map((s) => [s.name, s.value])).toEqual([['exact_match', r.output === r.item.expectedOutput ? 1 : 0]]);
    }
    const runScores = await server.client.scores.list({ datasetRunId: result.datasetRunId });
    expect(runScores.data.map((s) => [s.name, s.value])).toEqual([['accuracy', 2 / 3]]);

    const table = result.format();
    expect(table).toContain('Experiment capital-quiz (run quiz run 1): 3 items, 1 failed');
    expect(table).toContain('Averages: exact_match: 0.667');
    expect(table).toContain('Run evaluations: accuracy: 0.6666666666666666');
    await sightline.shutdown();
  });

  it('runs on local data: traces and scores, no dataset run', async () => {
    const sightline = new Sightline({ ...keys, baseUrl: server.url });
    const result = await sightline.runExperiment({ name: 'local', data: [{ input: { country: 'Peru' }, expectedOutput: 'Lima' }], task, evaluators: [exact] });
    expect(result.runName).toMatch(/^local - \d{4}-/);
    expect(result.datasetRunId).toBeUndefined();
    expect(result.itemResults.map((r) => [r.output, r.evaluations])).toEqual([['Lima', [{ name: 'exact_match', value: 1 }]]]);
    expect((await server.client.traces.get(result.itemResults[0].traceId)).environment).toBe('sdk-experiment');
    await sightline.shutdown();
  });
});
