import type { ObservationParent } from './handles.js';

/**
 * Carries the active trace or observation across calls (and awaits). The Node entry installs
 * one over `AsyncLocalStorage`; elsewhere `observe()` nests only where a runtime provides it.
 * @example
 * ```ts
 * const stack: ObservationParent[] = []; // a sync-only manager, for a runtime without ALS
 * setContextManager({ active: () => stack.at(-1), with: (h, fn) => { stack.push(h); try { return fn(); } finally { stack.pop(); } } });
 * ```
 */
export interface ContextManager {
  active(): ObservationParent | undefined;
  with<R>(handle: ObservationParent, fn: () => R): R;
}

interface AlsLike<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
}

/**
 * A context manager over any `AsyncLocalStorage`-shaped class.
 * @example `setContextManager(createAlsContextManager(AsyncLocalStorage));`
 */
export function createAlsContextManager(Als: new () => AlsLike<ObservationParent>): ContextManager {
  const storage = new Als();
  return { active: () => storage.getStore(), with: (handle, fn) => storage.run(handle, fn) };
}

const noContext: ContextManager = { active: () => undefined, with: (_handle, fn) => fn() };

// Some edge runtimes expose AsyncLocalStorage as a global; use it when present.
const globalAls = (globalThis as { AsyncLocalStorage?: new () => AlsLike<ObservationParent> }).AsyncLocalStorage;
let current: ContextManager = globalAls ? createAlsContextManager(globalAls) : noContext;

/**
 * Installs the context manager used by `observe()` and `getActiveObservation()`.
 * @example
 * ```ts
 * import { AsyncLocalStorage } from 'node:async_hooks'; // e.g. on an edge runtime with node compat
 * setContextManager(createAlsContextManager(AsyncLocalStorage));
 * ```
 */
export function setContextManager(manager: ContextManager): void {
  current = manager;
}

/** The installed context manager. */
export function contextManager(): ContextManager {
  return current;
}

/**
 * The trace or observation that `observe()` made active for the current call, if any.
 * @example
 * ```ts
 * const answer = observe(async (q: string) => {
 *   getActiveObservation()?.event({ name: 'cache-miss' });
 *   return llm(q);
 * });
 * ```
 */
export function getActiveObservation(): ObservationParent | undefined {
  try {
    return current.active();
  } catch {
    return undefined;
  }
}
