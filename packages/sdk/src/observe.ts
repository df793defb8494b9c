import { contextManager } from './context.js';
import { toSightlineError } from './errors.js';
import type { GenerationClient, SpanClient, TraceClient } from './handles.js';
import { instrumentAsyncIterable } from './instrument-iterable.js';
import { getDefaultSightline, type Sightline } from './sightline.js';
import type { TraceBody } from './types.js';

/** Options of {@link observe}. */
export interface ObserveOptions {
  /** Observation name (default: the function's name). */
  name?: string;
  /** Record the call as a span (default) or a generation. */
  asType?: 'span' | 'generation';
  /** Record the arguments as input (default true): one argument as itself, several as an array. */
  captureInput?: boolean;
  /** Record the result as output (default true); for async iterables, the yielded items. */
  captureOutput?: boolean;
  /** Fields of the trace created when the call is not nested in another observed call. */
  trace?: Omit<TraceBody, 'id'>;
  /** The tracer to use (default: the first `Sightline` created, or one configured from env). */
  sightline?: Sightline;
}

type Observation = SpanClient | GenerationClient;

/**
 * Wraps a function so each call is recorded as an observation: arguments as input, the result
 * (or the items of a returned async iterable) as output, a thrown error as level ERROR with its
 * message, and the timing. Calls made inside nest automatically through `AsyncLocalStorage`;
 * an outermost call creates a trace. The wrapped function behaves exactly like the original.
 * @example
 * ```ts
 * const retrieve = observe(async (query: string) => search(query), { name: 'retrieve' });
 * const answer = observe(async (question: string) => llm(await retrieve(question)));
 * await answer('What is Sightline?'); // one trace: answer → retrieve
 * ```
 */
export function observe<F extends (...args: any[]) => any>(fn: F, options: ObserveOptions = {}): F {
  const name = options.name ?? (fn.name || 'anonymous');
  const captureInput = options.captureInput ?? true;
  const captureOutput = options.captureOutput ?? true;
  function wrapped(this: unknown, ...args: unknown[]): unknown {
    let observation: Observation;
    let root: TraceClient | undefined;
    try {
      const input = captureInput ? (args.length === 0 ? undefined : args.length === 1 ? args[0] : args) : undefined;
      const parent = contextManager().active();
      const owner = parent ?? (root = (options.sightline ?? getDefaultSightline()).trace({ name, input, ...options.trace }));
      observation = options.asType === 'generation' ? owner.generation({ name, input }) : owner.span({ name, input });
    } catch (e) {
      // Tracing failed: still make the host's call, untraced.
      reportSafely(options, e);
      return fn.apply(this, args);
    }
    const finish = (output: unknown) => end(observation, root, captureOutput ? output : undefined);
    const fail = (error: unknown) => endWithError(observation, error);
    let result: unknown;
    try {
      result = contextManager().with(observation, () => fn.apply(this, args));
    } catch (error) {
      fail(error);
      throw error;
    }
    if (isPromiseLike(result)) {
      return result.then(
        (value) => (finish(value), value),
        (error: unknown) => {
          fail(error);
          throw error;
        },
      );
    }
    if (isAsyncIterable(result)) {
      const items: unknown[] = [];
      return instrumentAsyncIterable(result, {
        onItem: (item) => captureOutput && items.push(item),
        onEnd: () => finish(joinItems(items)),
        onError: fail,
        run: (step) => contextManager().with(observation, step),
      });
    }
    finish(result);
    return result;
  }
  Object.defineProperty(wrapped, 'name', { value: fn.name, configurable: true });
  return wrapped as unknown as F;
}

function end(observation: Observation, root: TraceClient | undefined, output: unknown): void {
  observation.end({ output });
  if (root && output !== undefined) root.update({ output });
}

function endWithError(observation: Observation, error: unknown): void {
  const statusMessage = error instanceof Error ? error.message : String(error);
  observation.end({ level: 'ERROR', statusMessage });
}

/** Streamed text chunks are joined into one string; anything else is kept as the list of items. */
function joinItems(items: unknown[]): unknown {
  return items.length > 0 && items.every((i) => typeof i === 'string') ? items.join('') : items;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

function reportSafely(options: ObserveOptions, e: unknown): void {
  try {
    (options.sightline ?? getDefaultSightline()).reportError(toSightlineError(e, 'observe()'));
  } catch {
    // nothing left to report to
  }
}
