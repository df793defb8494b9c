// `sightline serve` (the built CLI) as a child process for the reliability tests: a fixed key
// pair, an explicit engine (DATABASE_URL is removed unless given, so a CI variable cannot turn
// a SQLite test into a PostgreSQL one), and readiness polled over HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.js';

export const CLI = fileURLToPath(new URL('../../../packages/server/dist/cli/main.js', import.meta.url));
export const PUBLIC_KEY = 'pk-lf-reliability';
export const SECRET_KEY = 'sk-lf-reliability-0123456789';
export const basic = (pk: string, sk: string) => `Basic ${Buffer.from(`${pk}:${sk}`).toString('base64')}`;
export const AUTH = basic(PUBLIC_KEY, SECRET_KEY);

export interface Server {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ServerOptions {
  dataDir?: string;
  databaseUrl?: string;
  env?: Record<string, string>;
}

/**
 * Child-process environment: ours with DATABASE_URL emptied (SQLite unless `extra` gives one;
 * empty rather than deleted, so it also wins when merged over process.env), plus the fixed key
 * pair and `extra`.
 */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '', SIGHTLINE_INIT_PUBLIC_KEY: PUBLIC_KEY, SIGHTLINE_INIT_SECRET_KEY: SECRET_KEY };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/** Starts the server on a free port; resolves once `/api/public/ready` answers 200 (30 s at most). */
export async function startServer(options: ServerOptions): Promise<Server> {
  const port = await freePort();
  const args = [CLI, 'serve', '--port', String(port)];
  if (options.dataDir) args.push('--data-dir', options.dataDir);
  const child = spawn(process.execPath, args, { env: cliEnv({ DATABASE_URL: options.databaseUrl, ...options.env }), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const server: Server = {
    url,
    child,
    output: () => out,
    exited,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited before it was ready:\n${out}`);
    const status = await fetch(`${url}/api/public/ready`).then(
      async (res) => (await res.arrayBuffer(), res.status),
      () => 0,
    );
    if (status === 200) return server;
    if (i >= 600) {
      child.kill('SIGKILL');
      throw new Error(`server not ready within 30 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

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
