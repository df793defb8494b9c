/** Something the platform can drain when the host is about to exit. */
export interface Drainable {
  /** Flushes what is queued, for a bounded time, and stops. */
  drainOnExit(): Promise<unknown>;
}

/** Runtime-specific behaviour, installed by an entry point (see node.ts). */
export interface PlatformHooks {
  /** Called once per tracer; returns a function that undoes the registration. */
  registerExitFlush(target: Drainable): () => void;
}

let hooks: PlatformHooks = { registerExitFlush: () => () => {} };

/** Installs the runtime hooks; the Node entry registers a `beforeExit` drain. */
export function setPlatformHooks(next: PlatformHooks): void {
  hooks = next;
}

export function platformHooks(): PlatformHooks {
  return hooks;
}
