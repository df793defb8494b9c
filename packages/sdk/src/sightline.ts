import { isoNow } from './clock.js';
import { SightlineClient } from './api-client.js';
import { BatchProcessor, type ProcessorStats } from './batch-processor.js';
import { SightlineError, toSightlineError } from './errors.js';
import { createIngestionExporter } from './exporter.js';
import { TraceClient, type EventClient, type GenerationClient, type SpanClient } from './handles.js';
import { scoreBody, traceBody } from './bodies.js';
import { createId } from './ids.js';
import { resolveOptions, type ResolvedOptions, type SightlineOptions } from './options.js';
import { platformHooks } from './platform.js';
import type { ChatPromptClient, PromptClient, TextPromptClient } from './prompt-clients.js';
import { DatasetManager, type CreateDatasetBody, type CreateDatasetItemBody, type Dataset, type DatasetItemResponse, type DatasetPage, type DatasetResponse, type DatasetRun, type DatasetRunItem } from './datasets.js';
import { runExperiment, type ExperimentOptions, type ExperimentResult } from './experiment.js';
import { PromptManager, type CreatePromptBody, type GetPromptOptions, type UpdatePromptBody } from './prompt-manager.js';
import { withRetry } from './retry.js';
import { TracerCore } from './tracer-core.js';
import { createFetchTransport, type Transport } from './transport.js';
import type { GenerationBody, ObservationBody, ScoreBody, SpanBody, TraceBody } from './types.js';
import { SDK_NAME, SDK_VERSION } from './version.js';

let defaultInstance: Sightline | undefined;
const becomeDefaultIfFirst = (instance: Sightline) => void (defaultInstance ??= instance);

/**
 * The instance `observe()` and `observeOpenAI()` use when none is passed: the first one created,
 * or one configured from environment variables.
 * @example `await getDefaultSightline().flush();`
 */
export function getDefaultSightline(): Sightline {
  return (defaultInstance ??= new Sightline());
}

/**
 * The tracer. Calls return at once: events get client-side ids, are serialised and queued, and
 * go to POST /api/public/ingestion in batches in the background. Nothing here throws into the
 * application; problems go to `onError`. Method and option names match the `langfuse` v3 SDK.
 * @example
 * ```ts
 * import { Sightline } from '@sightline/sdk';
 * const sightline = new Sightline(); // keys and host from SIGHTLINE_* or LANGFUSE_* variables
 * const trace = sightline.trace({ name: 'chat', userId: 'u1', input: { q } });
 * const gen = trace.generation({ name: 'llm', model: 'gpt-4o', input: messages });
 * gen.end({ output: reply, usage: { input: 10, output: 5 } });
 * await sightline.shutdown();
 * ```
 */
export class Sightline {
  private readonly core: TracerCore;
  private readonly processor: BatchProcessor | undefined;
  private readonly options: ResolvedOptions;
  private readonly raw: SightlineOptions;
  private unregisterExit: () => void = () => {};
  private client: SightlineClient | undefined;
  private prompts: PromptManager | undefined;
  private datasets: DatasetManager | undefined;

  constructor(options: SightlineOptions = {}) {
    this.raw = options;
    const onError = safeOnError(options.onError);
    this.options = resolveOptions(options);
    const o = this.options;
    let processor: BatchProcessor | undefined;
    try {
      if (o.enabled && (!o.publicKey || !o.secretKey)) {
        onError(new SightlineError('config', 'publicKey/secretKey missing (options or SIGHTLINE_PUBLIC_KEY/SIGHTLINE_SECRET_KEY); tracing is disabled'));
      } else if (o.enabled && !isHttpUrl(o.baseUrl)) {
        onError(new SightlineError('config', `baseUrl ${JSON.stringify(o.baseUrl)} is not an http(s) URL; tracing is disabled`));
      } else if (o.enabled) {
        const headers = { 'x-langfuse-sdk-name': SDK_NAME, 'x-langfuse-sdk-version': SDK_VERSION };
        const http = options.transport ?? createFetchTransport({ baseUrl: o.baseUrl, publicKey: o.publicKey!, secretKey: o.secretKey!, timeoutMs: o.requestTimeout, fetch: options.fetch, headers });
        const metadata = { sdk_name: SDK_NAME, sdk_version: SDK_VERSION, sdk_integration: 'DEFAULT', public_key: o.publicKey };
        const exporter = createIngestionExporter({ transport: withRetry(http, o.retry), onError, metadata });
        processor = new BatchProcessor({
          exporter,
          onError,
          flushAt: o.flushAt,
          flushIntervalMs: o.flushInterval,
          maxBatchEvents: o.maxBatchEvents,
          maxBatchBytes: o.maxBatchBytes,
          maxQueueEvents: o.maxQueueEvents,
          maxQueueBytes: o.maxQueueBytes,
        });
        this.unregisterExit = platformHooks().registerExitFlush(this);
      }
    } catch (e) {
      onError(toSightlineError(e, 'Sightline constructor'));
      processor = undefined;
    }
    this.processor = processor;
    this.core = new TracerCore(processor, onError, options.mask, o.environment, o.sampleRate, o.baseUrl);
    becomeDefaultIfFirst(this);
  }

