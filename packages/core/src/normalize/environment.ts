const LANGFUSE_PREFIX = /^langfuse[-_]?/;
const VALID = /^[a-z0-9_-]+$/;

/**
 * Normalises an environment name the way Langfuse does: lowercase, strip any leading
 * `langfuse`/`langfuse-`/`langfuse_` prefixes, cut to 40 characters, and fall back to
 * `"default"` when the result is empty or has characters outside `[a-z0-9_-]`. Never fails.
 */
export function normalizeEnvironment(value: unknown): string {
  if (typeof value !== 'string') return 'default';
  let env = value.toLowerCase();
  while (LANGFUSE_PREFIX.test(env)) {
    const next = env.replace(LANGFUSE_PREFIX, '');
    if (next === env) break;
    env = next;
  }
  env = env.slice(0, 40);
  return VALID.test(env) ? env : 'default';
}
