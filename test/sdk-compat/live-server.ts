import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { basic, createPgTestDatabase, startServer, type Engine, type PgTestDatabase, type ServerProcess } from '../support/index.js';

export const PUBLIC_KEY = 'pk-lf-sdk-compat';
export const SECRET_KEY = 'sk-lf-sdk-compat-secret';

export interface LiveServer {
  url: string;
  /** `Basic base64(pk:sk)` of the server's initial project. */
  auth: string;
  /** GET a public API path (relative to `/api/public/`), asserting 200, and return the JSON body. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked by assertions
  get(path: string): Promise<any>;
}

/**
 * Starts the built `sightline serve` on a fresh data directory (SQLite, or a fresh PostgreSQL
 * database with `engine: 'postgres'`, or the database `databaseUrl` names) with a fixed key pair
 * for the tests of one file, and stops it afterwards. The real SDKs talk to it over HTTP. `env`
 * (read when the server starts, after earlier `beforeAll` hooks) adds settings such as a blob
 * store's; `databaseUrl` is read then too.
 */
export function useLiveServer(options: { engine?: Engine; env?: () => Record<string, string>; databaseUrl?: () => string | undefined } = {}): () => LiveServer {
  let server: ServerProcess | undefined;
  let dir: string | undefined;
  let pg: PgTestDatabase | undefined;
  let live: LiveServer | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sightline-sdk-compat-'));
    if (options.engine === 'postgres') pg = await createPgTestDatabase();
    server = await startServer({ dataDir: dir, databaseUrl: pg?.url ?? options.databaseUrl?.(), env: { ...options.env?.(), SIGHTLINE_INIT_PUBLIC_KEY: PUBLIC_KEY, SIGHTLINE_INIT_SECRET_KEY: SECRET_KEY } });
    const url = server.url;
    const auth = basic(PUBLIC_KEY, SECRET_KEY);
    live = {
      url,
      auth,
      async get(path) {
        const res = await fetch(`${url}/api/public/${path}`, { headers: { authorization: auth } });
        const body: unknown = await res.json();
        expect(res.status, `GET ${path} → ${JSON.stringify(body)}`).toBe(200);
        return body;
      },
    };
  });
  afterAll(async () => {
    if (server) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
    await pg?.drop();
  });
  return () => {
    if (!live) throw new Error('live server not started');
    return live;
  };
}

type Named = { name: string | null };

/** Indexes a list by `name` (observations, scores). */
export const byName = <T extends Named>(items: T[]): Record<string, T> => Object.fromEntries(items.map((i) => [i.name, i]));