  /** Starts a trace. Trace-level fields: name, userId, sessionId, tags, release, version, environment, metadata, input, output, public. */
  trace(body: TraceBody = {}): TraceClient {
    let id = body.id;
    try {
      id ??= createId();
      const sampled = this.core.isSampled(id);
      if (sampled) {
        const now = isoNow();
        this.core.emit('trace-create', traceBody(body, id, body.timestamp ?? now, body.release ?? this.options.release, this.options.environment), now);
      }
      return new TraceClient(this.core, id, sampled);
    } catch (e) {
      this.core.report(toSightlineError(e, 'trace()'));
      return new TraceClient(this.core, id ?? createId(), false);
    }
  }

  /** A span in the trace `body.traceId`; without one, a new trace named like the span is created. */
  span(body: SpanBody = {}): SpanClient {
    return this.parentFor(body).span(withoutTraceId(body));
  }

  /** A generation in the trace `body.traceId` (or a new trace). */
  generation(body: GenerationBody = {}): GenerationClient {
    return this.parentFor(body).generation(withoutTraceId(body));
  }

  /** An event in the trace `body.traceId` (or a new trace). */
  event(body: ObservationBody = {}): EventClient {
    return this.parentFor(body).event(withoutTraceId(body));
  }

  /** A score for a trace, observation or session. @example `sightline.score({ traceId, name: 'feedback', value: 1 })` */
  score(body: ScoreBody): this {
    try {
      const key = body.traceId ?? body.sessionId ?? body.datasetRunId ?? '';
      if (!this.core.isSampled(key)) return this;
      const now = isoNow();
      this.core.emit('score-create', scoreBody(body, body.id ?? createId(), body.traceId, body.observationId, this.options.environment), now);
    } catch (e) {
      this.core.report(toSightlineError(e, 'score()'));
    }
    return this;
  }

  /**
   * Sends everything queued and resolves once the queue is empty (true) or `flushTimeout`
   * passed (false). Never rejects. A callback is accepted for `langfuse` v3 compatibility.
   */
  async flush(callback?: (err?: unknown) => void): Promise<boolean> {
    const drained = this.processor ? await this.processor.flush(this.options.flushTimeout) : true;
    try {
      if (typeof callback === 'function') callback(drained ? undefined : new Error('flush timed out'));
    } catch (e) {
      this.core.report(toSightlineError(e, 'flush callback'));
    }
    return drained;
  }

  /** Alias of {@link Sightline.flush} (the `langfuse` v3 name). */
  flushAsync(): Promise<boolean> {
    return this.flush();
  }

  /** Flushes, then stops accepting events. Idempotent: every call returns the same promise. */
  shutdown(): Promise<boolean> {
    this.unregisterExit();
    return this.processor ? this.processor.shutdown(this.options.flushTimeout) : Promise.resolve(true);
  }

  /**
   * @internal Called by the Node entry on 'beforeExit': drains for at most 5 s (or `flushTimeout`,
   * if shorter) so a script whose server is down still exits promptly.
   */
  drainOnExit(): Promise<boolean> {
    return this.processor ? this.processor.shutdown(Math.min(this.options.flushTimeout, 5_000)) : Promise.resolve(true);
  }

  /** Alias of {@link Sightline.shutdown} (the `langfuse` v3 name). */
  shutdownAsync(): Promise<boolean> {
    return this.shutdown();
  }

  /** Queue counters: queued, in flight, dropped (with the reason reported once) and sent. */
  get stats(): ProcessorStats {
    return this.processor?.stats ?? { queued: 0, inFlight: 0, dropped: 0, sent: 0 };
  }

