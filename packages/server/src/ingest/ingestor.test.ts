import { AppError } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import type { IngestItem, Storage } from '@sightline/storage';
import { createLogger } from '../logger.js';
import { createIngestor } from './ingestor.js';

/** A fake storage whose commits are counted and can be made to fail. */
function fakeStorage(opts: { singleWriter: boolean; failWhen?: (items: IngestItem[]) => boolean; error?: () => Error }) {
  const commits: IngestItem[][] = [];
  let calls = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const storage = {
    capabilities: { singleWriter: opts.singleWriter, sharedByInstances: !opts.singleWriter },
    async ingest(items: IngestItem[]) {
      calls++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      if (opts.failWhen?.(items)) throw opts.error?.() ?? new Error('constraint violated');
      commits.push(items);
    },
  } as unknown as Storage;
  return { storage, commits, maxInFlight: () => maxInFlight, calls: () => calls };
}

const item = (projectId: string, n = 1): IngestItem => ({ projectId, events: Array.from({ length: n }, () => ({}) as never), raw: [] });
const logger = createLogger({ silent: true });

describe('ingestor (group commit)', () => {
  it('commits concurrent requests together and resolves each only after its commit', async () => {
    const f = fakeStorage({ singleWriter: true });
    const ingestor = createIngestor(f.storage, logger);
    await Promise.all(Array.from({ length: 10 }, (_, i) => ingestor.submit(item(`p${i}`))));
    expect(f.commits.flat()).toHaveLength(10);
    expect(f.commits.length).toBeLessThan(10);
    expect(f.maxInFlight()).toBe(1);
  });

  it('runs several commits at once on an engine with many writers', async () => {
    const f = fakeStorage({ singleWriter: false });
    const ingestor = createIngestor(f.storage, logger, { maxEventsPerCommit: 1 });
    await Promise.all(Array.from({ length: 12 }, (_, i) => ingestor.submit(item(`p${i}`))));
    expect(f.commits.flat()).toHaveLength(12);
    expect(f.maxInFlight()).toBeGreaterThan(1);
    expect(f.maxInFlight()).toBeLessThanOrEqual(4);
  });

  it('isolates a failing request: the others in its group commit still succeed', async () => {
    const f = fakeStorage({ singleWriter: true, failWhen: (items) => items.some((i) => i.projectId === 'bad') });
    const ingestor = createIngestor(f.storage, logger);
    const results = await Promise.allSettled(['a', 'bad', 'b'].map((p) => ingestor.submit(item(p))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ status: 503 });
    expect(f.commits.flat().map((i) => i.projectId).sort()).toEqual(['a', 'b']);
  });

  it('refuses new work with 503 and Retry-After when too many events wait, without losing queued ones', async () => {
    const f = fakeStorage({ singleWriter: true });
    const ingestor = createIngestor(f.storage, logger, { maxQueuedEvents: 10 });
    const first = ingestor.submit(item('p', 8));
    await expect(ingestor.submit(item('p', 5))).rejects.toMatchObject({ status: 503, details: { retryAfter: 1 } });
    await first;
    await ingestor.drain();
    expect(f.commits.flat()).toHaveLength(1);
  });

  it('answers a whole group with the storage 503 at once (no one-by-one retries) and refuses new work for Retry-After', async () => {
    let down = true;
    const unavailable = () => new AppError(503, 'storage_unavailable', 'The database is unavailable', { retryAfter: 1 });
    const f = fakeStorage({ singleWriter: true, failWhen: () => down, error: unavailable });
    let clock = Date.parse('2024-05-01T10:00:00Z');
    const ingestor = createIngestor(f.storage, logger, { now: () => clock });
    const results = await Promise.allSettled(['a', 'b', 'c'].map((p) => ingestor.submit(item(p))));
    expect(results.every((r) => r.status === 'rejected' && (r.reason as AppError).status === 503)).toBe(true);
    expect(f.calls()).toBe(1);
    // Within the Retry-After window a new request is refused without touching the storage.
    await expect(ingestor.submit(item('d'))).rejects.toMatchObject({ status: 503, details: { retryAfter: 1 } });
    expect(f.calls()).toBe(1);
    down = false;
    clock += 999;
    await expect(ingestor.submit(item('d2'))).rejects.toMatchObject({ status: 503 });
    expect(f.calls()).toBe(1);
    clock += 1;
    await ingestor.submit(item('e'));
    expect(f.commits.flat().map((i) => i.projectId)).toEqual(['e']);
  });

  it('bounds the queue by raw bytes as well as by events', async () => {
    const f = fakeStorage({ singleWriter: true });
    const ingestor = createIngestor(f.storage, logger, { maxQueuedBytes: 1000 });
    const big = (p: string): IngestItem => ({ projectId: p, events: [{} as never], raw: ['x'.repeat(700)] });
    const first = ingestor.submit(big('a'));
    await expect(ingestor.submit(big('b'))).rejects.toMatchObject({ status: 503, details: { retryAfter: 1 } });
    await first;
    await ingestor.submit(big('c'));
    expect(f.commits.flat().map((i) => i.projectId)).toEqual(['a', 'c']);
  });
});
