import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateEvent } from '../ingestion/event-schemas.js';
import { toEntityEvent, type EntityEvent } from '../ingestion/entity-event.js';
import { deepMerge } from './deep-merge.js';
import { decodeMergeState, encodeMergeState } from './merge-state.js';
import { foldEvents, type AnyRecord } from './fold.js';

// Property: however the events of one entity arrive (any order, any split into commits, each
// commit merged into the state the previous ones left, stored and read back), the state is the
// one folding them in sort-key order gives. Timestamps collide on purpose, so ties are covered;
// body times (startTime, endTime, completionStartTime) fall before, at and after envelope times.

const ctx = { projectId: 'p', now: 1 };
const key = fc.constantFrom('a', 'b', 'c', '__proto__');
const leaf = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(null), fc.constantFrom('x', 'y'), fc.constant([1]));
const meta = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, tie('obj')),
  obj: fc.dictionary(key, tie('node'), { maxKeys: 3 }),
})).obj;
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const time = fc.integer({ min: 0, max: 4 }).map((s) => `2024-01-01T00:00:0${s}.000Z`);

const traceBody = fc.record({
  name: maybe(fc.constantFrom('n1', 'n2', null)), userId: maybe(fc.constantFrom('u1', 'u2')), environment: maybe(fc.constantFrom('prod', 'dev')),
  timestamp: maybe(time), metadata: maybe(meta), tags: maybe(fc.array(fc.constantFrom('t1', 't2'))), public: maybe(fc.boolean()),
  input: maybe(fc.constantFrom('', 'i1', 'i2')),
}, { requiredKeys: [] });
const observationBody = fc.record({
  name: maybe(fc.constantFrom('n1', 'n2')), traceId: maybe(fc.constantFrom('t1', 't2')), startTime: maybe(time), endTime: maybe(fc.oneof(time, fc.constant(null))),
  completionStartTime: maybe(time),
  metadata: maybe(meta), level: maybe(fc.constantFrom('ERROR', 'WARNING')), model: maybe(fc.constantFrom('m1', null)),
  usageDetails: maybe(fc.record({ input: fc.integer({ min: 0, max: 9 }) })),
}, { requiredKeys: [] });
const scoreBody = fc.record({
  value: fc.integer({ min: 0, max: 5 }), comment: maybe(fc.constantFrom('c1', null)), environment: maybe(fc.constantFrom('prod', 'dev')),
  metadata: maybe(meta),
}, { requiredKeys: ['value'] });

type Spec = { type: string; at: string; body: Record<string, unknown> };
const trace = fc.record({ type: fc.constant('trace-create'), at: time, body: traceBody });
const observation = fc.record({
  type: fc.constantFrom('span-create', 'span-update', 'generation-create', 'generation-update', 'event-create', 'agent-create', 'tool-create', 'observation-create', 'observation-update'),
  at: time,
  body: fc.tuple(observationBody, fc.constantFrom('SPAN', 'GENERATION', 'EVENT')).map(([b, type]) => ({ ...b, type })), // type: observation-* only
});
const score = fc.record({ type: fc.constant('score-create'), at: time, body: scoreBody.map((b) => ({ ...b, name: 'q', traceId: 't1' })) });

function toEvents(specs: Spec[]): EntityEvent[] {
  return specs.map((s, i) => {
    const v = validateEvent({ id: `e${i}`, type: s.type, timestamp: s.at, body: { ...s.body, id: 'x' } });
    if (!v.ok) throw new Error(v.error);
    return toEntityEvent(v.event)!;
  });
}

/** Stores and reloads a state as storage does: JSON for the record, the merge state encoded. */
const roundTrip = (r: AnyRecord): AnyRecord => ({ ...(JSON.parse(JSON.stringify({ ...r, merge: null })) as AnyRecord), merge: decodeMergeState(encodeMergeState(r.merge)) });

function arrivals(specs: fc.Arbitrary<Spec[]>) {
  return specs.chain((s) => fc.tuple(fc.constant(s), fc.shuffledSubarray(s.map((_, i) => i), { minLength: s.length }), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: s.length, maxLength: s.length })));
}

describe.each([
  ['trace', fc.array(trace, { minLength: 1, maxLength: 8 })],
  ['observation', fc.array(observation, { minLength: 1, maxLength: 8 })],
  ['score', fc.array(score, { minLength: 1, maxLength: 8 })],
] as const)('%s merge', (_kind, specs) => {
  it('ends in the in-order state for every arrival order and split into commits', () => {
    fc.assert(
      fc.property(arrivals(specs as fc.Arbitrary<Spec[]>), ([list, order, sizes]) => {
        const events = toEvents(list);
        const sorted = [...events].sort((a, b) => (a.sortKey < b.sortKey ? -1 : 1));
        let expected: AnyRecord | undefined;
        for (const e of sorted) expected = foldEvents(expected, [e], ctx);
        let state: AnyRecord | undefined;
        for (let i = 0, c = 0; i < order.length; i += sizes[c++]) {
          state = foldEvents(state && roundTrip(state), order.slice(i, i + sizes[c]).map((j) => events[j]), ctx);
        }
        expect(roundTrip(state!)).toEqual(roundTrip(expected!));
        // In order, the keyed metadata merge is the plain deep merge.
        const merged = sorted.reduce((m, e) => (e.change.metadata && Object.keys(e.change.metadata).length > 0 ? deepMerge(m, e.change.metadata) : m), {});
        expect(expected!.metadata).toEqual(merged);
      }),
      { numRuns: 300 },
    );
  });
});
