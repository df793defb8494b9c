import { JobError } from '../jobs/job-error.js';

/** At most this long is waited for a provider's Retry-After (a longer one is a misconfiguration). */
const MAX_RETRY_AFTER_MS = 15 * 60_000;

/**
 * `Retry-After` as milliseconds: delay-seconds or an HTTP date; OpenAI's `retry-after-ms` when
 * given is more precise. Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = Number(headers.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, MAX_RETRY_AFTER_MS);
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.min(Number(value) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}

/** A failed provider call: 429, 408 and 5xx are retryable (rate limits and outages pass); other 4xx are not. */
export class ProviderError extends JobError {
  constructor(
    readonly provider: string,
    readonly status: number,
    detail: string,
    retryAfter?: number,
  ) {
    super(`${provider} answered HTTP ${status}${detail ? `: ${detail}` : ''}`, status === 429 || status === 408 || status >= 500, retryAfter);
    this.name = 'ProviderError';
  }
}

/** The provider's own error message, from the JSON bodies OpenAI and Anthropic send, kept short. */
async function errorDetail(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const message = typeof body.error === 'string' ? body.error : (body.error?.message ?? body.message);
    if (typeof message === 'string') return message.slice(0, 300);
  } catch {
    // not JSON: the raw text below
  }
  return text.slice(0, 300);
}

/** Throws the ProviderError of a non-2xx response. */
export async function throwIfFailed(provider: string, res: Response): Promise<void> {
  if (res.ok) return;
  throw new ProviderError(provider, res.status, await errorDetail(res), retryAfterMs(res.headers));
}

/** A connection that failed before any answer (refused, reset, DNS): retryable; a caller's abort is passed through. */
export function networkError(provider: string, err: unknown): unknown {
  if (err instanceof JobError || (err instanceof Error && err.name === 'AbortError')) return err;
  if (typeof err === 'object' && err !== null && 'status' in err) return err; // an AppError from the SSRF guard
  return new JobError(`${provider} could not be reached: ${err instanceof Error ? err.message : String(err)}`, true);
}
