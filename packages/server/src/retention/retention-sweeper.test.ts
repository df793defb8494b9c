import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage, type Storage } from '@sightline/storage';
import { createPgTestDatabase, ingestItem, metricsQuery, rawEvent, rollupMismatches } from '@sightline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFsBlobStore } from '../blobs/fs-blob-store.js';
import { createLogger } from '../logger.js';
import type { MediaDeps } from '../media/media-deps.js';
import { createUrlSigner } from '../media/url-signer.js';
import { createTestApp, type Engine, type TestApp } from '../testing/test-app.js';
import { createRetentionSweeper } from './retention-sweeper.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 1, 12);
const iso = (ms: number) => new Date(ms).toISOString();
const logger = createLogger({ silent: true });

describe.each<Engine>(['sqlite', 'postgres'])('retention sweeper on %s', (engine) => {
  let t: TestApp;
  let media: MediaDeps;
  let blobDir: string;
  beforeAll(async () => {
    blobDir = mkdtempSync(join(tmpdir(), 'sightline-retention-test-'));
    media = { blobs: createFsBlobStore(blobDir), signer: createUrlSigner(Buffer.from('a-test-key-that-is-long-enough-123456')), maxBytes: 10_000 };
    t = await createTestApp(engine, { media });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(blobDir, { recursive: true, force: true });
  });

  const ingest = async (auth: string, batch: object[]) => {
    const res = await t.json('POST', '/api/public/ingestion', { body: { batch }, auth });
    expect(res.body.errors).toEqual([]);
  };
  const trace = (id: string, at: number) => ({ id: `e-${id}-${at}`, type: 'trace-create', timestamp: iso(at), body: { id, name: 'chat', timestamp: iso(at) } });
  /** Uploads `text` as a file of the trace and returns its blob key. */
  async function upload(auth: string, projectId: string, traceId: string, text: string): Promise<string> {
    const bytes = new TextEncoder().encode(text);
    const sha256Hash = createHash('sha256').update(bytes).digest('base64');
    const res = await t.json('POST', '/api/public/media', { auth, body: { traceId, field: 'input', contentType: 'text/plain', contentLength: bytes.length, sha256Hash } });
    expect(res.status).toBe(200);
    if (res.body.uploadUrl) {
      const url = new URL(res.body.uploadUrl as string);
      const put = await t.app.request(`${url.pathname}${url.search}`, { method: 'PUT', body: bytes, headers: { 'content-type': 'text/plain' } });
      expect(put.status).toBe(200);
    }
    return (await t.storage.media.get(projectId, res.body.mediaId as string))!.blobKey;
  }
  const stored = async (key: string) => (await media.blobs.head(key)) !== null;

  it('deletes expired traces with their media blobs, keeps recent ones and other projects, and leaves shared media', async () => {
    const a = t.a.project.id;
    await t.storage.retention.set(a, 30);
    await ingest(t.a.auth, [trace('old', NOW - 31 * DAY), trace('recent', NOW - 29 * DAY)]);
    await ingest(t.b.auth, [trace('old', NOW - 31 * DAY)]);
    const oldOnly = await upload(t.a.auth, a, 'old', 'only the old trace has this');
    const shared = await upload(t.a.auth, a, 'old', 'both traces have this');
    await upload(t.a.auth, a, 'recent', 'both traces have this');
    const recentOnly = await upload(t.a.auth, a, 'recent', 'only the recent trace has this');
    const otherProject = await upload(t.b.auth, t.b.project.id, 'old', 'only the old trace has this');
    const comment = await t.json('POST', '/api/public/comments', { body: { projectId: a, objectType: 'TRACE', objectId: 'old', content: 'old news' } });

    const sweeper = createRetentionSweeper({ storage: t.storage, logger, media, intervalMs: 60_000, batchSize: 2, pauseMs: 0, now: () => NOW });
    expect(await sweeper.runOnce()).toEqual({ traces: 1, orphans: 0, skipped: 0 });

    expect((await t.json('GET', '/api/public/traces/old')).status).toBe(404);
    expect((await t.json('GET', '/api/public/traces/recent')).status).toBe(200);
    expect((await t.json('GET', '/api/public/traces/old', { auth: t.b.auth })).status).toBe(200);
    expect((await t.json('GET', `/api/public/comments/${comment.body.id}`)).status).toBe(404);
    expect([await stored(oldOnly), await stored(shared), await stored(recentOnly), await stored(otherProject)]).toEqual([false, true, true, true]);
    expect(await sweeper.runOnce()).toEqual({ traces: 0, orphans: 0, skipped: 0 });
    await sweeper.stop();
  });

  it('deletes a trace’s comments and media through the API too', async () => {
    await ingest(t.a.auth, [trace('api-deleted', NOW)]);
    const blob = await upload(t.a.auth, t.a.project.id, 'api-deleted', 'deleted through the API');
    const comment = await t.json('POST', '/api/public/comments', { body: { projectId: t.a.project.id, objectType: 'TRACE', objectId: 'api-deleted', content: 'bye' } });
    expect((await t.json('DELETE', '/api/public/traces/api-deleted')).status).toBe(200);
    expect((await t.json('GET', `/api/public/comments/${comment.body.id}`)).status).toBe(404);
    expect(await stored(blob)).toBe(false);
  });

  it('skips a project whose lease another sweeper holds', async () => {
    const p = t.b.project.id;
    await t.storage.retention.set(p, 1);
    expect(await t.storage.retention.lease(p, 'another server', Date.now(), Date.now() + 60_000)).toBe(true);
    const sweeper = createRetentionSweeper({ storage: t.storage, logger, media, intervalMs: 60_000, now: () => NOW });
    expect(await sweeper.runOnce()).toMatchObject({ traces: 0, skipped: 1 });
    expect((await t.json('GET', '/api/public/traces/old', { auth: t.b.auth })).status).toBe(200);
    await t.storage.retention.release(p, 'another server');
    await t.storage.retention.set(p, null);
  });
});

