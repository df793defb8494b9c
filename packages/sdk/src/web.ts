// The runtime-neutral entry: no Node-only imports, so it runs wherever `fetch` runs (Node,
// Deno, Bun, edge runtimes, browsers). `observe()` nests calls only where the runtime offers
// an AsyncLocalStorage global; the Node entry (index.ts) installs one itself.
export { Sightline, getDefaultSightline } from './sightline.js';
export { SightlineClient, type SightlineClientOptions } from './api-client.js';
export { observe, type ObserveOptions } from './observe.js';
export { observeOpenAI, type ObserveOpenAIOptions } from './openai.js';
export { getActiveObservation, setContextManager, createAlsContextManager, type ContextManager } from './context.js';
export { TraceClient, SpanClient, GenerationClient, EventClient, ObservationParent, type HandleScoreBody } from './handles.js';
export { TextPromptClient, ChatPromptClient, BasePromptClient, renderTemplate, type PromptClient, type PromptResponse, type ChatMessage, type PlaceholderMessage, type ChatPromptItem } from './prompt-clients.js';
export type { GetPromptOptions, CreatePromptBody, UpdatePromptBody } from './prompt-manager.js';
export type { CreateDatasetBody, CreateDatasetItemBody, Dataset, DatasetItem, DatasetItemResponse, DatasetPage, DatasetResponse, DatasetRun, DatasetRunItem, LinkTarget } from './datasets.js';
export { EXPERIMENT_ENVIRONMENT, formatResult as formatExperimentResult, type Evaluation, type Evaluator, type ExperimentItem, type ExperimentItemResult, type ExperimentOptions, type ExperimentProgress, type ExperimentResult, type RunEvaluator } from './experiment.js';
export { DEFAULT_PROMPT_CACHE_TTL_SECONDS } from './prompt-cache.js';
export { SightlineApiError, SightlineError, type SightlineErrorCode } from './errors.js';
export { createFetchTransport, type Transport, type TransportRequest, type TransportResponse, type FetchTransportOptions } from './transport.js';
export { withRetry, isRetryableStatus, retryAfterMs, type RetryPolicy } from './retry.js';
export type { SightlineOptions, MaskFunction } from './options.js';
export type { ProcessorStats } from './batch-processor.js';
export type * from './types.js';
export type * from './api-types.js';
export { SDK_NAME, SDK_VERSION } from './version.js';
