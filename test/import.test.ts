import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useLiveServer } from './sdk-compat/live-server.js';
import { basic, createPgTestDatabase, ENGINES, freePort, runCli, startServer, type Engine, type PgTestDatabase, type ServerProcess } from './support/index.js';

// `sightline import` end to end: a live Sightline is the SOURCE (any Langfuse-compatible server
// would do), a fresh Sightline on each engine the TARGET; what the public API answers on both sides
// must be the same, apart from the bookkeeping times of the copy (createdAt/updatedAt of traces,
// observations, scores and sessions are when they were written here).

const source = useLiveServer();
const TARGET_PK = 'pk-lf-import-target';
const TARGET_SK = 'sk-lf-import-target-secret';
const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const TRACES = 12;

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are compared as JSON */
async function call(url: string, auth: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}/api/public/${path}`, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : null;
  expect(res.status, `${method} ${path} → ${JSON.stringify(json)}`).toBeLessThan(300);
  return json;
}

/** Fills the source: nested observations of every kind, usage and cost (computed and provided), scores of each type, sessions, prompts, a dataset with a run. */
async function seedSource(): Promise<void> {
  const { url, auth } = source();
  const post = (path: string, body: unknown) => call(url, auth, 'POST', path, body);
  const config = await post('score-configs', { name: 'verdict', dataType: 'CATEGORICAL', categories: [{ label: 'good', value: 1 }, { label: 'bad', value: 0 }] });
  await post('v2/prompts', { name: 'greeting', type: 'text', prompt: 'Hello {{name}}', config: { temperature: 0.2 }, labels: ['production'], tags: ['onboarding'], commitMessage: 'first' });
  await post('v2/prompts', { name: 'greeting', type: 'text', prompt: 'Hi {{name}}!', labels: ['staging'], commitMessage: 'shorter' });
  await post('v2/prompts', { name: 'greeting', type: 'text', prompt: 'Hey {{name}}', labels: ['production'] });
  // A deleted version leaves a gap the copy keeps: versions 1 and 3.
  for (const text of ['a', 'b', 'c']) await post('v2/prompts', { name: 'gappy', prompt: text });
  await call(url, auth, 'DELETE', 'v2/prompts/gappy?version=2');
  await post('v2/prompts', { name: 'support/chat', type: 'chat', prompt: [{ role: 'system', content: 'You help. @@@langfusePrompt:name=greeting|label=production@@@' }] });
  const batch: unknown[] = [];
  const ev = (type: string, at: number, body: Record<string, unknown>) => batch.push({ id: `e-${batch.length}`, type, timestamp: iso(at), body });
  for (let i = 0; i < TRACES; i++) {
    const at = T0 + i * 60_000;
    const t = `trace-${String(i).padStart(2, '0')}`;
    ev('trace-create', at, {
      id: t, timestamp: iso(at), name: `chat ${i}`, userId: `user-${i % 3}`, sessionId: i < 6 ? 'session-a' : `session-${i}`, environment: 'production',
      input: { question: `q${i}` }, output: `answer ${i}`, metadata: { team: 'search', n: i }, tags: ['imported', `t${i % 2}`], release: 'r1', version: 'v2', public: i === 0,
    });
    ev('span-create', at, { id: `${t}-root`, traceId: t, name: 'handle', startTime: iso(at), endTime: iso(at + 2_000), input: 'in', metadata: { step: 1 } });
    ev('agent-create', at, { id: `${t}-agent`, traceId: t, parentObservationId: `${t}-root`, name: 'planner', startTime: iso(at + 10), endTime: iso(at + 1_500) });
    ev('generation-create', at, {
      id: `${t}-gen`, traceId: t, parentObservationId: `${t}-agent`, name: 'llm', startTime: iso(at + 20), completionStartTime: iso(at + 300), endTime: iso(at + 900),
      model: 'gpt-4o', modelParameters: { temperature: 0.1 }, input: [{ role: 'user', content: `q${i}` }], output: { role: 'assistant', content: 'a' },
      usageDetails: { input: 1000 + i, output: 50, input_cached_tokens: 10 }, promptName: 'greeting', promptVersion: 1 + (i % 3),
    });
    ev('generation-create', at, {
      id: `${t}-priced`, traceId: t, parentObservationId: `${t}-root`, name: 'custom', startTime: iso(at + 1_000), endTime: iso(at + 1_200),
      model: 'my-own-model', usageDetails: { input: 7, output: 3 }, costDetails: { input: 0.5, output: 0.25 }, level: 'WARNING', statusMessage: 'slow',
    });
    ev('tool-create', at, { id: `${t}-tool`, traceId: t, parentObservationId: `${t}-agent`, name: 'search', startTime: iso(at + 1_000), endTime: iso(at + 1_100), output: { hits: 3 } });
    ev('event-create', at, { id: `${t}-event`, traceId: t, parentObservationId: `${t}-root`, name: 'cache-miss', startTime: iso(at + 5), metadata: { key: 'k' } });
    ev('score-create', at + 5_000, { id: `${t}-accuracy`, traceId: t, name: 'accuracy', value: 0.5 + i / 100, comment: 'auto', source: 'EVAL' });
    ev('score-create', at + 5_000, { id: `${t}-verdict`, traceId: t, observationId: `${t}-gen`, name: 'verdict', value: i % 2 ? 'good' : 'bad', configId: config.id });
    ev('score-create', at + 5_000, { id: `${t}-helpful`, traceId: t, name: 'helpful', value: i % 2, dataType: 'BOOLEAN', metadata: { by: 'judge' } });
    ev('score-create', at + 5_000, { id: `${t}-tone`, traceId: t, name: 'tone', value: 'friendly', dataType: 'CATEGORICAL' });
  }
  const ingested = await post('ingestion', { batch });
  expect(ingested.errors).toEqual([]);
  await post('v2/datasets', { name: 'qa', description: 'questions', metadata: { owner: 'search' } });
  for (const id of ['item-1', 'item-2', 'item-3']) {
    await post('dataset-items', { datasetName: 'qa', id, input: { q: id }, expectedOutput: `${id}!`, metadata: { k: id }, sourceTraceId: 'trace-00' });
  }
  await post('dataset-run-items', { runName: 'run-1', runDescription: 'baseline', metadata: { model: 'gpt-4o' }, datasetItemId: 'item-1', traceId: 'trace-01', observationId: 'trace-01-gen' });
  await post('dataset-run-items', { runName: 'run-1', datasetItemId: 'item-2', traceId: 'trace-02' });
  await post('dataset-items', { datasetName: 'qa', id: 'item-2', status: 'ARCHIVED' });
  // Scores no trace holds: one of a session, one of a dataset run.
  const run = await call(url, auth, 'GET', 'datasets/qa/runs/run-1');
  const loose = await post('ingestion', {
    batch: [
      { id: 'e-session-score', type: 'score-create', timestamp: iso(T0 + 3_600_000), body: { id: 'session-score', sessionId: 'session-a', name: 'session-quality', value: 4 } },
      { id: 'e-run-score', type: 'score-create', timestamp: iso(T0 + 3_600_000), body: { id: 'run-score', datasetRunId: run.id, name: 'run-accuracy', value: 0.9, comment: 'mean' } },
    ],
  });
  expect(loose.errors).toEqual([]);
}

const BOOKKEEPING = new Set(['createdAt', 'updatedAt', 'projectId', 'htmlPath']);
/** A trace without what the copy does not keep (when it was written here), for comparison. */
function comparable(v: any): any {
  if (Array.isArray(v)) return v.map(comparable);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => !BOOKKEEPING.has(k)).map(([k, x]) => [k, comparable(x)]));
}
const without = (v: any, keys: string[]) => Object.fromEntries(Object.entries(v).filter(([k]) => !keys.includes(k)));

interface Target {
  server: ServerProcess;
  dir: string;
  pg?: PgTestDatabase;
  get(path: string): Promise<any>;
  importCli(args: string[], env?: Record<string, string>): ReturnType<typeof runCli>;
}

const targets: Target[] = [];
afterAll(async () => {
  for (const t of targets) {
    await t.server.stop();
    rmSync(t.dir, { recursive: true, force: true });
    await t.pg?.drop();
  }
});

async function startTarget(engine: Engine): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-import-'));
  const pg = engine === 'postgres' ? await createPgTestDatabase() : undefined;
  const server = await startServer({ dataDir: dir, databaseUrl: pg?.url, env: { SIGHTLINE_INIT_PUBLIC_KEY: TARGET_PK, SIGHTLINE_INIT_SECRET_KEY: TARGET_SK } });
  const auth = basic(TARGET_PK, TARGET_SK);
  const t: Target = {
    server, dir, pg,
    get: (path) => call(server.url, auth, 'GET', path),
    importCli: (args, env = {}) => runCli(['import', '--data-dir', dir, ...args], { DATABASE_URL: pg?.url ?? '', ...env }),
  };
  targets.push(t);
  return t;
}

const fromSource = () => ['--from', source().url, '--public-key', 'pk-lf-sdk-compat', '--secret-key', 'sk-lf-sdk-compat-secret'];

/** Every trace as the public API answers it, and the counts of what traces hold. */
async function traceSnapshot(get: (path: string) => Promise<any>) {
  const list = await get(`traces?limit=100&orderBy=timestamp.asc`);
  const traces = await Promise.all(list.data.map((t: any) => get(`traces/${t.id}`)));
  const sessions = await get('sessions?limit=100');
  return {
    traces: traces.map(comparable),
    sessions: sessions.data.map((s: any) => without(s, ['createdAt', 'projectId'])).sort((a: any, b: any) => (a.id < b.id ? -1 : 1)),
    counts: {
      traces: list.meta.totalItems,
      observations: (await get('observations?limit=1')).meta.totalItems,
      scores: (await get('v2/scores?limit=1')).meta.totalItems,
      sessions: sessions.meta.totalItems,
    },
  };
}

/** Every trace, prompt version, dataset, item and run as the public API answers them. */
async function snapshot(get: (path: string) => Promise<any>) {
  const prompts = await get('v2/prompts');
  const versions = [];
  for (const p of prompts.data) for (const v of p.versions) versions.push(without(await get(`v2/prompts/${encodeURIComponent(p.name)}?version=${v}&resolve=false`), ['projectId', 'updatedAt']));
  const datasets = await get('v2/datasets');
  const items = await get('dataset-items?datasetName=qa&limit=100');
  const run = await get('datasets/qa/runs/run-1');
  const scores = await get('v2/scores?limit=100');
  const configs = await get('score-configs');
  return {
    configs: configs.data.map((c: any) => without(c, ['projectId'])),
    ...(await traceSnapshot(get)),
    scores: comparable(scores.data).sort((a: any, b: any) => (a.id < b.id ? -1 : 1)),
    prompts: prompts.data.map((p: any) => without(p, ['lastUpdatedAt'])),
    versions,
    datasets: datasets.data.map((d: any) => without(d, ['projectId'])),
    items: items.data,
    archived: await get('dataset-items/item-2'),
    run: without(run, ['updatedAt']),
  };
}

let seeded: Promise<Awaited<ReturnType<typeof snapshot>>> | undefined;
const expected = () => (seeded ??= seedSource().then(() => snapshot(source().get)));

describe.each(ENGINES)('sightline import into %s', (engine) => {
  it('copies score configs, prompts, traces (observations, scores, sessions) and datasets as the source answers them, and a second run changes nothing', async () => {
    const want = await expected();
    expect(want.counts).toEqual({ traces: TRACES, observations: TRACES * 6, scores: TRACES * 4 + 2, sessions: 7 });
    expect(want.prompts.find((p: any) => p.name === 'gappy').versions).toEqual([1, 3]);
    const target = await startTarget(engine);
    const first = await target.importCli(fromSource());
    expect(first.stderr).toMatch(/import: traces 12 \(\d+\/s\), rows 132 \(\d+\/s\)/);
    expect(first.stdout).toContain('imported 12 traces (134 rows: traces, observations and scores), 6 prompt versions, 5 dataset items and run items');
    expect(first.code, first.stderr).toBe(0);
    const got = await snapshot(target.get);
    expect(got).toEqual(want);
    // Usage and cost as the source had them: computed from the model's price, and provided.
    const gen = got.traces[0].observations.find((o: any) => o.id === 'trace-00-gen');
    expect(gen).toMatchObject({ promptName: 'greeting', promptVersion: 1, usageDetails: { input: 1000, output: 50, input_cached_tokens: 10 } });
    expect(gen.costDetails.total).toBeGreaterThan(0);
    expect(got.traces[0].scores.find((s: any) => s.name === 'verdict')).toMatchObject({ value: 0, stringValue: 'bad', dataType: 'CATEGORICAL' });

    const second = await target.importCli(fromSource());
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).not.toContain('resuming');
    expect(await snapshot(target.get)).toEqual(want);
  });

  it('resumes an interrupted import where it stopped and ends with the same data', async () => {
    const want = await expected();
    const target = await startTarget(engine);
    const interrupted = await target.importCli([...fromSource(), '--page-size', '5'], { SIGHTLINE_IMPORT_FAIL_AFTER_PAGES: '1' });
    expect(interrupted.code).not.toBe(0);
    expect(interrupted.stderr).toContain('interrupted after 1 pages');
    expect((await target.get('traces?limit=100')).meta.totalItems).toBe(5);
    const resumed = await target.importCli([...fromSource(), '--page-size', '5']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('import: resuming the import started');
    expect(resumed.stderr).toContain('done: score-configs, prompts; 5 traces');
    expect(await snapshot(target.get)).toEqual(want);
  });

  it('imports a JSONL file of traces in the export format (--file), resumably', async () => {
    const want = await expected();
    const target = await startTarget(engine);
    const file = join(target.dir, 'export.jsonl');
    const lines = await Promise.all(want.traces.map((t: any) => source().get(`traces/${t.id}`)));
    writeFileSync(file, lines.map((l) => JSON.stringify(l) + '\n').join(''));
    const interrupted = await target.importCli(['--file', file, '--page-size', '4'], { SIGHTLINE_IMPORT_FAIL_AFTER_PAGES: '2' });
    expect(interrupted.code).not.toBe(0);
    const done = await target.importCli(['--file', file, '--page-size', '4']);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toContain('resuming');
    expect(done.stdout).toContain('imported 12 traces');
    // A file holds traces only: generations name their prompt version, which is not linked here (no prompts).
    const unlinked = (traces: any[]) => traces.map((t) => ({ ...t, observations: t.observations.map((o: any) => ({ ...o, promptId: null })) }));
    const got = await traceSnapshot(target.get);
    expect(got).toEqual({ traces: unlinked(want.traces), sessions: want.sessions, counts: { ...want.counts, scores: want.counts.scores - 2 } });
  });
});

describe('sightline import: source errors', () => {
  it('stops with a clear message and a non-zero exit on wrong keys, a bad URL or an unreachable server', async () => {
    await expected();
    const target = await startTarget('sqlite');
    const wrongKey = await target.importCli(['--from', source().url, '--public-key', 'pk-lf-sdk-compat', '--secret-key', 'sk-wrong']);
    expect(wrongKey.code).not.toBe(0);
    expect(wrongKey.stderr).toMatch(/the source answered 401 .*check --public-key and --secret-key/);
    const badUrl = await target.importCli(['--from', 'not a url', '--public-key', 'pk', '--secret-key', 'sk']);
    expect(badUrl.code).not.toBe(0);
    expect(badUrl.stderr).toContain('--from: "not a url" is not a URL');
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await target.importCli(['--from', nobody, '--public-key', 'pk', '--secret-key', 'sk']);
    expect(unreachable.code).not.toBe(0);
    expect(unreachable.stderr).toContain(`cannot reach the source at ${nobody}`);
    expect((await target.get('traces')).meta.totalItems).toBe(0);
  });
});
