// Deletion racing ingestion of the same traces, on both engines. Clients re-send trace,
// observation and score events for a handful of traces while other clients delete those traces,
// all at once; whatever the interleaving, no request fails (never a 500, never a deadlock), and
// the rollup-backed metrics equal a full recount of what is stored.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProjectWithKey } from '../../packages/server/src/admin/projects.js';
import { basicAuth, createTestApp, type TestApp } from '../../packages/server/src/testing/test-app.js';
import { metricsQuery, rollupMismatches } from '@sightline/storage/testing';
import type { MetricsQuery } from '@sightline/storage';

const T0 = Date.UTC(2024, 4, 1, 8);
const HOUR = 3_600_000;
const TRACES = 4;
const LANES = 6;
const iso = (ms: number) => new Date(ms).toISOString();

interface Ingest {
  kind: 'ingest';
  lane: number;
  trace: number;
  withTrace: boolean;
  observations: number[];
  score: boolean;
  /** Moves timestamps, names and usage, so a re-sent event changes the rollup rows it counts in. */
  variant: number;
}
interface Delete {
  kind: 'delete';
  lane: number;
  traces: number[];
  one: boolean;
}
type Op = Ingest | Delete;

const lane = fc.nat(LANES - 1);
const ingestOp: fc.Arbitrary<Op> = fc.record({
  kind: fc.constant('ingest' as const),
  lane,
  trace: fc.nat(TRACES - 1),
  withTrace: fc.boolean(),
  observations: fc.uniqueArray(fc.nat(2), { maxLength: 3 }),
  score: fc.boolean(),
  variant: fc.nat(2),
});
const deleteOp: fc.Arbitrary<Op> = fc.record({
  kind: fc.constant('delete' as const),
  lane,
  traces: fc.uniqueArray(fc.nat(TRACES - 1), { minLength: 1, maxLength: TRACES }),
  one: fc.boolean(),
});
const schedule = fc.array(fc.oneof({ arbitrary: ingestOp, weight: 3 }, { arbitrary: deleteOp, weight: 1 }), { minLength: 8, maxLength: 30 });

let eventSeq = 0;
function batchOf(op: Ingest, run: string): object[] {
  const traceId = `${run}-t${op.trace}`;
  const t = T0 + op.variant * HOUR + op.trace * 60_000;
  const ev = (type: string, body: Record<string, unknown>) => ({ id: `${run}-ev${++eventSeq}`, type, timestamp: iso(t), body });
  const batch: object[] = [];
  if (op.withTrace) batch.push(ev('trace-create', { id: traceId, name: `name-${op.variant}`, environment: op.variant === 2 ? 'staging' : 'production', timestamp: iso(t) }));
  for (const o of op.observations) {
    batch.push(ev(o === 0 ? 'generation-create' : 'span-create', {
      id: `${traceId}-o${o}`, traceId, name: `step-${op.variant}`, startTime: iso(t + o * 1000), endTime: iso(t + o * 1000 + 250 * (op.variant + 1)),
      ...(o === 0 ? { model: 'gpt-4o', usage: { input: 10 * (op.variant + 1), output: 3 } } : {}),
    }));
  }
  if (op.score) batch.push(ev('score-create', { id: `${traceId}-s`, traceId, name: 'quality', value: op.variant, timestamp: iso(t) }));
  return batch;
}

const QUERIES: Partial<MetricsQuery>[] = [
  { view: 'traces', dimensions: ['name', 'environment'], granularity: 'hour', metrics: [{ measure: 'count', aggregation: 'count' }] },
  {
    view: 'observations', dimensions: ['type', 'name'], granularity: 'hour',
    metrics: [{ measure: 'count', aggregation: 'count' }, { measure: 'totalTokens', aggregation: 'sum' }, { measure: 'latency', aggregation: 'p50' }],
  },
];
const RANGE = { fromTimestamp: T0 - HOUR, toTimestamp: T0 + 5 * HOUR };

describe.each(['sqlite', 'postgres'] as const)('concurrent deletion and ingestion of the same traces on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers every request without an error, and rollups equal a full recount afterwards', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(schedule, async (ops) => {
        const run = `r${++runs}`;
        const { project, publicKey, secretKey } = await createProjectWithKey(t.storage, run);
        const auth = basicAuth(publicKey, secretKey);
        const failures: string[] = [];
        const perform = async (op: Op) => {
          if (op.kind === 'ingest') {
            const batch = batchOf(op, run);
            if (batch.length === 0) return;
            const res = await t.json('POST', '/api/public/ingestion', { body: { batch }, auth });
            if (res.status !== 207 || res.body.errors.length > 0) failures.push(`ingest ${res.status} ${JSON.stringify(res.body)}`);
          } else {
            const ids = op.traces.map((i) => `${run}-t${i}`);
            const res = op.one
              ? await t.json('DELETE', `/api/public/traces/${ids[0]}`, { auth })
              : await t.json('DELETE', '/api/public/traces', { body: { traceIds: ids }, auth });
            if (res.status !== 200) failures.push(`delete ${res.status} ${JSON.stringify(res.body)}`);
          }
        };
        await Promise.all(Array.from({ length: LANES }, async (_, l) => {
          for (const op of ops.filter((o) => o.lane === l)) await perform(op);
        }));
        expect(failures).toEqual([]);

        for (const over of QUERIES) {
          const q = metricsQuery({ ...over, ...RANGE });
          const rollup = await t.storage.metrics.query(project.id, q, 'rollup');
          const scan = await t.storage.metrics.query(project.id, q, 'scan');
          expect(rollupMismatches(rollup.data, scan.data), `${over.view} after ${JSON.stringify(ops)}`).toEqual([]);
        }
        // The public metrics API (answered from rollups) counts exactly the traces the list holds.
        const query = { view: 'traces', metrics: [{ measure: 'count', aggregation: 'count' }], fromTimestamp: iso(RANGE.fromTimestamp), toTimestamp: iso(RANGE.toTimestamp) };
        const metrics = await t.json('GET', `/api/public/metrics?query=${encodeURIComponent(JSON.stringify(query))}`, { auth });
        const list = await t.json('GET', '/api/public/traces?limit=100', { auth });
        expect(metrics.status).toBe(200);
        expect(Number(metrics.body.data[0]?.count_count ?? 0)).toBe(list.body.meta.totalItems);
      }),
      { numRuns: 25 },
    );
  });
});
