import type { SqlDialect, WritableDb } from '../db.js';
import type { Page, Paged } from '../types.js';
import { listExperimentItems, listExperiments } from './experiments.js';
import { getDatasetById, getDatasetByName, getItem, listDatasets, listItems } from './read-datasets.js';
import { comparedItems, datasetCounts, runItemFacts, runScores } from './compare-runs.js';
import { deleteRun, getRun, getRunsByIds, linkRunItem, listRunItems, listRuns } from './runs.js';
import type {
  ComparedItem,
  Dataset,
  DatasetCounts,
  DatasetItem,
  DatasetItemQuery,
  DatasetItemUpsert,
  DatasetRun,
  DatasetRunItem,
  DatasetUpsert,
  Experiment,
  ExperimentItem,
  ExperimentItemQuery,
  ExperimentQuery,
  ItemInOtherDataset,
  RunItemFacts,
  RunItemLink,
  RunScore,
} from './types.js';
import { deleteItem, upsertDataset, upsertItem, upsertItems } from './write-datasets.js';

/**
 * Datasets of a project, their items (versioned: every state an item had is kept, so a read can
 * ask for the items as they were at an instant), runs of an application over them and the run
 * items that link a dataset item to the trace of one run.
 */
export interface DatasetStore {
  /** Creates the dataset or updates the one with that name. */
  upsert(d: DatasetUpsert): Promise<Dataset>;
  get(projectId: string, name: string): Promise<Dataset | null>;
  getById(projectId: string, id: string): Promise<Dataset | null>;
  list(projectId: string, page: Page): Promise<Paged<Dataset>>;

  /** Creates the item or updates it; an id held by another dataset of the project is refused. */
  upsertItem(item: DatasetItemUpsert): Promise<DatasetItem | ItemInOtherDataset>;
  getItem(projectId: string, id: string): Promise<DatasetItem | null>;
  listItems(projectId: string, q: DatasetItemQuery): Promise<Paged<DatasetItem>>;
  /** Deletes an item and its run items; false when there was none. */
  deleteItem(projectId: string, id: string, at: number): Promise<boolean>;

  linkRunItem(link: RunItemLink): Promise<DatasetRunItem>;
  getRun(projectId: string, datasetId: string, name: string): Promise<DatasetRun | null>;
  listRuns(projectId: string, datasetId: string, page: Page): Promise<Paged<DatasetRun>>;
  listRunItems(projectId: string, runId: string, page: Page): Promise<Paged<DatasetRunItem>>;
  /** Deletes a run and its run items (never their traces); false when there was none. */
  deleteRun(projectId: string, runId: string): Promise<boolean>;

  listExperiments(projectId: string, q: ExperimentQuery): Promise<Experiment[]>;
  listExperimentItems(projectId: string, q: ExperimentItemQuery): Promise<ExperimentItem[]>;

  /** Each dataset's active items and runs (every id given gets an entry). */
  counts(projectId: string, datasetIds: string[]): Promise<Map<string, DatasetCounts>>;
  /** Upserts many items in one transaction (an import); all or none: an id held by another dataset writes nothing. */
  upsertItems(items: DatasetItemUpsert[]): Promise<DatasetItem[] | ItemInOtherDataset>;
  /** The dataset's runs of these ids, in the order given (unknown ids left out). */
  getRunsByIds(projectId: string, datasetId: string, ids: string[]): Promise<DatasetRun[]>;
  /** The runs' items with latency, cost, scores and (with `previewChars`) output previews; a few queries whatever their number. */
  runItemFacts(projectId: string, runIds: string[], previewChars?: number): Promise<RunItemFacts[]>;
  /** The dataset items the runs' items point at, input and expected output previewed. */
  comparedItems(projectId: string, runIds: string[], previewChars: number): Promise<ComparedItem[]>;
  /** Scores that target the runs themselves. */
  runScores(projectId: string, runIds: string[]): Promise<RunScore[]>;
}

export function createDatasetStore(db: WritableDb, d: SqlDialect): DatasetStore {
  return {
    upsert: (u) => db.transaction((tx) => upsertDataset(tx, u)),
    get: (projectId, name) => getDatasetByName(db, projectId, name),
    getById: (projectId, id) => getDatasetById(db, projectId, id),
    list: (projectId, page) => listDatasets(db, projectId, page),
    upsertItem: (item) => db.transaction((tx) => upsertItem(tx, d, item)),
    getItem: (projectId, id) => getItem(db, projectId, id),
    listItems: (projectId, q) => listItems(db, projectId, q),
    deleteItem: (projectId, id, at) => db.transaction((tx) => deleteItem(tx, d, projectId, id, at)),
    linkRunItem: (link) => db.transaction((tx) => linkRunItem(tx, link)),
    getRun: (projectId, datasetId, name) => getRun(db, projectId, datasetId, name),
    listRuns: (projectId, datasetId, page) => listRuns(db, projectId, datasetId, page),
    listRunItems: (projectId, runId, page) => listRunItems(db, projectId, runId, page),
    deleteRun: (projectId, runId) => db.transaction((tx) => deleteRun(tx, projectId, runId)),
    listExperiments: (projectId, q) => listExperiments(db, projectId, q),
    listExperimentItems: (projectId, q) => listExperimentItems(db, projectId, q),
    counts: (projectId, datasetIds) => datasetCounts(db, projectId, datasetIds),
    upsertItems: (items) => upsertItems(db, d, items),
    getRunsByIds: (projectId, datasetId, ids) => getRunsByIds(db, projectId, datasetId, ids),
    runItemFacts: (projectId, runIds, previewChars) => runItemFacts(db, projectId, runIds, previewChars),
    comparedItems: (projectId, runIds, previewChars) => comparedItems(db, projectId, runIds, previewChars),
    runScores: (projectId, runIds) => runScores(db, projectId, runIds),
  };
}
