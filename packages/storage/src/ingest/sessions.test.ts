import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Storage } from '../storage.js';
import { describeEachEngine } from '../testing/each-engine.js';
import { ingestItem, rawEvent, type RawEvent } from '../testing/index.js';

// Sessions are derived from traces, whatever the arrival order: a session exists while some trace
// names it, and its environment is its earliest trace's by (timestamp, id). Traces move between
// sessions, change environment and move in time; the sessions stored after any arrival order and
// split into commits equal what the stored traces say (issue 11 point 8, issue 12 point 1).

const BASE = Date.UTC(2024, 4, 1, 12);
const iso = (ms: number) => new Date(ms).toISOString();

const traceEvent = fc.record({
  trace: fc.constantFrom('t1', 't2', 't3'),
  at: fc.integer({ min: 0, max: 3 }),
  sessionId: fc.option(fc.constantFrom('s1', 's2', null), { nil: undefined }),
  environment: fc.option(fc.constantFrom('prod', 'dev'), { nil: undefined }),
  timestamp: fc.option(fc.integer({ min: -2, max: 2 }), { nil: undefined }),
});
type TraceEvent = typeof traceEvent extends fc.Arbitrary<infer T> ? T : never;

function toRaw(e: TraceEvent, i: number): RawEvent {
  const body: Record<string, unknown> = { id: e.trace };
  if (e.sessionId !== undefined) body.sessionId = e.sessionId;
  if (e.environment !== undefined) body.environment = e.environment;
  if (e.timestamp !== undefined) body.timestamp = iso(BASE + e.timestamp * 1000);
  return rawEvent('trace-create', body, BASE + e.at, `e${i}`);
}

/** Sessions as stored, and as the stored traces define them. */
async function sessionsOf(storage: Storage, projectId: string) {
  const stored = await storage.sessions.list(projectId, { page: 1, limit: 100 });
  const traces = (await storage.traces.list(projectId, { page: 1, limit: 100, withObservations: false, withScores: false, withMetrics: false })).rows;
  const expected = new Map<string, string>();
  const first = new Map<string, { ts: number; id: string }>();
  for (const t of traces) {
    if (!t.sessionId) continue;
    const f = first.get(t.sessionId);
    if (!f || t.timestamp < f.ts || (t.timestamp === f.ts && t.id < f.id)) {
      first.set(t.sessionId, { ts: t.timestamp, id: t.id });
      expected.set(t.sessionId, t.environment);
    }
  }
  const actual = new Map(stored.rows.map((s) => [s.id, s.environment]));
  return { actual: Object.fromEntries([...actual].sort()), expected: Object.fromEntries([...expected].sort()) };
}

describeEachEngine('sessions follow their traces in any arrival order', (ctx) => {
  let run = 0;

  it('a session a trace left disappears, and its environment comes from its earliest trace, in order or not', async () => {
    const p = `p-fixed-${ctx.engine}`;
    // t1 first in s1 (prod), then moved to s2 by a later event; the later event arrives first.
    const events = [
      rawEvent('trace-create', { id: 't1', sessionId: 's1', environment: 'prod', timestamp: iso(BASE + 5_000) }, BASE, 'a'),
      rawEvent('trace-create', { id: 't1', sessionId: 's2' }, BASE + 10, 'b'),
      rawEvent('trace-create', { id: 't2', sessionId: 's2', environment: 'dev', timestamp: iso(BASE + 1_000) }, BASE + 20, 'c'),
    ];
    for (const order of [[0, 1, 2], [1, 0, 2], [2, 1, 0], [1, 2, 0]]) {
      const project = `${p}-${order.join('')}`;
      for (const i of order) await ctx.storage.ingest([ingestItem(project, [events[i]])]);
      const { actual, expected } = await sessionsOf(ctx.storage, project);
      expect(expected).toEqual({ s2: 'dev' });
      expect(actual).toEqual(expected);
    }
  });

  it('equals what the traces say for every arrival order and split into commits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(traceEvent, { minLength: 1, maxLength: 8 }).chain((evs) =>
          fc.tuple(fc.constant(evs), fc.shuffledSubarray([...evs.keys()], { minLength: evs.length, maxLength: evs.length }), fc.array(fc.boolean(), { minLength: evs.length, maxLength: evs.length })),
        ),
        async ([evs, order, cuts]) => {
          const raws = evs.map(toRaw);
          const inOrder = `p${++run}-ordered-${ctx.engine}`;
          const shuffled = `p${run}-shuffled-${ctx.engine}`;
          await ctx.storage.ingest([ingestItem(inOrder, raws)]);
          let commit: RawEvent[] = [];
          for (const [k, i] of order.entries()) {
            commit.push(raws[i]);
            if (cuts[k] || k === order.length - 1) {
              await ctx.storage.ingest([ingestItem(shuffled, commit)]);
              commit = [];
            }
          }
          const a = await sessionsOf(ctx.storage, inOrder);
          const b = await sessionsOf(ctx.storage, shuffled);
          expect(a.actual).toEqual(a.expected);
          expect(b.actual).toEqual(b.expected);
          expect(b.actual).toEqual(a.actual);
        },
      ),
      { numRuns: 40 },
    );
  });
});
