import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SightlineClient } from '@sightline/sdk';
import { startServer, type ServerProcess } from '../../support/index.js';

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
  const proc = await startServer({ dataDir, port: options.port, env: { SIGHTLINE_INIT_PUBLIC_KEY: PUBLIC_KEY, SIGHTLINE_INIT_SECRET_KEY: SECRET_KEY } });
  const url = proc.url;
  return {
    url,
    process: proc,
    client: new SightlineClient({ baseUrl: url, ...keys }),
    async stop() {
      await proc.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
