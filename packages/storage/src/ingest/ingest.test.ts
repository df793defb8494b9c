import type { TraceRecord } from '@sightline/core';
import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { rawEvent, type RawEvent } from '../testing/index.js';
import { h, iso } from '../testing/store-queries.js';

// Ingestion folds one entity's events into its trace, observation or score row; these are the
// merge rules read back through the stores. The property tests (arrival-order.test.ts,
// sessions.test.ts) check the same for generated event sets.

/** The merged state without the fields that depend on when it was written. */
const stable = ({ projectId: _p, createdAt: _c, updatedAt: _u, ...rest }: { projectId: string; createdAt: number; updatedAt: number }) => rest;

describeEachEngine('ingestion', (ctx) => {
  /** Each event in its own commit, in the given order. */
  const ingestOneByOne = async (projectId: string, events: RawEvent[]) => {
    for (const e of events) await ctx.ingest(projectId, e);
  };

  describe('merge rules do not depend on arrival order', () => {
    const traceEvents = [
      rawEvent('trace-create', { id: 'mt', timestamp: iso(h(0)), name: 'first', userId: 'u1', environment: 'prod', metadata: { a: { x: 1 }, keep: 'k' }, tags: ['t1'], input: { q: 1 }, output: 'o1' }, h(1)),
      rawEvent('trace-create', { id: 'mt', timestamp: iso(h(9)), name: 'second', userId: 'u2', environment: 'dev', metadata: { a: { y: 2 } }, tags: ['t2'], input: null, output: '' }, h(2)),
      rawEvent('trace-create', { id: 'mt', name: null, tags: ['t1', 't3'], metadata: { keep: 'k2' }, input: { q: 3 } }, h(3)),
    ];
    const observationEvents = [
      rawEvent('generation-create', { id: 'mo', traceId: 'mt', name: 'gen', startTime: iso(h(1)), model: 'm1', usageDetails: { input: 3 }, metadata: { s: 1 } }, h(1)),
      rawEvent('generation-update', { id: 'mo', endTime: iso(h(2)), output: 'answer', costDetails: { total: 0.5 }, metadata: { e: 2 } }, h(2)),
      rawEvent('generation-update', { id: 'mo', startTime: iso(h(5)), level: 'WARNING', model: 'm2' }, h(3)),
    ];
    const scoreEvents = [
      rawEvent('score-create', { id: 'ms', traceId: 'mt', name: 'q', value: 1, comment: 'hello', environment: 'prod' }, h(1)),
      rawEvent('score-create', { id: 'ms', traceId: 'other', name: 'q2', value: 2, comment: null, environment: 'dev' }, h(2)),
    ];
    const all = [...traceEvents, ...observationEvents, ...scoreEvents];
    /** A fixed shuffle: reversed within each entity, interleaved. */
    const shuffled = [traceEvents[2], scoreEvents[1], observationEvents[2], traceEvents[0], observationEvents[0], scoreEvents[0], traceEvents[1], observationEvents[1]];

    async function finalState(order: 'in-order' | 'out-of-order' | 'one-batch') {
      const p = ctx.newProject();
      if (order === 'in-order') await ingestOneByOne(p, all);
      if (order === 'out-of-order') await ingestOneByOne(p, shuffled);
      if (order === 'one-batch') await ctx.ingest(p, ...shuffled);
      const [trace, observation, score] = await Promise.all([ctx.storage.traces.get(p, 'mt'), ctx.storage.observations.get(p, 'mo'), ctx.storage.scores.get(p, 'ms')]);
      return { trace: stable(trace!), observation: stable(observation!), score: stable(score!) };
    }

    it('folds to the documented final state, whatever the arrival order', async () => {
      const inOrder = await finalState('in-order');
      expect(inOrder.trace).toMatchObject({
        name: null, // explicit null clears
        userId: 'u2', // last by timestamp
        timestamp: h(0), // first wins
        environment: 'prod', // first wins
        metadata: { a: { x: 1, y: 2 }, keep: 'k2' }, // deep merge
        tags: ['t1', 't2', 't3'], // union
        input: '{"q":3}', // last truthy
        output: '"o1"', // "" does not clear
      } satisfies Partial<TraceRecord>);
      expect(inOrder.observation).toMatchObject({
        startTime: h(1), endTime: h(2), output: '"answer"', level: 'WARNING', model: 'm2', traceId: 'mt',
        usageDetails: { input: 3 }, totalCost: 0.5, metadata: { s: 1, e: 2 },
      });
      expect(inOrder.score).toMatchObject({ comment: null, name: 'q2', value: 2, traceId: 'mt', environment: 'prod', timestamp: h(1) });

      // In order every commit folds incrementally; out of order forces replays of the log.
      expect(await finalState('out-of-order')).toEqual(inOrder);
      expect(await finalState('one-batch')).toEqual(inOrder);
    });

    it('orders events with one timestamp by event id, whichever arrives first', async () => {
      const p = ctx.newProject();
      const a = rawEvent('trace-create', { id: 'eq', release: 'r-a' }, h(1), 'eq-a');
      const b = rawEvent('trace-create', { id: 'eq', release: 'r-b' }, h(1), 'eq-b');
      await ingestOneByOne(p, [b, a]);
      expect((await ctx.storage.traces.get(p, 'eq'))?.release).toBe('r-b');
    });

    it('merges an event older than everything stored into the stored state', async () => {
      const p = ctx.newProject();
      await ingestOneByOne(p, [traceEvents[1], traceEvents[2]]);
      await ctx.ingest(p, traceEvents[0]);
      const trace = await ctx.storage.traces.get(p, 'mt');
      expect(trace).toMatchObject({ timestamp: h(0), environment: 'prod', name: null, userId: 'u2', metadata: { a: { x: 1, y: 2 }, keep: 'k2' } });
    });

    it('keeps a score comment until an explicit null clears it', async () => {
      const p = ctx.newProject();
      await ctx.ingest(p, scoreEvents[0]);
      expect((await ctx.storage.scores.get(p, 'ms'))?.comment).toBe('hello');
      await ctx.ingest(p, rawEvent('score-create', { id: 'ms', traceId: 'mt', name: 'q', value: 1 }, h(1) + 1));
      expect((await ctx.storage.scores.get(p, 'ms'))?.comment).toBe('hello');
      await ctx.ingest(p, scoreEvents[1]);
      expect((await ctx.storage.scores.get(p, 'ms'))?.comment).toBeNull();
    });
  });
});
