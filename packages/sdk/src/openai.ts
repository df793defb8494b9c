import { contextManager } from './context.js';
import { toSightlineError } from './errors.js';
import type { GenerationClient, ObservationParent, TraceClient } from './handles.js';
import { instrumentAsyncIterable } from './instrument-iterable.js';
import { modelParameters, OBSERVED_METHODS, requestInput, responseOutput, StreamAccumulator, usageDetails } from './openai-parse.js';
import { getDefaultSightline, type Sightline } from './sightline.js';
import type { TraceBody } from './types.js';

/** Options of {@link observeOpenAI}; the names follow `langfuse`'s `observeOpenAI`. */
export interface ObserveOpenAIOptions extends Pick<TraceBody, 'userId' | 'sessionId' | 'tags' | 'release' | 'version'> {
  /** Name of each generation (default `OpenAI-generation`, as in `langfuse`). */
  generationName?: string;
  /** Name of the trace created for calls made outside any trace (default: the generation name). */
  traceName?: string;
  /** Attach generations under this trace or observation instead of the active one. */
  parent?: ObservationParent;
  /** Metadata of each generation. */
  metadata?: Record<string, unknown>;
  sightline?: Sightline;
}

type Obj = Record<string, any>;
const PREFIXES = new Set([...OBSERVED_METHODS].flatMap((m) => m.split('.').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('.'))));

/**
 * Records each `chat.completions.create`, `completions.create`, `responses.create` and
 * `embeddings.create` call of an OpenAI client as a generation — model, parameters, input,
 * output, usage and, for streams, the time to first token — without changing what the caller
 * receives: the same promise, the same `Stream` object, the same errors.
 * @example
 * ```ts
 * import OpenAI from 'openai';
 * const openai = observeOpenAI(new OpenAI(), { generationName: 'answer', sessionId });
 * const res = await openai.chat.completions.create({ model: 'gpt-4o', messages });
 * ```
 */
export function observeOpenAI<C extends object>(client: C, options: ObserveOpenAIOptions = {}): C {
  return proxy(client, '', options);
}

function proxy<T extends object>(target: T, path: string, options: ObserveOpenAIOptions): T {
  return new Proxy(target, {
    get(t, prop) {
      // `t` as receiver: OpenAI classes keep state in #private fields a proxy cannot reach.
      const value: unknown = Reflect.get(t, prop, t);
      if (typeof prop !== 'string') return value;
      const key = path ? `${path}.${prop}` : prop;
      if (typeof value === 'function') {
        return OBSERVED_METHODS.has(key) ? wrapMethod(value as (...a: unknown[]) => unknown, t, key, options) : value.bind(t);
      }
      if (value !== null && typeof value === 'object' && PREFIXES.has(key)) return proxy(value, key, options);
      return value;
    },
  });
}

function wrapMethod(fn: (...a: unknown[]) => unknown, target: object, method: string, options: ObserveOpenAIOptions) {
  return function observed(params: Obj, ...rest: unknown[]): unknown {
    const started = startGeneration(method, params, options);
    let result: unknown;
    try {
      result = fn.call(target, params, ...rest);
    } catch (error) {
      started?.fail(error);
      throw error;
    }
    if (!started) return result;
    if (result !== null && typeof (result as PromiseLike<unknown>)?.then === 'function') {
      // A side branch: the caller keeps the original promise (an OpenAI APIPromise stays one).
      (result as PromiseLike<unknown>).then(started.succeed, started.fail);
    } else {
      started.succeed(result);
    }
    return result;
  };
}

interface Started {
  succeed(value: unknown): void;
  fail(error: unknown): void;
}

function startGeneration(method: string, params: Obj, options: ObserveOpenAIOptions): Started | undefined {
  const sightline = options.sightline ?? getDefaultSightline();
  try {
    const name = options.generationName ?? 'OpenAI-generation';
    const input = requestInput(method, params ?? {});
    let trace: TraceClient | undefined;
    const parent =
      options.parent ??
      contextManager().active() ??
      (trace = sightline.trace({ name: options.traceName ?? name, input, userId: options.userId, sessionId: options.sessionId, tags: options.tags, release: options.release, version: options.version }));
    const generation = parent.generation({ name, model: params?.model as string | undefined, modelParameters: modelParameters(params ?? {}), input, metadata: options.metadata });
    const finish = (body: Parameters<GenerationClient['end']>[0]) => {
      generation.end(body);
      if (trace && body?.output !== undefined) trace.update({ output: body.output });
    };
    const guard = (fn: (v: any) => void) => (value: unknown) => {
      try {
        fn(value);
      } catch (e) {
        sightline.reportError(toSightlineError(e, 'observeOpenAI'));
      }
    };
    return {
      succeed: guard((value: Obj) => {
        if (params?.stream === true && isAsyncIterable(value)) return observeStream(value, method, finish, fail);
        finish({ output: responseOutput(method, value ?? {}), usageDetails: usageDetails(value?.usage as Obj) });
      }),
      fail: guard((error: unknown) => fail(error)),
    };
    function fail(error: unknown) {
      generation.end({ level: 'ERROR', statusMessage: error instanceof Error ? error.message : String(error) });
    }
  } catch (e) {
    sightline.reportError(toSightlineError(e, 'observeOpenAI'));
    return undefined;
  }
}

function observeStream(stream: AsyncIterable<Obj>, method: string, finish: (body: Parameters<GenerationClient['end']>[0]) => void, fail: (e: unknown) => void): void {
  const acc = new StreamAccumulator(method);
  let completionStartTime: string | undefined;
  instrumentAsyncIterable<AsyncIterable<Obj>, Obj>(stream, {
    onItem: (chunk) => {
      completionStartTime ??= new Date().toISOString();
      acc.add(chunk);
    },
    onEnd: () => finish({ output: acc.output(), usageDetails: acc.usage, completionStartTime }),
    onError: fail,
  });
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Obj> {
  return typeof value === 'object' && value !== null && typeof (value as Partial<AsyncIterable<Obj>>)[Symbol.asyncIterator] === 'function';
}
