import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../domain/records.js';
import { validateEvent } from '../ingestion/event-schemas.js';
import { toEntityEvent, type EntityEvent } from '../ingestion/entity-event.js';
import { priceObservation } from '../pricing/price-observation.js';
import type { ObservationRecord } from '../domain/records.js';
import { foldEvents, needsReplay, type AnyRecord } from './fold.js';

const ctx = { projectId: 'p', now: 1000 };
function ev(id: string, type: string, timestamp: string, body: Record<string, unknown>): EntityEvent {
  const v = validateEvent({ id, type, timestamp, body });
  if (!v.ok) throw new Error(v.error);
  return toEntityEvent(v.event)!;
}

const traceEvents = [
  ev('1', 'trace-create', '2024-01-01T00:00:01Z', { id: 't', name: 'a', userId: 'u1', release: 'r1', metadata: { step: 1, status: 'started' }, tags: ['tag-1', 'tag-2', 'tag-2'], input: 'in' }),
  ev('2', 'trace-create', '2024-01-01T00:00:02Z', { id: 't', userId: 'u2', environment: 'prod', metadata: { step: 2, error: '' }, tags: ['tag-1', 'tag-4', 'tag-3'], input: '' }),
  ev('3', 'trace-create', '2024-01-01T00:00:03Z', { id: 't', name: null, output: { ok: true } }),
];

describe('foldEvents', () => {
  it('applies the merge rules in envelope-timestamp order', () => {
    const t = foldEvents(undefined, traceEvents, ctx) as TraceRecord;
    expect(t).toMatchObject({
      id: 't',
      timestamp: Date.parse('2024-01-01T00:00:01Z'),
      name: null,
      userId: 'u2',
      release: 'r1',
      environment: 'default',
      metadata: { step: 2, status: 'started', error: '' },
      tags: ['tag-1', 'tag-2', 'tag-3', 'tag-4'],
      input: '"in"',
      output: '{"ok":true}',
    });
  });

  it('gives the same state for every arrival order', () => {
    const orders = [[0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1]];
    const states = orders.map((o) => foldEvents(undefined, o.map((i) => traceEvents[i]), ctx));
    for (const s of states) expect(s).toEqual(states[0]);
  });

  it('merges a late event in one step to the state of the in-order fold', () => {
    let state: AnyRecord | undefined;
    for (const e of [traceEvents[2], traceEvents[0], traceEvents[1]]) {
      expect(needsReplay(state, [e])).toBe(false);
      state = foldEvents(state, [e], ctx);
    }
    expect(state).toEqual(foldEvents(undefined, traceEvents, ctx));
    // Only a row stored before merge states existed has to be rebuilt from its log.
    expect(needsReplay({ ...state!, merge: null }, [traceEvents[0]])).toBe(true);
  });

  it('orders events with one timestamp by event id, not by arrival', () => {
    const a = ev('a', 'trace-create', '2024-01-01T00:00:00Z', { id: 't', release: 'from-a' });
    const b = ev('b', 'trace-create', '2024-01-01T00:00:00Z', { id: 't', release: 'from-b' });
    expect(foldEvents(undefined, [a, b], ctx)).toMatchObject({ release: 'from-b' });
    expect(foldEvents(foldEvents(undefined, [b], ctx), [a], ctx)).toMatchObject({ release: 'from-b' });
  });

  it("dates a trace by the earliest timestamp its events give, whatever their ids (v3 SDK's trace.update in the same millisecond)", () => {
    const at = '2024-01-01T00:00:05.000Z';
    for (const [first, second] of [['a', 'b'], ['b', 'a']]) {
      const created = ev(first, 'trace-create', at, { id: 't', name: 'chat', timestamp: '2024-01-01T00:00:01.503Z' });
      const updated = ev(second, 'trace-create', at, { id: 't', timestamp: '2024-01-01T00:00:01.513Z', userId: 'u' });
      for (const events of [[created, updated], [updated, created]]) {
        expect(foldEvents(undefined, events, ctx)).toMatchObject({ timestamp: Date.parse('2024-01-01T00:00:01.503Z'), name: 'chat', userId: 'u' });
      }
    }
    const implicit = foldEvents(undefined, [ev('x', 'trace-create', at, { id: 't' }), ev('y', 'trace-create', '2024-01-01T00:00:09Z', { id: 't', timestamp: '2024-01-01T00:00:07Z' })], ctx);
    expect((implicit as TraceRecord).timestamp).toBe(Date.parse('2024-01-01T00:00:07Z'));
  });

  it('applies an update after a create with the same timestamp', () => {
    const o = foldEvents(undefined, [
      ev('b', 'span-update', '2024-01-01T00:00:00Z', { id: 's', output: 'updated' }),
      ev('a', 'span-create', '2024-01-01T00:00:00Z', { id: 's', traceId: 't', input: 'x', output: 'created' }),
    ], ctx);
    expect(o).toMatchObject({ type: 'SPAN', traceId: 't', input: '"x"', output: '"updated"' });
  });

  it('keeps level when an update sends null and clamps endTime to startTime', () => {
    const o = foldEvents(undefined, [
      ev('a', 'generation-create', '2024-01-01T00:00:00Z', { id: 'g', level: 'ERROR', startTime: '2024-01-01T00:00:10Z' }),
      ev('b', 'generation-update', '2024-01-01T00:00:01Z', { id: 'g', level: null, endTime: '2024-01-01T00:00:05Z' }),
    ], ctx);
    expect(o).toMatchObject({ level: 'ERROR', startTime: Date.parse('2024-01-01T00:00:10Z'), endTime: Date.parse('2024-01-01T00:00:10Z') });
  });

  it('lets provided costs win and derives their total', () => {
    const folded = foldEvents(undefined, [ev('a', 'generation-create', '2024-01-01T00:00:00Z', { id: 'g', model: 'gpt-4o', usage: { input: 10 }, costDetails: { input: 1, output: 2 } })], ctx);
    const o = priceObservation(folded as ObservationRecord, []);
    expect(o).toMatchObject({ costDetails: { input: 1, output: 2, total: 3 }, totalCost: 3, modelId: expect.any(String) as string });
  });

  it('clears a score comment with an explicit null', () => {
    const s = foldEvents(undefined, [
      ev('a', 'score-create', '2024-01-01T00:00:00Z', { id: 's', traceId: 't', name: 'q', value: 1, comment: 'good' }),
      ev('b', 'score-create', '2024-01-01T00:00:01Z', { id: 's', traceId: 't', name: 'q', value: 0, comment: null }),
    ], ctx);
    expect(s).toMatchObject({ comment: null, value: 0 });
  });
});

