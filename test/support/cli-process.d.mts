// Types of cli-process.mjs (plain JavaScript so the benchmarks can run it without a build).
import type { ChildProcess } from 'node:child_process';

export declare const CLI: string;
export declare const basic: (publicKey: string, secretKey: string) => string;
export declare function freePort(): Promise<number>;
export declare function cliEnv(extra?: Record<string, string | undefined>): NodeJS.ProcessEnv;
export declare function runCli(args: string[], env?: Record<string, string | undefined>): Promise<{ code: number | null; stdout: string; stderr: string }>;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerOptions {
  /** SQLite folder (`--data-dir`). */
  dataDir?: string;
  /** `postgres://…` selects PostgreSQL; without it the server uses SQLite, whatever DATABASE_URL says. */
  databaseUrl?: string;
  /** Port to listen on; by default the system picks a free one. */
  port?: number;
  /** More `serve` arguments. */
  args?: string[];
  /** Node flags before the CLI script (e.g. `--import` a probe). */
  nodeArgs?: string[];
  /** Extra environment for the server. */
  env?: Record<string, string | undefined>;
  /** How long to wait for readiness (default 30 s). */
  readyTimeoutMs?: number;
}

export interface ServerProcess {
  /** `http://127.0.0.1:<port>` */
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves once the process has exited. */
  exited: Promise<Exit>;
  /** SIGTERM (graceful shutdown) and wait for the exit. */
  stop(): Promise<Exit>;
}

export declare function startServer(options?: ServerOptions): Promise<ServerProcess>;
