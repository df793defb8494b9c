import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from '@sightline/storage';
import { openTestStorage, type Engine } from '@sightline/storage/testing';
import { createProjectWithKey, type ProjectWithKey } from '../admin/projects.js';
import { createApp } from '../app.js';
import type { AppDeps } from '../http/app-env.js';
import { createIngestor } from '../ingest/ingestor.js';
import { createLogger } from '../logger.js';
import { createFsBlobStore } from '../blobs/fs-blob-store.js';
import { DEFAULT_MEDIA_MAX_BYTES } from '../media/content-types.js';
import type { MediaDeps } from '../media/media-deps.js';
import { createUrlSigner } from '../media/url-signer.js';

export type { Engine };

export interface TestProject extends ProjectWithKey {
  /** `Basic base64(pk:sk)`. */
  auth: string;
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  storage: Storage;
  a: TestProject;
  b: TestProject;
  /** Sends a request in-process. `body` objects are JSON-encoded; `auth` defaults to project A. */
  request(method: string, path: string, options?: { body?: unknown; auth?: string | null; headers?: Record<string, string> }): Promise<Response>;
  /** Same as `request`, returning status and parsed JSON. */
  json<T = any>(method: string, path: string, options?: { body?: unknown; auth?: string | null; headers?: Record<string, string> }): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export const basicAuth = (publicKey: string, secretKey: string) => `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}`;

/** A Sightline app on a fresh database of the given engine, with two projects A and B. */
export async function createTestApp(engine: Engine = 'sqlite', options: Pick<AppDeps, 'metricsToken' | 'trustedProxies' | 'setupToken' | 'media' | 'llm'> = {}): Promise<TestApp> {
  const { storage, close } = await openTestStorage(engine);
  const blobDir = mkdtempSync(join(tmpdir(), 'sightline-test-blobs-'));
  const media: MediaDeps = { blobs: createFsBlobStore(blobDir), signer: createUrlSigner(Buffer.from('test-signing-key-of-at-least-32-chars')), maxBytes: DEFAULT_MEDIA_MAX_BYTES };
  const logger = createLogger({ silent: true });
  const ingestor = createIngestor(storage, logger);
  const app = createApp({ storage, ingestor, logger, version: 'test', media, ...options });
  const withAuth = (p: ProjectWithKey): TestProject => ({ ...p, auth: basicAuth(p.publicKey, p.secretKey) });
  const a = withAuth(await createProjectWithKey(storage, 'project-a'));
  const b = withAuth(await createProjectWithKey(storage, 'project-b'));
  const request: TestApp['request'] = (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const auth = options.auth === undefined ? a.auth : options.auth;
    if (auth !== null) headers.authorization = auth;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    return Promise.resolve(app.request(path, { method, headers, body }));
  };
  return {
    app,
    storage,
    a,
    b,
    request,
    async json(method, path, options) {
      const res = await request(method, path, options);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async close() {
      await ingestor.drain();
      await close();
      rmSync(blobDir, { recursive: true, force: true });
    },
  };
}
