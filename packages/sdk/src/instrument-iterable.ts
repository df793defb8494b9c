/** Callbacks of {@link instrumentAsyncIterable}. Each is called inside a try/catch. */
export interface IterationHooks<T> {
  onItem(item: T): void;
  /** The iteration finished or the consumer stopped early. Called at most once, as is `onError`. */
  onEnd(): void;
  onError(error: unknown): void;
  /** Runs each step (e.g. inside the observation's context). */
  run?<R>(fn: () => R): R;
}

type AnyIterator<T> = AsyncIterator<T> & { [Symbol.asyncIterator]?: () => AsyncIterator<T> };

/**
 * Observes the iteration of `source` without replacing it: the object the caller holds keeps
 * its identity, class and other methods (an OpenAI `Stream` keeps `controller` and `tee`).
 * Async generators get their `next`/`return`/`throw` wrapped; other async iterables get their
 * `[Symbol.asyncIterator]`. Frozen objects get a wrapper instead.
 */
export function instrumentAsyncIterable<S extends AsyncIterable<T>, T>(source: S, hooks: IterationHooks<T>): S {
  const maybeIterator = source as unknown as Partial<AsyncIterator<T>>;
  try {
    if (typeof maybeIterator.next === 'function') {
      const it = observeIterator(bindIterator(source as unknown as AsyncIterator<T>), hooks);
      for (const key of ['next', 'return', 'throw'] as const) {
        if (it[key]) Object.defineProperty(source, key, { value: it[key], configurable: true, writable: true });
      }
      return source;
    }
    const original = source[Symbol.asyncIterator].bind(source);
    Object.defineProperty(source, Symbol.asyncIterator, { value: () => observeIterator(original(), hooks), configurable: true, writable: true });
    return source;
  } catch {
    return { [Symbol.asyncIterator]: () => observeIterator(source[Symbol.asyncIterator](), hooks) } as unknown as S;
  }
}

function bindIterator<T>(it: AsyncIterator<T>): AsyncIterator<T> {
  return {
    next: it.next.bind(it),
    return: it.return?.bind(it),
    throw: it.throw?.bind(it),
  };
}

function observeIterator<T>(it: AsyncIterator<T>, hooks: IterationHooks<T>): AnyIterator<T> {
  let finished = false;
  const safe = (fn: () => void) => {
    try {
      fn();
    } catch {
      // hooks are ours and guarded; this is the last line of defence for the host
    }
  };
  const end = () => !finished && ((finished = true), safe(() => hooks.onEnd()));
  const fail = (e: unknown) => !finished && ((finished = true), safe(() => hooks.onError(e)));
  const run = <R>(fn: () => R): R => (hooks.run ? hooks.run(fn) : fn());
  const step = async (call: () => Promise<IteratorResult<T>>): Promise<IteratorResult<T>> => {
    try {
      const result = await run(call);
      if (result.done) end();
      else safe(() => hooks.onItem(result.value));
      return result;
    } catch (e) {
      fail(e);
      throw e;
    }
  };
  const observed: AnyIterator<T> = {
    next: (...args: [] | [unknown]) => step(() => it.next(...args)),
    [Symbol.asyncIterator]: () => observed,
  };
  if (it.return) {
    const ret = it.return;
    observed.return = (value?: unknown) => {
      end();
      return ret(value);
    };
  }
  if (it.throw) {
    const thr = it.throw;
    observed.throw = (e?: unknown) => step(() => thr(e));
  }
  return observed;
}