describe('observation start time', () => {
  it('takes the first explicit startTime over the envelope time of an earlier-stamped update (v3 SDK queues)', () => {
    const events = [
      ev('u', 'generation-update', '2024-01-01T00:00:00.995Z', { id: 'g', output: 'done', endTime: '2024-01-01T00:00:02Z' }),
      ev('c', 'generation-create', '2024-01-01T00:00:01.000Z', { id: 'g', traceId: 't', startTime: '2024-01-01T00:00:00.500Z', input: 'q' }),
    ];
    const expected = { startTime: Date.parse('2024-01-01T00:00:00.500Z'), startTimeExplicit: true, endTime: Date.parse('2024-01-01T00:00:02Z'), output: '"done"' };
    expect(foldEvents(undefined, events, ctx)).toMatchObject(expected);
    expect(foldEvents(foldEvents(undefined, [events[0]], ctx), [events[1]], ctx)).toMatchObject(expected);
  });

  it('keeps the first explicit startTime when a later event sends another', () => {
    const o = foldEvents(undefined, [
      ev('a', 'span-create', '2024-01-01T00:00:01Z', { id: 's', startTime: '2024-01-01T00:00:01Z' }),
      ev('b', 'span-create', '2024-01-01T00:00:02Z', { id: 's', startTime: '2024-01-01T00:00:05Z' }),
    ], ctx);
    expect(o).toMatchObject({ startTime: Date.parse('2024-01-01T00:00:01Z') });
  });
});
