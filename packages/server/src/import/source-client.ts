/**
 * A reader of a Langfuse-compatible public API (Langfuse itself, or another Sightline): Basic auth
 * with a project's key pair, JSON in and out, and the manners of a well-behaved bulk client — a 429
 * waits for its Retry-After, a 5xx or a dropped connection is retried with exponential backoff, and
 * a 401 stops at once with a message saying which keys to check.
 */
export interface SourceClientOptions {
  baseUrl: string;
  publicKey: string;
  secretKey: string;
  /** Retries of one request after a 429, a 5xx or a network error (default 6). */
  retries?: number;
  /** First backoff in ms, doubled on each retry (default 500). */
  backoffMs?: number;
  /** How to wait (tests make it instant). */
  sleep?: (ms: number) => Promise<void>;
}

export interface SourceClient {
  readonly baseUrl: string;
  /** GET a path under `/api/public/` with query parameters (undefined ones left out); the parsed JSON body. */
  get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T>;
  /** GET that answers null on 404 (an entity deleted between a list and its read). */
  getOrNull<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T | null>;
}

/** An error the import cannot get past by retrying; its message is meant for the person running it. */
export class SourceError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** Retry-After as seconds or an HTTP date, in ms (bounded); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS) : undefined;
}

/** The base URL as given, validated and without a trailing slash; a URL ending in /api/public is accepted too. */
export function normalizeBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SourceError(`--from: "${raw}" is not a URL; give the source's base URL, e.g. https://cloud.langfuse.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SourceError(`--from: must be an http(s) URL, got ${url.protocol}`);
  return url.href.replace(/\/+$/, '').replace(/\/api\/public$/, '');
}

function describe(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: unknown };
    const text = [parsed.message, parsed.error].filter((v) => typeof v === 'string').join(': ');
    if (text) return text;
  } catch {
    // not JSON: the start of the text says enough
  }
  return body.slice(0, 200);
}

export function createSourceClient(options: SourceClientOptions): SourceClient {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const retries = options.retries ?? 6;
  const backoff = options.backoffMs ?? 500;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const authorization = `Basic ${Buffer.from(`${options.publicKey}:${options.secretKey}`).toString('base64')}`;
  let reached = false;

  async function request(path: string, query: Record<string, string | number | undefined>, allow404: boolean): Promise<unknown> {
    const url = new URL(`${baseUrl}/api/public/${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    for (let attempt = 0; ; attempt++) {
      const wait = backoff * 2 ** attempt;
      let res: Response;
      try {
        res = await fetch(url, { headers: { authorization, accept: 'application/json' } });
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        const why = cause?.code ?? cause?.message ?? String(err);
        // Never reached: a wrong URL, not a blip; later, a dropped connection is worth a retry.
        if (!reached || attempt >= retries) throw new SourceError(`cannot reach the source at ${baseUrl} (${why})`);
        await sleep(wait);
        continue;
      }
      reached = true;
      if (res.ok) return res.json();
      const body = await res.text();
      if (res.status === 401 || res.status === 403) {
        throw new SourceError(`the source answered ${res.status} (${describe(body)}): check --public-key and --secret-key, and that they belong to a project of ${baseUrl}`, res.status);
      }
      if (res.status === 404 && allow404) return null;
      const retryable = res.status === 429 || res.status >= 500;
      if (!retryable || attempt >= retries) {
        throw new SourceError(`GET ${url.pathname} answered ${res.status}: ${describe(body)}`, res.status);
      }
      await sleep(res.status === 429 ? (retryAfterMs(res.headers.get('retry-after')) ?? wait) : wait);
    }
  }

  return {
    baseUrl,
    get: async <T>(path: string, query = {}) => (await request(path, query, false)) as T,
    getOrNull: async <T>(path: string, query = {}) => (await request(path, query, true)) as T | null,
  };
}
