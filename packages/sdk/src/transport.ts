/** One HTTP request, relative to the transport's base URL. */
export interface TransportRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/api/public/ingestion`. */
  path: string;
  /** A JSON text. */
  body?: string;
  signal?: AbortSignal;
}

/** What came back. Network failures reject instead. */
export interface TransportResponse {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
}

/**
 * Sends requests to the Sightline server. The exporter and the API client depend only on this
 * interface; retries are a decorator around it ({@link withRetry}).
 * @example
 * ```ts
 * const transport = withRetry(createFetchTransport({ baseUrl, publicKey, secretKey }));
 * const res = await transport.send({ method: 'GET', path: '/api/public/health' });
 * ```
 */
export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
}

/** Options of {@link createFetchTransport}. */
export interface FetchTransportOptions {
  baseUrl: string;
  publicKey: string;
  secretKey: string;
  /** Per-attempt timeout in milliseconds (default 10 000). */
  timeoutMs?: number;
  /** A `fetch` implementation; defaults to the global one. */
  fetch?: typeof fetch;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

/**
 * A {@link Transport} over the standard `fetch` with Basic auth (`publicKey:secretKey`), as every
 * Langfuse client sends it. Works wherever `fetch` exists: Node 18+, edge runtimes, browsers.
 * @example
 * ```ts
 * const transport = createFetchTransport({ baseUrl: 'http://localhost:3000', publicKey: 'pk-lf-…', secretKey: 'sk-lf-…' });
 * ```
 */
export function createFetchTransport(options: FetchTransportOptions): Transport {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: `Basic ${btoa(`${options.publicKey}:${options.secretKey}`)}`,
    ...options.headers,
  };
  return {
    async send(request) {
      const controller = new AbortController();
      const onAbort = () => controller.abort(request.signal?.reason);
      request.signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => controller.abort(new Error(`request timed out after ${timeoutMs} ms`)), timeoutMs);
      try {
        const res = await doFetch(base + request.path, {
          method: request.method,
          headers,
          body: request.body,
          signal: controller.signal,
        });
        return { status: res.status, headers: res.headers, text: await res.text() };
      } finally {
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
      }
    },
  };
}
