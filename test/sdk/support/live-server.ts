import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SightlineClient } from '@sightline/sdk';
import { startServer, type ServerProcess } from '../../support/server-process.js';

export const PUBLIC_KEY = 'pk-lf-sdk-e2e';
export const SECRET_KEY = 'sk-lf-sdk-e2e-secret';
export const keys = { publicKey: PUBLIC_KEY, secretKey: SECRET_KEY };

export interface LiveServer {
  url: string;
  process: ServerProcess;
  client: SightlineClient;
  stop(): Promise<void>;
}

/** Starts `sightline serve` (built CLI) on a fresh SQLite folder with fixed init keys. */
export async function startLiveServer(options: { port?: number; dataDir?: string } = {}): Promise<LiveServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sightline-sdk-'));
  const args = ['--data-dir', dataDir, ...(options.port ? ['--port', String(options.port)] : [])];
  const proc = await startServer(args, { SIGHTLINE_INIT_PUBLIC_KEY: PUBLIC_KEY, SIGHTLINE_INIT_SECRET_KEY: SECRET_KEY });
  const url = proc.url.replace('localhost', '127.0.0.1');
  return {
    url,
    process: proc,
    client: new SightlineClient({ baseUrl: url, ...keys }),
    async stop() {
      proc.child.kill('SIGTERM');
      await proc.exited;
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A loopback port that is free right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