  /** The low-level REST client on the same server and keys (as `langfuse.api` in v3). */
  get api(): SightlineClient {
    const o = this.options;
    return (this.client ??= new SightlineClient({ baseUrl: o.baseUrl, publicKey: o.publicKey, secretKey: o.secretKey, fetch: this.raw.fetch }));
  }

  /**
   * A prompt version, as `langfuse` v3's `getPrompt`: by `label` (default `production`) or
   * `version`. Served from a per-process cache for `cacheTtlSeconds` (60); after that the cached
   * one is still returned at once while one background fetch refreshes it (a failed refresh goes
   * to `onError` as `prompt_refresh`). Only the first fetch of a name waits for the server.
   *
   * Rejects (with `SightlineApiError`, or the network error) when that fetch fails, nothing
   * is cached and no `fallback` is given; with a `fallback`, resolves to it (`isFallback: true`).
   * @example
   * ```ts
   * const prompt = await sightline.getPrompt('greet', undefined, { fallback: 'Hi {{name}}' });
   * const gen = trace.generation({ name: 'llm', prompt, input: prompt.compile({ name: 'Ada' }) });
   * const chat = await sightline.getPrompt('support', 3, { type: 'chat' });
   * ```
   */
  getPrompt(name: string, version?: number, options?: GetPromptOptions & { type?: 'text' }): Promise<TextPromptClient>;
  getPrompt(name: string, version: number | undefined, options: GetPromptOptions & { type: 'chat' }): Promise<ChatPromptClient>;
  getPrompt(name: string, version?: number, options?: GetPromptOptions): Promise<PromptClient> {
    return this.promptManager().get(name, version, options);
  }

  /**
   * Creates the next version of a prompt (POST /api/public/v2/prompts) and drops the cached
   * versions of that name. Rejects with `SightlineApiError` when the server refuses it.
   * @example
   * ```ts
   * await sightline.createPrompt({ name: 'greet', prompt: 'Hi {{name}}', labels: ['production'] });
   * await sightline.createPrompt({ name: 'support', type: 'chat', prompt: [{ role: 'system', content: 'Be brief.' }, { type: 'placeholder', name: 'history' }] });
   * ```
   */
  createPrompt(body: CreatePromptBody & { type: 'chat' }): Promise<ChatPromptClient>;
  createPrompt(body: CreatePromptBody & { type?: 'text' }): Promise<TextPromptClient>;
  createPrompt(body: CreatePromptBody): Promise<PromptClient> {
    return this.promptManager().create(body);
  }

  /**
   * Sets the labels of one version (PATCH …/versions/{version}), moving them from other versions,
   * and drops the cached versions of that name.
   * @example `await sightline.updatePrompt({ name: 'greet', version: 2, newLabels: ['production'] });`
   */
  updatePrompt(body: UpdatePromptBody): Promise<PromptClient> {
    return this.promptManager().update(body);
  }

  /**
   * Creates a dataset, or updates the one of that name. Rejects with `SightlineApiError` when refused.
   * @example `await sightline.createDataset({ name: 'qa/capitals', description: 'capital cities' });`
   */
  createDataset(body: CreateDatasetBody | string): Promise<DatasetResponse> {
    return this.datasetManager().createDataset(body);
  }

  /**
   * Creates a dataset item, or updates the one with that `id`.
   * @example `await sightline.createDatasetItem({ datasetName: 'qa/capitals', input: { country: 'France' }, expectedOutput: 'Paris' });`
   */
  createDatasetItem(body: CreateDatasetItemBody): Promise<DatasetItemResponse> {
    return this.datasetManager().createDatasetItem(body);
  }

  /** One dataset item by id (archived ones too). @example `await sightline.getDatasetItem('item-1');` */
  getDatasetItem(id: string): Promise<DatasetItemResponse> {
    return this.datasetManager().getDatasetItem(id);
  }

  /**
   * A dataset with all its active items (`version`: as they were then); each item's `link`
   * records it as run by a trace or observation in a named run.
   * @example
   * ```ts
   * const dataset = await sightline.getDataset('qa/capitals');
   * for (const item of dataset.items) {
   *   const trace = sightline.trace({ name: 'quiz', input: item.input });
   *   await item.link(trace, 'baseline', { description: 'first model' });
   * }
   * ```
   */
  getDataset(name: string, options?: { fetchItemsPageSize?: number; version?: Date }): Promise<Dataset> {
    return this.datasetManager().getDataset(name, options);
  }