describe('two sweepers on one PostgreSQL database', () => {
  let url: string;
  let drop: () => Promise<void>;
  let one: Storage;
  let two: Storage;
  beforeAll(async () => {
    const db = await createPgTestDatabase();
    url = db.url;
    drop = db.drop;
    one = await openStorage({ databaseUrl: url });
    two = await openStorage({ databaseUrl: url });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await drop?.();
  });

  it('never delete a trace twice nor deadlock, with or without the lease, while ingestion runs; rollups stay exact', async () => {
    const p = 'shared';
    await one.projects.create({ id: p, name: p, createdAt: 1 });
    await one.retention.set(p, 10);
    const events = [];
    for (let i = 0; i < 120; i++) {
      const at = NOW - 20 * DAY + i * 2 * 3_600_000;
      events.push(rawEvent('trace-create', { id: `t${i}`, name: `n${i % 4}`, sessionId: `s${i % 7}`, userId: `u${i % 5}`, timestamp: iso(at) }, at));
      events.push(rawEvent('generation-create', { id: `t${i}-g`, traceId: `t${i}`, startTime: iso(at), endTime: iso(at + 900), usageDetails: { total: 7 }, costDetails: { total: 0.01 } }, at));
    }
    await one.ingest([ingestItem(p, events)]);
    const recent = (i: number, late: boolean) => {
      const at = NOW - DAY + i * 1000;
      return [rawEvent('trace-create', { id: `r${i}`, sessionId: `s${i % 7}`, userId: `u${i % 5}`, timestamp: iso(at) }, at),
        rawEvent('span-create', { id: `r${i}-s`, traceId: `r${i}`, startTime: iso(at), endTime: iso(at + 5) }, at),
        // Late children and updates of traces the sweepers below delete, racing their deletion.
        ...(late ? [
          rawEvent('span-create', { id: `late-${i}`, traceId: `t${60 + ((i * 7) % 60)}`, startTime: iso(NOW - 19 * DAY), endTime: iso(NOW - 19 * DAY + 50), usageDetails: { total: 3 } }, NOW - 19 * DAY),
          rawEvent('trace-create', { id: `t${60 + ((i * 11) % 60)}`, userId: 'late-user' }, NOW - 18 * DAY),
        ] : [])];
    };
    const ingest = (from: number, late: boolean) => Promise.all([one, two].map(async (s, k) => {
      for (let i = from; i < from + 8; i++) await s.ingest([ingestItem(p, recent(k * 100 + i, late))]);
    }));
    let ingestion = ingest(0, false);
    // Without the lease: batches of both servers race on the same traces.
    const cutoff = NOW - 15 * DAY;
    const raced = await Promise.all([one, two].map(async (s) => {
      const ids: string[] = [];
      for (let b = await s.retention.deleteExpired(p, cutoff, 7); b.traceIds.length > 0; b = await s.retention.deleteExpired(p, cutoff, 7)) ids.push(...b.traceIds);
      return ids;
    }));
    const all = raced.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(60);
    // With the lease: one sweeper works on the project, the other skips it.
    const sweepers = [one, two].map((storage) => createRetentionSweeper({ storage, logger, intervalMs: 60_000, batchSize: 5, pauseMs: 0, now: () => NOW }));
    await ingestion;
    ingestion = ingest(8, true);
    const results = await Promise.all(sweepers.map((s) => s.runOnce()));
    await ingestion;
    // Late events may re-create an expired trace after its deletion: a sweep after ingestion ends takes those too.
    const after = await createRetentionSweeper({ storage: one, logger, intervalMs: 60_000, pauseMs: 0, now: () => NOW }).runOnce();
    expect(results.reduce((n, r) => n + r.traces, 0) + after.traces).toBeGreaterThanOrEqual(60);
    const left = await one.traces.list(p, { page: 1, limit: 100, withObservations: false, withScores: false, withMetrics: false });
    expect(left.totalItems).toBe(32);
    expect((await one.observations.list(p, { page: 1, limit: 1 })).totalItems).toBe(32);
    for (const view of ['traces', 'observations'] as const) {
      const q = metricsQuery({ view, fromTimestamp: NOW - 30 * DAY, toTimestamp: NOW + DAY, granularity: 'day', dimensions: ['name'], metrics: [{ measure: 'count', aggregation: 'count' }] });
      expect(rollupMismatches((await one.metrics.query(p, q, 'rollup')).data, (await one.metrics.query(p, q, 'scan')).data)).toEqual([]);
    }
    for (const s of (await one.sessions.summaries(p, { page: 1, limit: 50 })).rows) {
      const base = await one.sessions.totals(p, s.id);
      expect([s.traceCount, s.totalTokens, s.firstTrace]).toEqual([base.traceCount, base.totalTokens, base.firstTrace]);
    }
    await Promise.all(sweepers.map((s) => s.stop()));
  });
});
