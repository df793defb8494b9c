// Environment lookups that work where `process` does not exist (browsers, some edge runtimes).

/** The default server: `sightline serve` listens on port 3000. */
export const DEFAULT_BASE_URL = 'http://localhost:3000';

/** The first set variable among `names`, or undefined; never throws. */
export function readEnv(...names: string[]): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (!env) return undefined;
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** Connection settings, from explicit options first, then `SIGHTLINE_*`, then `LANGFUSE_*`. */
export interface Connection {
  baseUrl: string;
  publicKey: string | undefined;
  secretKey: string | undefined;
}

/** Resolves the server URL and keys. */
export function resolveConnection(options: { baseUrl?: string; publicKey?: string; secretKey?: string }): Connection {
  return {
    baseUrl: (
      options.baseUrl ??
      readEnv('SIGHTLINE_HOST', 'SIGHTLINE_BASEURL', 'LANGFUSE_BASEURL', 'LANGFUSE_HOST') ??
      DEFAULT_BASE_URL
    ).replace(/\/+$/, ''),
    publicKey: options.publicKey ?? readEnv('SIGHTLINE_PUBLIC_KEY', 'LANGFUSE_PUBLIC_KEY'),
    secretKey: options.secretKey ?? readEnv('SIGHTLINE_SECRET_KEY', 'LANGFUSE_SECRET_KEY'),
  };
}
