import type * as T from './api-types.js';
import { resolveConnection } from './env.js';
import { SightlineApiError } from './errors.js';
import { createFetchTransport, type Transport, type TransportRequest } from './transport.js';

/** Options of {@link SightlineClient}. Unset values come from `SIGHTLINE_*` / `LANGFUSE_*` variables. */
export interface SightlineClientOptions {
  baseUrl?: string;
  publicKey?: string;
  secretKey?: string;
  /** The seed's Fern-generated name for the server URL (alias of `baseUrl`). */
  environment?: string;
  /** The seed's name for the public key (alias of `publicKey`). */
  username?: string;
  /** The seed's name for the secret key (alias of `secretKey`). */
  password?: string;
  /** Per-request timeout in milliseconds (default 10 000). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Replaces the fetch transport entirely (tests, custom retry). */
  transport?: Transport;
}

const enc = encodeURIComponent;

/**
 * The low-level REST client, with the seed's resources and call shapes. Every call awaits the
 * server and throws {@link SightlineApiError} (status and body) on a non-2xx answer; for tracing
 * on a hot path use {@link Sightline} instead, which batches and never throws.
 * @example
 * ```ts
 * const client = new SightlineClient({ environment: 'http://localhost:3000', username: 'pk-lf-…', password: 'sk-lf-…' });
 * const trace = await client.trace.create({ name: 'chat-completion', metadata: { env: 'production' } });
 * const page = await client.traces.list({ name: 'chat-completion' });
 * ```
 */
export class SightlineClient {
  private readonly transport: Transport;

  constructor(options: SightlineClientOptions = {}) {
    const conn = resolveConnection({
      baseUrl: options.baseUrl ?? options.environment,
      publicKey: options.publicKey ?? options.username,
      secretKey: options.secretKey ?? options.password,
    });
    this.transport =
      options.transport ??
      createFetchTransport({ baseUrl: conn.baseUrl, publicKey: conn.publicKey ?? '', secretKey: conn.secretKey ?? '', timeoutMs: options.timeoutMs, fetch: options.fetch });
  }

  /** Traces: `create` (POST /api/public/traces). */
  readonly trace = {
    create: (request: T.CreateTraceRequest) => this.call<T.Trace>('POST', '/api/public/traces', request),
  };
  /** Events: `create` (POST /api/public/events). */
  readonly event = {
    create: (request: T.CreateEventRequest) => this.call<T.Observation>('POST', '/api/public/events', request),
  };
  /** Spans: `create` and `update` (POST / PATCH /api/public/spans). */
  readonly span = {
    create: (request: T.CreateSpanRequest) => this.call<T.Observation>('POST', '/api/public/spans', request),
    update: (request: T.UpdateSpanRequest) => this.call<T.Observation>('PATCH', '/api/public/spans', request),
  };
  /** Generations: `log` and `update` (POST / PATCH /api/public/generations). */
  readonly generations = {
    log: (request: T.CreateLog) => this.call<T.Observation>('POST', '/api/public/generations', request),
    update: (request: T.UpdateGenerationRequest) => this.call<T.Observation>('PATCH', '/api/public/generations', request),
  };
  /** Scores: `create` (POST /api/public/scores). */
  readonly score = {
    create: (request: T.CreateScoreRequest) => this.call<T.Score>('POST', '/api/public/scores', request),
  };

  /** Trace reads: `list` (paginated) and `get` (with observations and scores). */
  readonly traces = {
    list: (query: T.TraceListQuery = {}) => this.call<T.Paginated<T.TraceWithDetails>>('GET', `/api/public/traces${qs(query)}`),
    get: (traceId: string) => this.call<T.TraceWithFullDetails>('GET', `/api/public/traces/${enc(traceId)}`),
  };
  /** Observation reads: `list` (paginated) and `get`. */
  readonly observations = {
    list: (query: T.ObservationListQuery = {}) => this.call<T.Paginated<T.Observation>>('GET', `/api/public/observations${qs(query)}`),
    get: (observationId: string) => this.call<T.Observation>('GET', `/api/public/observations/${enc(observationId)}`),
  };
  /** Score reads: `list` (GET /api/public/v2/scores). */
  readonly scores = {
    list: (query: T.ScoreListQuery = {}) => this.call<T.Paginated<T.Score>>('GET', `/api/public/v2/scores${qs(query)}`),
  };
  /** Session reads: `list` (paginated) and `get` (with its traces). */
  readonly sessions = {
    list: (query: T.SessionListQuery = {}) => this.call<T.Paginated<T.Session>>('GET', `/api/public/sessions${qs(query)}`),
    get: (sessionId: string) => this.call<T.SessionWithTraces>('GET', `/api/public/sessions/${enc(sessionId)}`),
  };

  private call<R>(method: TransportRequest['method'], path: string, body?: unknown): Promise<R> {
    return requestJson<R>(this.transport, method, path, body);
  }
}

/** Sends a JSON request and parses the answer; a non-2xx answer throws {@link SightlineApiError}. */
export async function requestJson<R>(transport: Transport, method: TransportRequest['method'], path: string, body?: unknown): Promise<R> {
  const res = await transport.send({ method, path, body: body === undefined ? undefined : JSON.stringify(body) });
  let parsed: unknown = res.text;
  try {
    parsed = res.text ? JSON.parse(res.text) : undefined;
  } catch {
    // keep the raw text: proxies answer HTML
  }
  if (res.status < 200 || res.status >= 300) throw new SightlineApiError(res.status, parsed, method, path);
  return parsed as R;
}

/** `?a=1&tags=x&tags=y` from a query object; undefined values are left out. */
export function qs(query: Record<string, T.QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v instanceof Date ? v.toISOString() : String(v));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
