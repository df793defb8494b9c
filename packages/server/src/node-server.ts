import { serve, type ServerType } from '@hono/node-server';
import type { Storage } from '@sightline/storage';
import { createApp } from './app.js';
import { startExportScheduler } from './exports/export-scheduler.js';
import { createIngestor, type Ingestor } from './ingest/ingestor.js';
import type { JobRunner } from './jobs/job-runner.js';
import type { LlmDeps } from './llm/llm-deps.js';
import type { TrustedProxies } from './http/trusted-proxies.js';
import type { Logger } from './logger.js';
import type { MediaDeps } from './media/media-deps.js';
import { createRetentionSweeper } from './retention/retention-sweeper.js';

export interface RunningServer {
  url: string;
  port: number;
  ingestor: Ingestor;
  /** Stops accepting connections, waits for in-flight requests and commits, then closes storage. */
  stop(): Promise<void>;
}

export interface StartOptions {
  storage: Storage;
  logger: Logger;
  version: string;
  port: number;
  host: string;
  /** Bearer token that lets non-loopback clients read /metrics (SIGHTLINE_METRICS_TOKEN). */
  metricsToken?: string;
  /** Peers whose X-Forwarded-* headers are believed (SIGHTLINE_TRUSTED_PROXIES); default none. */
  trustedProxies?: TrustedProxies;
  /** Lets a browser elsewhere create the first account (printed at start by the CLI). */
  setupToken?: string;
  /** Blob store and URL signing for media (the CLI builds it from the environment). */
  media?: MediaDeps;
  /** Runs the retention sweeper with this pause between sweeps (SIGHTLINE_RETENTION_INTERVAL_MS); unset: no sweeper. */
  retentionIntervalMs?: number;
  /** Secret encryption and the SSRF guard of LLM connections (the CLI builds it from the environment). */
  llm?: LlmDeps;
  /** Started once the server listens; drained on stop before storage closes. */
  jobRunner?: JobRunner | null;
  /** The ingestor to serve with (the CLI shares it with the job runner's evaluations); default a new one. */
  ingestor?: Ingestor;
}

/** Serves the app over Node's HTTP server. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { storage, logger } = options;
  const ingestor = options.ingestor ?? createIngestor(storage, logger);
  const app = createApp({
    storage, ingestor, logger, version: options.version, metricsToken: options.metricsToken,
    trustedProxies: options.trustedProxies, setupToken: options.setupToken, media: options.media, llm: options.llm,
  });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
    s.once('error', reject);
  });
  const sweeper = options.retentionIntervalMs === undefined ? null : createRetentionSweeper({ storage, logger, media: options.media, intervalMs: options.retentionIntervalMs });
  sweeper?.start();
  // Scheduled exports write to the blob store, which comes with the media settings.
  const exportScheduler = options.media ? startExportScheduler({ storage, blobs: options.media.blobs, logger }) : null;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  let stopping: Promise<void> | null = null;
  options.jobRunner?.start();
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    port,
    ingestor,
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        if ('closeIdleConnections' in server) server.closeIdleConnections();
        // In-flight requests finish (their commits included) before `close` calls back.
        await Promise.race([closed, new Promise((r) => setTimeout(r, 10_000).unref())]);
        await sweeper?.stop();
        await options.jobRunner?.drain();
        await ingestor.drain();
        await exportScheduler?.stop();
        await storage.close();
      })();
      return stopping;
    },
  };
}
