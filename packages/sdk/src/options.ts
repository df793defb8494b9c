import { readEnv, resolveConnection } from './env.js';
import type { SightlineError } from './errors.js';
import type { RetryPolicy } from './retry.js';
import type { Transport } from './transport.js';

/**
 * A masking hook, as in the `langfuse` SDK: gets `{ data }` (an input or output) and returns what to send.
 * @example `new Sightline({ mask: ({ data }) => JSON.parse(JSON.stringify(data).replace(/\d{16}/g, '****')) })`
 */
export type MaskFunction = (params: { data: unknown }) => unknown;

/**
 * Options of {@link Sightline}. Every one is optional; the option names shared with the
 * `langfuse` v3 SDK mean the same thing there.
 * @example
 * ```ts
 * new Sightline({ baseUrl: 'http://localhost:3000', publicKey: 'pk-lf-…', secretKey: 'sk-lf-…', flushAt: 50 });
 * ```
 */
export interface SightlineOptions {
  /** Default: `SIGHTLINE_PUBLIC_KEY`, then `LANGFUSE_PUBLIC_KEY`. */
  publicKey?: string;
  /** Default: `SIGHTLINE_SECRET_KEY`, then `LANGFUSE_SECRET_KEY`. */
  secretKey?: string;
  /** Default: `SIGHTLINE_HOST`, `LANGFUSE_BASEURL`, `LANGFUSE_HOST`, then http://localhost:3000. */
  baseUrl?: string;
  /** Set on every trace. Default: `SIGHTLINE_RELEASE` / `LANGFUSE_RELEASE`. */
  release?: string;
  /** Set on every trace, observation and score. Default: `SIGHTLINE_TRACING_ENVIRONMENT` / `LANGFUSE_TRACING_ENVIRONMENT`. */
  environment?: string;
  /** false: nothing is recorded or sent (default true). */
  enabled?: boolean;
  /** Send a batch once this many events are queued (default 100). */
  flushAt?: number;
  /** …or this many milliseconds after the first queued event (default 1 000). */
  flushInterval?: number;
  /** Per-attempt request timeout in milliseconds (default 10 000). */
  requestTimeout?: number;
  /** Most events in one request (default 1 000). */
  maxBatchEvents?: number;
  /** Most serialised characters in one request (default 1 000 000; the server takes 4.5 MB). */
  maxBatchBytes?: number;
  /** Most events held in memory, in flight included (default 100 000). */
  maxQueueEvents?: number;
  /** Most serialised characters held in memory, in flight included (default 32 MiB). */
  maxQueueBytes?: number;
  /** How long `flush()`/`shutdown()` wait at most (default 30 000 ms). */
  flushTimeout?: number;
  /** Retry policy of one batch; see {@link RetryPolicy}. */
  retry?: RetryPolicy;
  /** `langfuse` v3 name: retries after the first attempt (sets `retry.maxAttempts`). */
  fetchRetryCount?: number;
  /** `langfuse` v3 name: first backoff in ms (sets `retry.initialDelayMs`). */
  fetchRetryDelay?: number;
  /** Fraction of traces to keep, decided from the trace id so all parts of a trace agree (default 1). */
  sampleRate?: number;
  /** Applied to every `input` and `output` before it is queued. */
  mask?: MaskFunction;
  /** Receives every delivery problem. Default: a console warning, once per error code. */
  onError?: (error: SightlineError) => void;
  /** A `fetch` implementation (default: the global one). */
  fetch?: typeof fetch;
  /** Replaces the HTTP transport (retries are still added around it). */
  transport?: Transport;
  /** The clock (ms) of the prompt cache's expiry; tests inject one. Default `Date.now`. */
  now?: () => number;
}

/** Options with defaults applied. */
export interface ResolvedOptions {
  baseUrl: string;
  publicKey: string | undefined;
  secretKey: string | undefined;
  release: string | undefined;
  environment: string | undefined;
  enabled: boolean;
  flushAt: number;
  flushInterval: number;
  requestTimeout: number;
  maxBatchEvents: number;
  maxBatchBytes: number;
  maxQueueEvents: number;
  maxQueueBytes: number;
  flushTimeout: number;
  retry: RetryPolicy;
  sampleRate: number | undefined;
}

const positive = (value: number | undefined, fallback: number) => (typeof value === 'number' && value > 0 ? value : fallback);

/** Applies defaults and environment variables. */
export function resolveOptions(o: SightlineOptions): ResolvedOptions {
  const conn = resolveConnection(o);
  const envRate = readEnv('SIGHTLINE_SAMPLE_RATE', 'LANGFUSE_SAMPLE_RATE');
  const sampleRate = o.sampleRate ?? (envRate === undefined ? undefined : Number(envRate));
  const retry: RetryPolicy = { ...o.retry };
  if (o.fetchRetryCount !== undefined) retry.maxAttempts ??= o.fetchRetryCount + 1;
  if (o.fetchRetryDelay !== undefined) retry.initialDelayMs ??= o.fetchRetryDelay;
  const flushAt = Math.floor(positive(o.flushAt, 100));
  return {
    ...conn,
    release: o.release ?? readEnv('SIGHTLINE_RELEASE', 'LANGFUSE_RELEASE'),
    environment: o.environment ?? readEnv('SIGHTLINE_TRACING_ENVIRONMENT', 'LANGFUSE_TRACING_ENVIRONMENT'),
    enabled: o.enabled ?? true,
    flushAt,
    flushInterval: positive(o.flushInterval, 1_000),
    requestTimeout: positive(o.requestTimeout, 10_000),
    // The server takes at most 10 000 events per request.
    maxBatchEvents: Math.min(10_000, Math.max(flushAt, Math.floor(positive(o.maxBatchEvents, 1_000)))),
    maxBatchBytes: positive(o.maxBatchBytes, 1_000_000),
    maxQueueEvents: Math.floor(positive(o.maxQueueEvents, 100_000)),
    maxQueueBytes: positive(o.maxQueueBytes, 32 * 1024 * 1024),
    flushTimeout: positive(o.flushTimeout, 30_000),
    retry,
    sampleRate: typeof sampleRate === 'number' && sampleRate >= 0 && sampleRate < 1 ? sampleRate : undefined,
  };
}
