import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { basic, createPgTestDatabase, runCli, startServer, type Engine, type PgTestDatabase, type ServerProcess } from './support/index.js';

// Export round-trip: traces exported from one instance and imported (`sightline import --file`)
// into a fresh one on the other engine read back the same through the public API, field by field:
// traces, observations, scores and sessions. Only the bookkeeping of the copy differs (createdAt and
// updatedAt are when rows were written here). One direction exports through the API, the other
// through `sightline export`, so both writers of the format are checked against the reader.

const PK = 'pk-lf-roundtrip';
const SK = 'sk-lf-roundtrip-secret';
const T0 = Date.parse('2026-02-01T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const TRACES = 25;

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are compared as JSON */
interface Instance {
  server: ServerProcess;
  dir: string;
  pg?: PgTestDatabase;
  url: string;
  auth: string;
  databaseUrl: string;
  get(path: string): Promise<any>;
  post(path: string, body: unknown): Promise<any>;
}

const instances: Instance[] = [];
afterAll(async () => {
  for (const i of instances) {
    await i.server.stop();
    rmSync(i.dir, { recursive: true, force: true });
    await i.pg?.drop();
  }
});

async function start(engine: Engine): Promise<Instance> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-roundtrip-'));
  const pg = engine === 'postgres' ? await createPgTestDatabase() : undefined;
  const server = await startServer({ dataDir: dir, databaseUrl: pg?.url, env: { SIGHTLINE_INIT_PUBLIC_KEY: PK, SIGHTLINE_INIT_SECRET_KEY: SK } });
  const auth = basic(PK, SK);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}/api/public/${path}`, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    expect(res.status, `${method} ${path} → ${text}`).toBeLessThan(300);
    return text ? JSON.parse(text) : null;
  };
  const instance: Instance = {
    server, dir, pg, url: server.url, auth, databaseUrl: pg?.url ?? '',
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
  };
  instances.push(instance);
  return instance;
}

/**
 * Every kind of observation nested three deep, usage and cost (computed from a model price and
 * provided), scores of each data type on traces and observations, sessions, tags, metadata,
 * levels; traces updated by later events and a late score, so what is exported is merged state.
 */
async function seed(source: Instance): Promise<void> {
  const batch: unknown[] = [];
  const ev = (type: string, at: number, body: Record<string, unknown>) => batch.push({ id: `e-${batch.length}`, type, timestamp: iso(at), body });
  for (let i = 0; i < TRACES; i++) {
    const at = T0 + i * 90_000;
    const t = `rt-${String(i).padStart(2, '0')}`;
    ev('trace-create', at, {
      id: t, timestamp: iso(at), name: `ask ${i}`, userId: `user-${i % 4}`, sessionId: i % 5 === 0 ? null : `session-${i % 3}`,
      environment: i % 2 ? 'production' : 'staging', input: { question: `q${i}`, n: [i, i + 1] }, output: `answer ${i}`,
      metadata: { team: 'search', nested: { deep: i } }, tags: ['exported', `t${i % 2}`], release: 'r2', version: 'v7', public: i === 3,
    });
    if (i === 7) continue; // a trace with nothing in it
    ev('span-create', at, { id: `${t}-root`, traceId: t, name: 'handle', startTime: iso(at), endTime: iso(at + 2_000), input: 'in', metadata: { step: 1 }, version: 'v7' });
    ev('chain-create', at, { id: `${t}-chain`, traceId: t, parentObservationId: `${t}-root`, name: 'chain', startTime: iso(at + 5), endTime: iso(at + 1_900) });
    ev('generation-create', at, {
      id: `${t}-gen`, traceId: t, parentObservationId: `${t}-chain`, name: 'llm', startTime: iso(at + 20), completionStartTime: iso(at + 250), endTime: iso(at + 800),
      model: 'gpt-4o', modelParameters: { temperature: 0.3, max_tokens: 100 }, input: [{ role: 'user', content: `q${i}` }], output: { role: 'assistant', content: 'a' },
      usageDetails: { input: 500 + i, output: 40, input_cached_tokens: 5 },
    });
    ev('generation-create', at, {
      id: `${t}-priced`, traceId: t, parentObservationId: `${t}-root`, name: 'own', startTime: iso(at + 900), endTime: iso(at + 1_000),
      model: 'in-house', usageDetails: { input: 11, output: 2 }, costDetails: { input: 0.125, output: 0.5 }, level: 'WARNING', statusMessage: 'slow',
    });
    ev('retriever-create', at, { id: `${t}-retrieve`, traceId: t, parentObservationId: `${t}-chain`, name: 'docs', startTime: iso(at + 10), endTime: iso(at + 15), output: { hits: i } });
    ev('event-create', at, { id: `${t}-event`, traceId: t, parentObservationId: `${t}-root`, name: 'cache-miss', startTime: iso(at + 3), level: 'DEBUG' });
    // Later events that change what the export must carry.
    ev('span-update', at + 3_000, { id: `${t}-root`, traceId: t, output: { done: true }, level: i % 4 === 0 ? 'ERROR' : 'DEFAULT' });
    ev('trace-create', at + 3_000, { id: t, tags: ['late'], metadata: { reviewed: i % 2 === 0 } });
    ev('score-create', at + 4_000, { id: `${t}-accuracy`, traceId: t, name: 'accuracy', value: i / 10, comment: 'auto', source: 'EVAL' });
    ev('score-create', at + 4_000, { id: `${t}-tone`, traceId: t, observationId: `${t}-gen`, name: 'tone', value: i % 2 ? 'friendly' : 'terse', dataType: 'CATEGORICAL' });
    ev('score-create', at + 4_000, { id: `${t}-ok`, traceId: t, name: 'ok', value: i % 2, dataType: 'BOOLEAN', metadata: { by: 'judge' }, environment: 'production' });
  }
  // A score that arrives a day later on the first trace.
  ev('score-create', T0 + 86_400_000, { id: 'late-score', traceId: 'rt-00', name: 'accuracy-review', value: 1, source: 'ANNOTATION' });
  const res = await source.post('ingestion', { batch });
  expect(res.errors).toEqual([]);
}

const BOOKKEEPING = new Set(['createdAt', 'updatedAt', 'projectId', 'htmlPath']);
function comparable(v: any): any {
  if (Array.isArray(v)) return v.map(comparable);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => !BOOKKEEPING.has(k)).map(([k, x]) => [k, comparable(x)]));
}
const byId = (a: any, b: any) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Every row of a paged list (100 a page, the API's limit). */
async function allPages(i: Instance, path: string): Promise<{ data: any[]; totalItems: number }> {
  const data: any[] = [];
  for (let page = 1; ; page++) {
    const body = await i.get(`${path}?limit=100&page=${page}`);
    data.push(...body.data);
    if (page >= body.meta.totalPages) return { data, totalItems: body.meta.totalItems };
  }
}

/** What the public API answers about every trace, observation, score and session. */
async function snapshot(i: Instance) {
  const list = await i.get('traces?limit=100&orderBy=timestamp.asc');
  const observations = await allPages(i, 'observations');
  const scores = await i.get('v2/scores?limit=100');
  const sessions = await i.get('sessions?limit=100');
  return {
    totals: { traces: list.meta.totalItems, observations: observations.totalItems, scores: scores.meta.totalItems, sessions: sessions.meta.totalItems },
    list: comparable(list.data),
    traces: comparable(await Promise.all(list.data.map((t: any) => i.get(`traces/${t.id}`)))),
    observations: comparable(observations.data).sort(byId),
    observationsById: comparable(await Promise.all(observations.data.slice(0, 12).map((o: any) => i.get(`observations/${o.id}`)))),
    scores: comparable(scores.data).sort(byId),
    sessions: comparable(sessions.data).sort(byId),
    sessionsById: comparable(await Promise.all(sessions.data.map((s: any) => i.get(`sessions/${s.id}`)))).sort(byId),
  };
}

async function exportThroughApi(source: Instance, file: string): Promise<void> {
  const res = await fetch(`${source.url}/api/public/export/traces?format=jsonl`, { headers: { authorization: source.auth } });
  expect(res.status).toBe(200);
  writeFileSync(file, await res.text());
}

async function exportThroughCli(source: Instance, file: string): Promise<void> {
  const [project] = (await source.get('projects')).data;
  const r = await runCli(['export', '--project', project.id, '--out', file, '--data-dir', source.dir], { DATABASE_URL: source.databaseUrl });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain(`exported ${TRACES} traces to ${file}`);
}

const PAIRS: [Engine, Engine, 'API' | 'CLI'][] = [
  ['sqlite', 'postgres', 'API'],
  ['postgres', 'sqlite', 'CLI'],
];

describe.each(PAIRS)('export from %s, import into a fresh %s (export through the %s)', (from, to, via) => {
  it('reads back the same traces, observations, scores and sessions', async () => {
    const source = await start(from);
    await seed(source);
    const want = await snapshot(source);
    expect(want.totals).toEqual({ traces: TRACES, observations: (TRACES - 1) * 6, scores: (TRACES - 1) * 3 + 1, sessions: 3 });

    // The snapshot holds the data itself, not just ids: a comparison of near-empty reads proves nothing.
    const first = want.traces[0];
    expect([first.id, first.observations.length, first.scores.length, first.tags]).toEqual(['rt-00', 6, 4, ['exported', 'late', 't0']]);
    expect(first.observations.find((o: any) => o.id === 'rt-00-gen').costDetails.total).toBeGreaterThan(0);
    expect(first.observations.find((o: any) => o.id === 'rt-00-root')).toMatchObject({ level: 'ERROR', output: { done: true } });
    expect(want.sessionsById.every((s: any) => s.traces.length > 0)).toBe(true);

    const file = join(source.dir, 'traces.jsonl');
    await (via === 'API' ? exportThroughApi(source, file) : exportThroughCli(source, file));

    const target = await start(to);
    const imported = await runCli(['import', '--file', file, '--data-dir', target.dir], { DATABASE_URL: target.databaseUrl });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`imported ${TRACES} traces`);
    const got = await snapshot(target);
    expect(got.totals).toEqual(want.totals);
    // Field by field, one part at a time so a difference names what differs.
    expect(got.traces).toEqual(want.traces);
    expect(got.list).toEqual(want.list);
    expect(got.observations).toEqual(want.observations);
    expect(got.observationsById).toEqual(want.observationsById);
    expect(got.scores).toEqual(want.scores);
    expect(got.sessions).toEqual(want.sessions);
    expect(got.sessionsById).toEqual(want.sessionsById);
  });
});
