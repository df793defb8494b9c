import { requestJson } from './api-client.js';
import { TraceClient, type ObservationClient } from './handles.js';
import { withRetry } from './retry.js';
import type { ExperimentOptions, ExperimentResult } from './experiment.js';
import type { Transport } from './transport.js';

/**
 * The body of `createDataset`: creates the dataset or updates the one of that name.
 * @example `{ name: 'qa/capitals', description: 'capital cities', metadata: { owner: 'qa' } }`
 */
export interface CreateDatasetBody {
  name: string;
  description?: string;
  metadata?: unknown;
  inputSchema?: unknown;
  expectedOutputSchema?: unknown;
}

/**
 * The body of `createDatasetItem`: upserted by `id` (a new id when absent).
 * @example `{ datasetName: 'qa/capitals', input: { country: 'France' }, expectedOutput: 'Paris' }`
 */
export interface CreateDatasetItemBody {
  datasetName: string;
  id?: string;
  input?: unknown;
  expectedOutput?: unknown;
  metadata?: unknown;
  sourceTraceId?: string;
  sourceObservationId?: string;
  status?: 'ACTIVE' | 'ARCHIVED';
}

/** A dataset as the server returns it. */
export interface DatasetResponse {
  id: string;
  name: string;
  description: string | null;
  metadata: unknown;
  inputSchema: unknown;
  expectedOutputSchema: unknown;
  projectId: string;
  createdAt: string;
  updatedAt: string;
}

/** A dataset item as the server returns it. */
export interface DatasetItemResponse {
  id: string;
  status: 'ACTIVE' | 'ARCHIVED';
  input: unknown;
  expectedOutput: unknown;
  metadata: unknown;
  sourceTraceId: string | null;
  sourceObservationId: string | null;
  datasetId: string;
  datasetName: string;
  createdAt: string;
  updatedAt: string;
}

/** One link of a dataset item to the trace (or observation) of a run. */
export interface DatasetRunItem {
  id: string;
  datasetRunId: string;
  datasetRunName: string;
  datasetItemId: string;
  traceId: string;
  observationId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DatasetRun {
  id: string;
  name: string;
  description: string | null;
  metadata: unknown;
  datasetId: string;
  datasetName: string;
  createdAt: string;
  updatedAt: string;
}

/** What a dataset item can be linked to: a trace, or a span/generation/event of one. */
export type LinkTarget = TraceClient | ObservationClient;

/** A dataset item of {@link Dataset}, with `link` to record it as run by a trace. */
export interface DatasetItem extends DatasetItemResponse {
  /**
   * Records that run `runName` processed this item in `target` (the run is created on first
   * use; `description` and `metadata` update it). Sends the queued events first, as `langfuse` v3 does.
   */
  link(target: LinkTarget, runName: string, options?: { description?: string; metadata?: unknown }): Promise<DatasetRunItem>;
}

/** A dataset with its active items (all pages). */
export interface Dataset extends DatasetResponse {
  items: DatasetItem[];
  /**
   * Runs an experiment on the items (see `Sightline.runExperiment`), linking each to a dataset run.
   * @example `await dataset.runExperiment({ name: 'quiz', task: async (item) => answer(item.input), evaluators: [exact] })`
   */
  runExperiment(options: Omit<ExperimentOptions, 'data'>): Promise<ExperimentResult>;
}

export interface DatasetManagerOptions {
  transport: () => Transport;
  runExperiment: (options: ExperimentOptions) => Promise<ExperimentResult>;
  /** Sends the tracer's queued events (so a linked trace reaches the server before its run item). */
  flush: () => Promise<unknown>;
}

/** One page of a list and its counts. */
export interface DatasetPage<T> {
  data: T[];
  meta: { page: number; limit: number; totalItems: number; totalPages: number };
}

const enc = encodeURIComponent;

/** The dataset calls of {@link Sightline}, with the `langfuse` v3 SDK's names and semantics. */
export class DatasetManager {
  constructor(private readonly o: DatasetManagerOptions) {}

  createDataset(body: CreateDatasetBody | string): Promise<DatasetResponse> {
    return this.send('POST', '/api/public/datasets', typeof body === 'string' ? { name: body } : body);
  }

  createDatasetItem(body: CreateDatasetItemBody): Promise<DatasetItemResponse> {
    return this.send('POST', '/api/public/dataset-items', body);
  }

  getDatasetItem(id: string): Promise<DatasetItemResponse> {
    return this.send('GET', `/api/public/dataset-items/${enc(id)}`);
  }

  /** The dataset and all its active items (`version`: as they were at that instant), fetched page by page. */
  async getDataset(name: string, options: { fetchItemsPageSize?: number; version?: Date } = {}): Promise<Dataset> {
    const dataset = await this.send<DatasetResponse>('GET', `/api/public/v2/datasets/${enc(name)}`);
    const items: DatasetItemResponse[] = [];
    const params = new URLSearchParams({ datasetName: name, limit: String(options.fetchItemsPageSize ?? 50) });
    if (options.version) params.set('version', options.version.toISOString());
    for (let page = 1; ; page++) {
      params.set('page', String(page));
      const res = await this.send<DatasetPage<DatasetItemResponse>>('GET', `/api/public/dataset-items?${params.toString()}`);
      items.push(...res.data);
      if (res.meta.totalPages <= page) break;
    }
    const linkable = items.map((item): DatasetItem => ({ ...item, link: (target, runName, opts) => this.link(item.id, target, runName, opts) }));
    return { ...dataset, items: linkable, runExperiment: (o) => this.o.runExperiment({ ...o, data: items }) };
  }

  getDatasetRun(params: { datasetName: string; runName: string }): Promise<DatasetRun & { datasetRunItems: DatasetRunItem[] }> {
    return this.send('GET', `/api/public/datasets/${enc(params.datasetName)}/runs/${enc(params.runName)}`);
  }

  getDatasetRuns(datasetName: string, query: { page?: number; limit?: number } = {}): Promise<DatasetPage<DatasetRun>> {
    const params = new URLSearchParams();
    if (query.page !== undefined) params.set('page', String(query.page));
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    const search = params.toString();
    return this.send('GET', `/api/public/datasets/${enc(datasetName)}/runs${search ? `?${search}` : ''}`);
  }

  private async link(datasetItemId: string, target: LinkTarget, runName: string, options: { description?: string; metadata?: unknown } = {}): Promise<DatasetRunItem> {
    await this.o.flush();
    const observationId = target instanceof TraceClient ? undefined : target.id;
    return this.createRunItem({ datasetItemId, traceId: target.traceId, observationId, runName, description: options.description, metadata: options.metadata });
  }

  /** Adds a run item (the run is created by name on first use); the trace need not be sent yet. */
  createRunItem(r: { datasetItemId: string; traceId: string; observationId?: string; runName: string; description?: string; metadata?: unknown }): Promise<DatasetRunItem> {
    return this.send('POST', '/api/public/dataset-run-items', {
      runName: r.runName,
      datasetItemId: r.datasetItemId,
      traceId: r.traceId,
      observationId: r.observationId,
      runDescription: r.description,
      metadata: r.metadata,
    });
  }

  /** Reads are retried (network, 408, 429, 5xx); writes are sent once, as a retried link could record a run item twice. */
  private send<R>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<R> {
    const transport = method === 'GET' ? withRetry(this.o.transport(), { maxAttempts: 3, initialDelayMs: 500 }) : this.o.transport();
    return requestJson<R>(transport, method, path, body);
  }
}
