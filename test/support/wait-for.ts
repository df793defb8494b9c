// Explicit synchronisation for tests: wait for an observable condition, never for a fixed time.

/** Polls `check` every `everyMs` until it holds or `timeoutMs` has passed; returns whether it held. */
export async function until(check: () => boolean, timeoutMs: number, everyMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return true;
}

/** Waits until `check` holds; fails after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  if (!(await until(check, timeoutMs, 5))) throw new Error('waitFor: condition not met in time');
}
