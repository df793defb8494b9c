/**
 * An HTTP error answer from the Sightline API, thrown by the low-level {@link SightlineClient}.
 * `status` is the HTTP status and `body` the parsed JSON body (or the raw text).
 * @example
 * ```ts
 * try {
 *   await client.traces.get('missing');
 * } catch (e) {
 *   if (e instanceof SightlineApiError && e.status === 404) console.log(e.body);
 * }
 * ```
 */
export class SightlineApiError extends Error {
  override readonly name = 'SightlineApiError';
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly method: string,
    readonly path: string,
  ) {
    super(`${method} ${path} failed with ${status}: ${describeBody(body)}`);
  }
}

/** Why the tracer could not deliver (or accept) something; see {@link SightlineError}. */
export type SightlineErrorCode =
  | 'network' // the request never got an HTTP answer (after retries)
  | 'http' // the server answered the batch with a non-207 status
  | 'rejected_event' // the 207 listed this event in `errors[]`; it is not resent
  | 'queue_full' // the queue hit its count or byte bound; events are being dropped
  | 'event_too_large' // one event is bigger than a whole batch may be
  | 'flush_timeout' // flush() or shutdown() gave up before the queue was empty
  | 'config' // keys or host are missing; the tracer stays disabled
  | 'prompt_refresh' // a background refresh of a cached prompt failed; the cached one stays in use
  | 'experiment' // an experiment could not link an item to its dataset run, or an evaluator threw
  | 'internal'; // a bug or a throwing hook, caught so the host never sees it

/**
 * What the tracer hands to `onError`. The tracing path never throws into the host; every failure
 * ends up here instead, with a stable `code`.
 * @example
 * ```ts
 * const sightline = new Sightline({ onError: (e) => metrics.increment(`sightline.${e.code}`) });
 * ```
 */
export class SightlineError extends Error {
  override readonly name = 'SightlineError';
  constructor(
    readonly code: SightlineErrorCode,
    message: string,
    readonly details: { status?: number; body?: unknown; eventId?: string; events?: number; cause?: unknown } = {},
  ) {
    super(message);
  }
}

/** Turns anything thrown into a {@link SightlineError} with code `internal` (unless it is one already). */
export function toSightlineError(e: unknown, context: string): SightlineError {
  if (e instanceof SightlineError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new SightlineError('internal', `${context}: ${message}`, { cause: e });
}

function describeBody(body: unknown): string {
  if (body && typeof body === 'object' && 'message' in body) return String(body.message);
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
