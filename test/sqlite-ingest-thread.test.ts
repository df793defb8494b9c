// The built server commits SQLite ingestion on a worker thread. The in-process suites run that
// worker from its TypeScript sources; this test exercises the compiled one the server ships.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
// Compiled output (npm test builds first).
import { openStorage as openBuilt } from '../packages/storage/dist/index.js';
import { toEntityEvent, validateEvent } from '../packages/core/dist/index.js';
import type { IngestItem, Storage } from '@sightline/storage';

const dir = mkdtempSync(join(tmpdir(), 'sightline-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function item(events: Record<string, unknown>[]): IngestItem {
  const out: IngestItem = { projectId: 'p', events: [], raw: [] };
  for (const raw of events) {
    const v = (validateEvent as (e: unknown) => { ok: boolean; event: unknown; error?: string })(raw);
    if (!v.ok) throw new Error(v.error);
    out.events.push((toEntityEvent as (e: unknown, a: string) => IngestItem['events'][number])(v.event, `${Date.now()}`));
    out.raw.push(JSON.stringify(raw));
  }
  return out;
}

it('commits on the ingestion thread: merges, prices and reads back; refuses work after close with a 503', async () => {
  const storage = (await (openBuilt as (o: { sqliteFile: string }) => Promise<Storage>)({ sqliteFile: join(dir, 'db.sqlite') }));
  const ts = (s: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, s)).toISOString();
  await Promise.all([
    storage.ingest([item([{ id: 'e2', type: 'trace-create', timestamp: ts(2), body: { id: 't', name: 'later', tags: ['b'] } }])]),
    storage.ingest([item([{ id: 'e1', type: 'trace-create', timestamp: ts(1), body: { id: 't', name: 'first', userId: 'u', tags: ['a'] } }])]),
    storage.ingest([item([{ id: 'e3', type: 'generation-create', timestamp: ts(1), body: { id: 'g', traceId: 't', model: 'gpt-3.5-turbo', usage: { input: 1000, output: 100 } } }])]),
  ]);
  const trace = await storage.traces.get('p', 't');
  expect(trace).toMatchObject({ name: 'later', userId: 'u', tags: ['a', 'b'], timestamp: Date.parse(ts(1)) });
  expect((await storage.observations.get('p', 'g'))?.costDetails).toEqual({ input: 0.0005, output: 0.00015, total: 0.00065 });
  await storage.close();
  await expect(storage.ingest([item([{ id: 'e4', type: 'trace-create', timestamp: ts(3), body: { id: 'x' } }])])).rejects.toMatchObject({ status: 503 });
});