  /** A run of a dataset with its run items. @example `await sightline.getDatasetRun({ datasetName: 'qa', runName: 'baseline' });` */
  getDatasetRun(params: { datasetName: string; runName: string }): Promise<DatasetRun & { datasetRunItems: DatasetRunItem[] }> {
    return this.datasetManager().getDatasetRun(params);
  }

  /** A dataset's runs, newest first, one page. @example `await sightline.getDatasetRuns('qa', { limit: 10 });` */
  getDatasetRuns(datasetName: string, query?: { page?: number; limit?: number }): Promise<DatasetPage<DatasetRun>> {
    return this.datasetManager().getDatasetRuns(datasetName, query);
  }

  /**
   * Runs `task` on every item of `data` with the semantics of the Langfuse v5 experiment runner:
   * each item in its own trace (environment `sdk-experiment`), at most `maxConcurrency` (50) at
   * once; `evaluators` score each output on its trace, `runEvaluators` score the run (a dataset
   * run, when the items are dataset items: then each item is linked to run `runName`).
   * `onProgress` is called after each item; `result.format()` is a summary table.
   * @example
   * ```ts
   * const result = await sightline.runExperiment({
   *   name: 'capital-quiz',
   *   data: [{ input: { country: 'France' }, expectedOutput: 'Paris' }],
   *   task: async (item) => answer(item.input),
   *   evaluators: [async ({ output, expectedOutput }) => ({ name: 'exact', value: output === expectedOutput ? 1 : 0 })],
   * });
   * console.log(result.format());
   * ```
   */
  runExperiment(options: ExperimentOptions): Promise<ExperimentResult> {
    return runExperiment(
      {
        trace: (body) => this.trace(body),
        score: (body) => this.score(body),
        flush: () => this.flush(),
        link: (l) => this.datasetManager().createRunItem({ datasetItemId: l.itemId, traceId: l.traceId, observationId: l.observationId, runName: l.runName, description: l.description, metadata: l.metadata }),
        report: (e) => this.core.report(e),
      },
      options,
    );
  }

  /** @internal Hands an error caught by an integration to `onError`. */
  reportError(error: SightlineError): void {
    this.core.report(error);
  }

  /** The transport of the awaited API calls (prompts, datasets): the option's, or fetch with the SDK headers. */
  private apiTransport(timeoutMs?: number): Transport {
    const o = this.options;
    const raw = this.raw;
    const headers = { 'x-langfuse-sdk-name': SDK_NAME, 'x-langfuse-sdk-version': SDK_VERSION };
    return raw.transport ?? createFetchTransport({ baseUrl: o.baseUrl, publicKey: o.publicKey ?? '', secretKey: o.secretKey ?? '', timeoutMs: timeoutMs ?? o.requestTimeout, fetch: raw.fetch, headers });
  }

  private promptManager(): PromptManager {
    return (this.prompts ??= new PromptManager({
      transport: (timeoutMs) => this.apiTransport(timeoutMs),
      report: (e) => this.core.report(e),
      now: this.raw.now,
    }));
  }

  private datasetManager(): DatasetManager {
    return (this.datasets ??= new DatasetManager({ transport: () => this.apiTransport(), flush: () => this.flush(), runExperiment: (o) => this.runExperiment(o) }));
  }

  private parentFor(body: { traceId?: string; name?: string | null }): TraceClient {
    if (body.traceId) return new TraceClient(this.core, body.traceId, this.core.isSampled(body.traceId));
    return this.trace({ name: body.name ?? undefined });
  }
}

function isHttpUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}

function withoutTraceId<B extends { traceId?: string }>(body: B): B {
  if (body.traceId === undefined) return body;
  const { traceId: _drop, ...rest } = body;
  return rest as B;
}

/** The user's hook made safe, or a console warning once per error code. */
function safeOnError(hook: ((e: SightlineError) => void) | undefined): (e: SightlineError) => void {
  if (hook) {
    return (e) => {
      try {
        hook(e);
      } catch {
        // a throwing onError must not reach the host either
      }
    };
  }
  const seen = new Set<string>();
  return (e) => {
    if (seen.has(e.code)) return;
    seen.add(e.code);
    console.warn(`[sightline] ${e.message} (logged once per kind; pass onError to see every one)`);
  };
}
