import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { rawEvent, type RawEvent } from '@sightline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../blobs/blob-store.js';
import { createFsBlobStore } from '../blobs/fs-blob-store.js';
import { createLogger } from '../logger.js';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';
import { runScheduledExport, type ScheduledExportDeps } from './scheduled-export.js';

const at = '2024-05-01T00:00:00Z';

describe.each<Engine>(['sqlite', 'postgres'])('scheduled exports on %s', (engine) => {
  let t: TestApp;
  let dir: string;
  let blobs: BlobStore;
  let deps: ScheduledExportDeps;
  // The clock runs ahead of the real one so that every event ingested so far is settled.
  const clock = () => Date.now() + 120_000;
  beforeAll(async () => {
    t = await createTestApp(engine);
    dir = mkdtempSync(join(tmpdir(), 'sightline-export-'));
    blobs = createFsBlobStore(dir);
    deps = { storage: t.storage, blobs, logger: createLogger({ silent: true }), now: clock, owner: 'test' };
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ingest = async (auth: string, ...batch: RawEvent[]) => expect((await t.json('POST', '/api/public/ingestion', { body: { batch }, auth })).body.errors).toEqual([]);
  const read = async (key: string) => text((await blobs.get(key))!.body);
  const ids = (jsonl: string) => jsonl.split('\n').filter(Boolean).map((l) => JSON.parse(l).id as string).sort();

  it('writes the traces changed since the last run, then nothing while nothing changes', async () => {
    await t.storage.exports.put(t.a.project.id, { frequency: 'hourly', formats: ['jsonl'], enabled: true }, 0, 0);
    await ingest(t.a.auth, rawEvent('trace-create', { id: 't1', timestamp: at, name: 'one' }, at), rawEvent('trace-create', { id: 't2', timestamp: at }, at));
    await ingest(t.b.auth, rawEvent('trace-create', { id: 'b1', timestamp: at }, at));

    const first = await runScheduledExport(deps, t.a.project.id);
    expect(first).toMatchObject({ traceCount: 2, windowStart: 0 });
    expect(first!.objectKeys).toEqual([expect.stringMatching(new RegExp(`^exports/${t.a.project.id}/traces_19700101T000000Z_\\d{8}T\\d{6}Z\\.jsonl$`))]);
    const written = await read(first!.objectKeys[0]);
    expect(ids(written)).toEqual(['t1', 't2']);
    for (const line of written.trim().split('\n')) {
      const doc = JSON.parse(line);
      expect(doc).toEqual((await t.json('GET', `/api/public/traces/${doc.id}`)).body);
    }
    const schedule = await t.storage.exports.get(t.a.project.id);
    expect(schedule).toMatchObject({ lastStatus: 'ok', lastTraceCount: 2, leaseOwner: null, watermarkAt: first!.windowEnd });
    expect(schedule!.nextRunAt).toBeGreaterThan(clock());

    // Not due again before its next slot; a forced run with nothing new writes no object.
    expect(await runScheduledExport(deps, t.a.project.id)).toBeNull();
    const second = await runScheduledExport(deps, t.a.project.id, { force: true });
    expect(second).toMatchObject({ objectKeys: [], traceCount: 0, windowStart: first!.windowEnd });
  });

  it('exports an old trace again when it gets a late observation or score, with CSV beside JSONL', async () => {
    await t.storage.exports.put(t.a.project.id, { frequency: 'daily', formats: ['jsonl', 'csv'], enabled: true }, 0, 0);
    await ingest(
      t.a.auth,
      rawEvent('span-create', { id: 'late-obs', traceId: 't1', startTime: at }, at),
      rawEvent('score-create', { id: 'late-score', traceId: 't1', name: 'q', value: 1 }, at),
      rawEvent('trace-create', { id: 't3', timestamp: at, name: '=1+1' }, at),
    );
    const run = await runScheduledExport(deps, t.a.project.id, { force: true });
    expect(run!.traceCount).toBe(2);
    const [jsonlKey, csvKey] = run!.objectKeys;
    expect(jsonlKey).toMatch(/\.jsonl$/);
    expect(csvKey).toMatch(/\.csv$/);
    const jsonl = await read(jsonlKey);
    expect(ids(jsonl)).toEqual(['t1', 't3']);
    const t1 = jsonl.split('\n').map((l) => (l ? JSON.parse(l) : null)).find((d) => d?.id === 't1');
    expect(t1.observations.map((o: { id: string }) => o.id)).toEqual(['late-obs']);
    expect(t1.scores.map((s: { id: string }) => s.id)).toEqual(['late-score']);
    const csv = await read(csvKey);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(3);
    expect(csv).toContain(",'=1+1,");
  });

  it('lets one of two concurrent runs of a schedule do the work', async () => {
    await ingest(t.a.auth, rawEvent('trace-create', { id: 't4', timestamp: at }, at));
    const runs = await Promise.all([
      runScheduledExport({ ...deps, owner: 'one' }, t.a.project.id, { force: true }),
      runScheduledExport({ ...deps, owner: 'two' }, t.a.project.id, { force: true }),
    ]);
    const done = runs.filter((r) => r !== null);
    expect(done).toHaveLength(1);
    expect(done[0].traceCount).toBe(1);
  });

  it('records a failed run and keeps the watermark, so the next run retries the window', async () => {
    const before = await t.storage.exports.get(t.a.project.id);
    await ingest(t.a.auth, rawEvent('trace-create', { id: 't5', timestamp: at }, at));
    const failing: BlobStore = { ...blobs, put: () => Promise.reject(new Error('bucket unavailable')) };
    await expect(runScheduledExport({ ...deps, blobs: failing }, t.a.project.id, { force: true })).rejects.toThrow('bucket unavailable');
    expect(await t.storage.exports.get(t.a.project.id)).toMatchObject({ lastStatus: 'error', lastError: 'bucket unavailable', watermarkSeq: before!.watermarkSeq, leaseOwner: null });
    const retry = await runScheduledExport(deps, t.a.project.id, { force: true });
    expect(ids(await read(retry!.objectKeys[0]))).toEqual(['t5']);
  });
});
