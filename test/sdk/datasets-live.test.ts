import { Sightline, SightlineApiError } from '@sightline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, startLiveServer, type LiveServer } from './support/live-server.js';

// The SDK's dataset calls against a real server: create a dataset and items, read it back with
// its items over several pages, link items to traces and generations in a run, read the run.

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('datasets through the SDK against a live server', () => {
  it('creates a dataset and items, gets them back page by page, links items to a run and reads the run', async () => {
    const sightline = new Sightline({ ...keys, baseUrl: server.url });
    const name = `sdk/qa-${crypto.randomUUID().slice(0, 8)}`;
    const created = await sightline.createDataset({ name, description: 'capitals', metadata: { owner: 'sdk' } });
    expect(created).toMatchObject({ name, description: 'capitals', metadata: { owner: 'sdk' } });
    for (const [country, capital] of [['France', 'Paris'], ['Japan', 'Tokyo'], ['Peru', 'Lima']]) {
      await sightline.createDatasetItem({ datasetName: name, id: `${name}-${country}`, input: { country }, expectedOutput: capital });
    }
    const archived = await sightline.createDatasetItem({ datasetName: name, input: { country: 'Atlantis' }, status: 'ARCHIVED' });
    expect((await sightline.getDatasetItem(archived.id)).status).toBe('ARCHIVED');

    const dataset = await sightline.getDataset(name, { fetchItemsPageSize: 2 });
    expect(dataset).toMatchObject({ id: created.id, name });
    expect(dataset.items.map((i) => i.expectedOutput).sort()).toEqual(['Lima', 'Paris', 'Tokyo']);

    const traceIds: string[] = [];
    for (const item of dataset.items) {
      const trace = sightline.trace({ name: 'quiz', input: item.input });
      const generation = trace.generation({ name: 'answer', input: item.input }).end({ output: item.expectedOutput });
      const target = item.expectedOutput === 'Paris' ? generation : trace;
      const link = await item.link(target, 'baseline', { description: 'lookup', metadata: { model: 'v1' } });
      expect(link).toMatchObject({ datasetItemId: item.id, traceId: trace.id, observationId: target === trace ? null : generation.id, datasetRunName: 'baseline' });
      traceIds.push(trace.id);
    }

    const run = await sightline.getDatasetRun({ datasetName: name, runName: 'baseline' });
    expect(run).toMatchObject({ name: 'baseline', description: 'lookup', metadata: { model: 'v1' }, datasetId: created.id });
    expect(run.datasetRunItems.map((ri) => ri.traceId).sort()).toEqual([...traceIds].sort());
    expect((await sightline.getDatasetRuns(name)).data.map((r) => r.name)).toEqual(['baseline']);
    // link sent the queued events first: the linked traces are stored.
    for (const id of traceIds) expect((await server.client.traces.get(id)).name).toBe('quiz');

    const missing = await sightline.getDataset('no-such-dataset').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(SightlineApiError);
    expect((missing as SightlineApiError).status).toBe(404);
    await sightline.shutdown();
  });
});
