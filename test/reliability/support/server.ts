// The reliability tests' view of the shared harness (test/support): a fixed key pair on every
// server and CLI run, plus request helpers with hard time limits.
import { basic, cliEnv as sharedCliEnv, startServer as startSharedServer, type ServerOptions, type ServerProcess } from '../../support/index.js';

export { basic };
export const PUBLIC_KEY = 'pk-lf-reliability';
export const SECRET_KEY = 'sk-lf-reliability-0123456789';
export const AUTH = basic(PUBLIC_KEY, SECRET_KEY);
const KEYS = { SIGHTLINE_INIT_PUBLIC_KEY: PUBLIC_KEY, SIGHTLINE_INIT_SECRET_KEY: SECRET_KEY };

export type Server = ServerProcess;

/** Child-process environment: the shared one (SQLite unless `extra` gives a DATABASE_URL) with the fixed key pair. */
export const cliEnv = (extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv => sharedCliEnv({ ...KEYS, ...extra });

/** Starts the server with the fixed key pair; resolves once `/api/public/ready` answers 200. */
export const startServer = (options: ServerOptions = {}): Promise<Server> => startSharedServer({ ...options, env: { ...KEYS, ...options.env } });

export interface Answer {
  status: number;
  retryAfter: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies of many shapes, read field by field in tests
  body: any;
  ms: number;
}

/**
 * One request with a hard time limit (`limitMs`): status 0 means no answer (connection
 * refused, reset, or the limit was reached — `timedOut` tells which).
 */
export async function send(
  url: string,
  method: string,
  path: string,
  options: { body?: unknown; auth?: string | null; limitMs?: number; headers?: Record<string, string> } = {},
): Promise<Answer & { timedOut: boolean }> {
  const headers: Record<string, string> = { ...options.headers };
  const auth = options.auth === undefined ? AUTH : options.auth;
  if (auth !== null) headers.authorization = auth;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const t0 = performance.now();
  try {
    const res = await fetch(`${url}${path}`, { method, headers, body, signal: AbortSignal.timeout(options.limitMs ?? 60_000) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: parsed, ms: performance.now() - t0, timedOut: false };
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    return { status: 0, retryAfter: null, body: String(err), ms: performance.now() - t0, timedOut };
  }
}

/** `n` trace-create events with ids `${prefix}-${i}` and an input of `size` characters. */
export function traceBatch(prefix: string, n: number, size = 200): object[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `ev-${prefix}-${i}`,
    type: 'trace-create',
    timestamp: new Date().toISOString(),
    body: { id: `${prefix}-${i}`, name: 'reliability', input: 'x'.repeat(size) },
  }));
}

/** Trace ids acknowledged in a 207 answer's `successes` (event ids `ev-<traceId>`). */
export function ackedIds(answer: Answer): string[] {
  if (answer.status !== 207) return [];
  return ((answer.body?.successes ?? []) as { id: string }[]).map((s) => s.id.replace(/^ev-/, ''));
}
