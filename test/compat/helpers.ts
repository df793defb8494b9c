import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { createTestApp, type Engine, type TestApp } from '../../packages/server/src/testing/test-app.js';

export { basicAuth, createTestApp, type Engine, type TestApp } from '../../packages/server/src/testing/test-app.js';

/** Every compat test runs against both storage engines. */
export const ENGINES = ['sqlite', 'postgres'] as const satisfies readonly Engine[];

export const API = '/api/public';

/** A unique id with a readable prefix. */
export const uid = (prefix = 'id') => `${prefix}-${randomUUID()}`;

/** `encodeURIComponent`, for ids in paths. */
export const enc = encodeURIComponent;

/** ISO time `offsetMs` after `base`. */
export const at = (base: string, offsetMs: number) => new Date(Date.parse(base) + offsetMs).toISOString();

export interface IngestionEvent {
  id: string;
  type: string;
  timestamp: string;
  body: Record<string, unknown>;
}

/** One batch event; envelope id and timestamp default to fresh values. */
export function ev(type: string, body: Record<string, unknown>, timestamp = new Date().toISOString(), id = uid('ev')): IngestionEvent {
  return { id, type, timestamp, body };
}

export interface MultiStatus {
  successes: { id: string; status: number }[];
  errors: { id: string; status: number; message?: string; error?: string }[];
}

/** POSTs a batch to /ingestion (as project A unless `auth` is given). */
export function ingest(t: TestApp, batch: unknown[], auth?: string | null) {
  return t.json<MultiStatus>('POST', `${API}/ingestion`, { body: { batch }, auth });
}

/** POSTs a batch and asserts that every event was accepted (207, no errors). */
export async function ingestOk(t: TestApp, batch: IngestionEvent[], auth?: string): Promise<MultiStatus> {
  const res = await ingest(t, batch, auth);
  expect(res.status).toBe(207);
  expect(res.body.errors).toEqual([]);
  expect(res.body.successes).toEqual(batch.map((e) => ({ id: e.id, status: 201 })));
  return res.body;
}

/** GET as project A (or `auth`), returning status and body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked by assertions, like the harness's `json`
export function get<T = any>(t: TestApp, path: string, auth?: string | null) {
  return t.json<T>('GET', path.startsWith('/') ? path : `${API}/${path}`, { auth });
}

/** GETs and asserts 200, returning the body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see `get`
export async function getOk<T = any>(t: TestApp, path: string, auth?: string): Promise<T> {
  const res = await get<T>(t, path, auth);
  expect(res.status, `GET ${path} → ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
}

/** Removes `createdAt`/`updatedAt` at every depth (wall-clock fields that legitimately differ between runs). */
export function stripVolatile(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripVolatile);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) if (k !== 'createdAt' && k !== 'updatedAt') out[k] = stripVolatile(val);
    return out;
  }
  return v;
}

/** `stripVolatile`, with every occurrence of the given strings (e.g. project ids) replaced by a placeholder. */
export function normalise(v: unknown, replace: Record<string, string> = {}): unknown {
  let text = JSON.stringify(stripVolatile(v));
  for (const [from, to] of Object.entries(replace)) text = text.split(from).join(to);
  return JSON.parse(text);
}

/** Creates one app per `describe` block (fresh database) and closes it afterwards. */
export function useTestApp(engine: Engine): () => TestApp {
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await createTestApp(engine);
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => {
    if (!app) throw new Error('test app not started');
    return app;
  };
}
