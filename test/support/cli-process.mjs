// `sightline serve` (the built CLI) as a child process — the one copy shared by the tests and the
// benchmarks. Plain JavaScript, so `node bench/x.mjs` runs it without a build step; types are in
// server-process.d.mts. The engine is always explicit: DATABASE_URL (and HOST) from the caller's
// environment never reach the child, so a CI variable cannot turn a SQLite run into a PostgreSQL
// one; pass `databaseUrl` to ask for PostgreSQL.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The built CLI entry; `npm test` builds before running tests. */
export const CLI = fileURLToPath(new URL('../../packages/server/dist/cli/main.js', import.meta.url));

/** `Basic base64(pk:sk)`. */
export const basic = (publicKey, secretKey) => `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}`;

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

/**
 * A child-process environment: ours with DATABASE_URL and HOST emptied (empty rather than
 * deleted, so the result also wins when merged over process.env), then `extra`'s defined values.
 */
export function cliEnv(extra = {}) {
  const env = { ...process.env, DATABASE_URL: '', HOST: '' };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/** Runs a CLI command to completion (SQLite unless `env` gives a DATABASE_URL). */
export function runCli(args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c.toString()));
    child.stderr.on('data', (c) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Starts `sightline serve` on 127.0.0.1 (`port`, or one the system picks) and resolves once it
 * has said where it listens and `GET /api/public/ready` answers 200 (within `readyTimeoutMs`).
 * SQLite in `dataDir` unless `databaseUrl` selects PostgreSQL. `cli` runs another build's CLI (benchmarks comparing builds).
 */
export async function startServer(options = {}) {
  const { dataDir, databaseUrl, port = 0, args = [], nodeArgs = [], env = {}, readyTimeoutMs = 30_000, cli = CLI } = options;
  const argv = [...nodeArgs, cli, 'serve', '--host', '127.0.0.1', '--port', String(port), ...(dataDir ? ['--data-dir', dataDir] : []), ...args];
  const child = spawn(process.execPath, argv, { env: cliEnv({ ...env, DATABASE_URL: databaseUrl ?? env.DATABASE_URL }), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let listening;
  const heard = new Promise((resolve) => (listening = resolve));
  let url = '';
  const onData = (chunk) => {
    out += chunk.toString();
    // A long run (bench/soak.mjs) keeps the last half megabyte of what the server printed.
    if (out.length > 1_000_000) out = out.slice(-500_000);
    const m = url ? null : /listening on (http:\/\/\S+)/.exec(out);
    if (m) listening((url = m[1]));
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const running = () => child.exitCode === null && child.signalCode === null;
  const fail = (message) => {
    if (running()) child.kill('SIGKILL');
    return new Error(`${message}:\n${out}`);
  };
  const deadline = Date.now() + readyTimeoutMs;
  const timeout = new Promise((resolve) => setTimeout(resolve, readyTimeoutMs, 'timeout').unref());
  const first = await Promise.race([heard, exited.then(() => 'exited'), timeout]);
  if (first === 'exited') throw fail('server exited before listening');
  if (first === 'timeout') throw fail(`server not listening within ${readyTimeoutMs} ms`);
  for (;;) {
    if (!running()) throw fail('server exited before it was ready');
    const status = await fetch(`${url}/api/public/ready`).then(
      async (res) => (await res.arrayBuffer(), res.status),
      () => 0,
    );
    if (status === 200) break;
    if (Date.now() > deadline) throw fail(`server not ready within ${readyTimeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    child,
    output: () => out,
    exited,
    /** SIGTERM (graceful shutdown) and wait for the exit. */
    stop() {
      if (running()) child.kill('SIGTERM');
      return exited;
    },
  };
}
