import { notFound } from '@sightline/core';
import type { Dataset, DatasetStore } from '@sightline/storage';

/** The project's dataset of that name, or the 404 that names it. */
export async function datasetOr404(store: DatasetStore, projectId: string, name: string): Promise<Dataset> {
  const dataset = await store.get(projectId, name);
  if (!dataset) throw notFound(`Dataset not found: '${name}'`);
  return dataset;
}
