// §9 items 11–16 and the §3 merge rules: upserts, immutable fields, deep merge, tag union, and
// independence of the final state from arrival order.
import { describe, expect, it } from 'vitest';
import {
  API, ENGINES, at, createTestApp, enc, ev, getOk, ingestOk, normalise, uid, useTestApp, type Engine, type IngestionEvent,
} from './helpers.js';

describe.each(ENGINES)('merge rules (%s)', (engine) => {
  const app = useTestApp(engine);

  it('trace metadata is merged across upserts: {step:1,status} then {step:2,error:""} gives {step:2,status,error:""}', async () => {
    const t = app();
    const id = uid('trace-meta-merge');
    const T = '2024-02-01T00:00:00.000Z';
    await ingestOk(t, [ev('trace-create', { id, metadata: { step: 1, status: 'started' } }, at(T, 0))]);
    await ingestOk(t, [ev('trace-create', { id, metadata: { step: 2, error: '' } }, at(T, 1000))]);
    expect((await getOk(t, `${API}/traces/${enc(id)}`)).metadata).toEqual({ step: 2, status: 'started', error: '' });
  });

  it('a score upsert with comment:null clears the comment', async () => {
    const t = app();
    const traceId = uid('trace');
    const id = uid('score-comment');
    const T = '2024-02-01T00:00:00.000Z';
    await ingestOk(t, [
      ev('trace-create', { id: traceId }, at(T, 0)),
      ev('score-create', { id, traceId, name: 'helpful', value: 1, comment: 'first comment' }, at(T, 0)),
    ]);
    expect((await getOk(t, `${API}/scores/${enc(id)}`)).comment).toBe('first comment');
    await ingestOk(t, [ev('score-create', { id, traceId, name: 'helpful', value: 0, comment: null }, at(T, 1000))]);
    const score = await getOk(t, `${API}/scores/${enc(id)}`);
    expect(score).toMatchObject({ comment: null, value: 0, name: 'helpful' });
  });

  it('a later trace upsert changes userId, keeps release and version, and unions tags', async () => {
    const t = app();
    const id = uid('trace-upsert');
    const T = '2024-02-01T00:00:00.000Z';
    await ingestOk(t, [
      ev('trace-create', { id, userId: 'user-1', release: '1.0.0', version: '2', tags: ['tag-1', 'tag-2', 'tag-2'] }, at(T, 0)),
    ]);
    await ingestOk(t, [ev('trace-create', { id, userId: 'user-2', tags: ['tag-1', 'tag-4', 'tag-3'] }, at(T, 1000))]);
    const trace = await getOk(t, `${API}/traces/${enc(id)}`);
    expect(trace).toMatchObject({ userId: 'user-2', release: '1.0.0', version: '2' });
    expect(trace.tags).toHaveLength(4);
    expect([...trace.tags].sort()).toEqual(['tag-1', 'tag-2', 'tag-3', 'tag-4']);
  });

  it('the later envelope timestamp wins even when that event comes first in the batch', async () => {
    const t = app();
    const traceId = uid('trace-order');
    const spanId = uid('span-order');
    const T = '2024-02-01T00:00:00.000Z';
    await ingestOk(t, [
      ev('trace-create', { id: traceId, name: 'later-name', userId: 'later-user' }, at(T, 5000)),
      ev('span-create', { id: spanId, traceId, name: 'later-span', output: 'later-output' }, at(T, 5000)),
      ev('trace-create', { id: traceId, name: 'earlier-name', userId: 'earlier-user' }, at(T, 0)),
      ev('span-create', { id: spanId, traceId, name: 'earlier-span', output: 'earlier-output' }, at(T, 0)),
    ]);
    expect(await getOk(t, `${API}/traces/${enc(traceId)}`)).toMatchObject({ name: 'later-name', userId: 'later-user' });
    expect(await getOk(t, `${API}/observations/${enc(spanId)}`)).toMatchObject({ name: 'later-span', output: 'later-output' });
  });

  it('with the same timestamp an update is applied after the create (update output wins; create input and model kept)', async () => {
    const t = app();
    const traceId = uid('trace-tie');
    const genId = uid('gen-tie');
    const T = '2024-02-01T00:00:00.000Z';
    await ingestOk(t, [
      ev('generation-update', { id: genId, output: 'updated output' }, T),
      ev('generation-create', { id: genId, traceId, input: 'created input', output: 'created output', model: 'gpt-4' }, T),
      ev('trace-create', { id: traceId }, T),
    ]);
    expect(await getOk(t, `${API}/observations/${enc(genId)}`)).toMatchObject({
      output: 'updated output',
      input: 'created input',
      model: 'gpt-4',
      traceId,
      type: 'GENERATION',
    });
  });

  it('an update in a later request overwrites the stored output and sets a new name', async () => {
    const t = app();
    const traceId = uid('trace-later');
    const spanId = uid('span-later');
    await ingestOk(t, [
      ev('trace-create', { id: traceId }),
      ev('span-create', { id: spanId, traceId, name: 'original-name', input: 'kept input', output: 'original output' }),
    ]);
    expect(await getOk(t, `${API}/observations/${enc(spanId)}`)).toMatchObject({ name: 'original-name', output: 'original output' });
    await ingestOk(t, [ev('span-update', { id: spanId, name: 'new-name', output: { updated: true } }, new Date(Date.now() + 1000).toISOString())]);
    expect(await getOk(t, `${API}/observations/${enc(spanId)}`)).toMatchObject({
      name: 'new-name',
      output: { updated: true },
      input: 'kept input',
    });
  });

  it('events with the same timestamp apply in event id order, whatever the batch order (last mutable value wins; the earliest trace timestamp stands)', async () => {
    const t = app();
    const T = '2024-02-01T00:00:00.000Z';
    // Envelope ids chosen so that id order is the reverse of batch order in one case and equal to it in the other.
    for (const [firstId, secondId] of [['ev-z-first', 'ev-a-second'], ['ev-a-first', 'ev-z-second']]) {
      const id = uid('trace-tie-order');
      await ingestOk(t, [
        ev('trace-create', { id, timestamp: at(T, 0), name: 'first', output: 'first output' }, T, `${firstId}-${id}`),
        ev('trace-create', { id, timestamp: at(T, 10), name: 'second', output: 'second output' }, T, `${secondId}-${id}`),
      ]);
      const idOrder = firstId < secondId ? { timestamp: at(T, 0), name: 'second', output: 'second output' } : { timestamp: at(T, 0), name: 'first', output: 'first output' };
      expect(await getOk(t, `${API}/traces/${enc(id)}`), `${firstId} then ${secondId}`).toMatchObject(idOrder);
    }
  });

  it('explicit null clears a trace name but does not clear an observation level, input or output', async () => {
    const t = app();
    const traceId = uid('trace-null');
    const spanId = uid('span-null');
    const T = '2024-02-01T00:00:00.000Z';
    await ingestOk(t, [
      ev('trace-create', { id: traceId, name: 'named', input: 'in', output: 'out' }, at(T, 0)),
      ev('span-create', { id: spanId, traceId, level: 'ERROR', input: 'span-in', output: 'span-out' }, at(T, 0)),
      ev('trace-create', { id: traceId, name: null, input: null, output: '' }, at(T, 1000)),
      ev('span-update', { id: spanId, level: null, input: null, output: 0 }, at(T, 1000)),
    ]);
    expect(await getOk(t, `${API}/traces/${enc(traceId)}`)).toMatchObject({ name: null, input: 'in', output: 'out' });
    expect(await getOk(t, `${API}/observations/${enc(spanId)}`)).toMatchObject({ level: 'ERROR', input: 'span-in', output: 'span-out' });
  });
});

// ---------------------------------------------------------------------------------------------
// Out-of-order merges: the same events, delivered in different orders and request splits, must
// produce exactly the same readable state.

const T0 = '2024-05-01T10:00:00.000Z';
const TRACE = 'ooo-trace';
const SPAN = 'ooo-span';
const GEN = 'ooo-gen';
const SCORE = 'ooo-score';

/** The events, in envelope-timestamp order (each has a distinct timestamp). */
function mergeEvents(): IngestionEvent[] {
  return [
    ev('trace-create', {
      id: TRACE, timestamp: T0, name: 'first-name', environment: 'production', sessionId: 'ooo-session',
      metadata: { nested: { a: 1 }, keep: 'k' }, tags: ['t2', 't1'], input: { q: 'first' }, userId: 'u1', release: 'r1', version: 'v1',
    }, at(T0, 0), 'ooo-e01'),
    ev('span-create', {
      id: SPAN, traceId: TRACE, name: 'span-first', startTime: at(T0, 100), level: 'WARNING', metadata: { m: { p: 1 } },
      input: 'span-in', environment: 'production',
    }, at(T0, 500), 'ooo-e02'),
    ev('generation-create', {
      id: GEN, traceId: TRACE, parentObservationId: SPAN, name: 'gen', startTime: at(T0, 200), model: 'gpt-4o',
      input: [{ role: 'user', content: 'hi' }], usage: { input: 10, output: 5 }, environment: 'production',
    }, at(T0, 600), 'ooo-e03'),
    ev('score-create', {
      id: SCORE, traceId: TRACE, observationId: GEN, name: 'quality', value: 0.5, comment: 'initial', metadata: { k: 1 },
      environment: 'production',
    }, at(T0, 700), 'ooo-e04'),
    ev('trace-create', {
      id: TRACE, timestamp: at(T0, 3_600_000), environment: 'staging', metadata: { nested: { b: 2 } }, tags: ['t3', 't1'],
      input: null, output: 'out-1', name: 'second-name',
    }, at(T0, 1000), 'ooo-e05'),
    ev('span-update', {
      id: SPAN, traceId: 'some-other-trace', startTime: at(T0, 300_000), level: null, metadata: { m: { q: 2 } },
      output: { r: 1 }, endTime: at(T0, 2000), name: 'span-second', environment: 'staging',
    }, at(T0, 1500), 'ooo-e06'),
    ev('generation-update', { id: GEN, output: 'answer', endTime: at(T0, 1800), usageDetails: { input: 12, output: 6 } }, at(T0, 1600), 'ooo-e07'),
    ev('trace-create', {
      id: TRACE, name: null, metadata: { extra: true }, tags: ['t0'], input: { q: 'last' }, output: '', userId: 'u2',
    }, at(T0, 2000), 'ooo-e08'),
    ev('span-update', { id: SPAN, input: null, output: { r: 2 }, statusMessage: 'done' }, at(T0, 2500), 'ooo-e09'),
    ev('score-create', { id: SCORE, traceId: TRACE, name: 'quality', value: 0.9, comment: null, environment: 'staging' }, at(T0, 3000), 'ooo-e10'),
  ];
}

/** A fixed permutation (so failures are reproducible). */
const SHUFFLE = [6, 2, 9, 0, 4, 8, 1, 7, 3, 5];

const SCENARIOS: Record<string, () => IngestionEvent[][]> = {
  'reversed in one batch': () => [mergeEvents().reverse()],
  'shuffled across several requests': () => {
    const all = mergeEvents();
    const shuffled = SHUFFLE.map((i) => all[i]);
    return [shuffled.slice(0, 3), shuffled.slice(3, 4), shuffled.slice(4, 8), shuffled.slice(8)];
  },
  'newest first in a separate earlier request': () => {
    const all = mergeEvents();
    return [all.slice(6).reverse(), all.slice(0, 6)];
  },
  'one event per request, newest first': () => mergeEvents().reverse().map((e) => [e]),
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON snapshot, inspected by assertions
type Snapshot = Record<string, any>;

/** Ingests the requests into a fresh database and reads back every view of the entities. */
async function finalState(engine: Engine, requests: IngestionEvent[][]): Promise<Snapshot> {
  const t = await createTestApp(engine);
  try {
    for (const batch of requests) await ingestOk(t, batch);
    const state = {
      trace: await getOk(t, `${API}/traces/${TRACE}`),
      traceList: await getOk(t, `${API}/traces`),
      span: await getOk(t, `${API}/observations/${SPAN}`),
      gen: await getOk(t, `${API}/observations/${GEN}`),
      observationList: await getOk(t, `${API}/observations?traceId=${TRACE}`),
      observationsV2: await getOk(t, `${API}/v2/observations?traceId=${TRACE}`),
      score: await getOk(t, `${API}/scores/${SCORE}`),
      scoresV2: await getOk(t, `${API}/v2/scores`),
      session: await getOk(t, `${API}/sessions/ooo-session`),
    };
    return normalise(state, { [t.a.project.id]: '<project>' }) as Snapshot;
  } finally {
    await t.close();
  }
}

describe.each(ENGINES)('out-of-order merges (%s)', (engine) => {
  let baseline: Promise<Snapshot> | undefined;
  const inOrder = () => (baseline ??= finalState(engine, [mergeEvents()]));

  it('events in order in one batch give the merged state of the §3 rules', async () => {
    const s = await inOrder();
    expect(s.trace).toMatchObject({
      id: TRACE,
      timestamp: T0, // immutable: first value wins
      environment: 'production', // immutable
      name: null, // explicit null clears
      userId: 'u2',
      release: 'r1',
      version: 'v1',
      sessionId: 'ooo-session',
      public: false,
      input: { q: 'last' }, // last non-empty
      output: 'out-1', // '' does not clear
      metadata: { nested: { a: 1, b: 2 }, keep: 'k', extra: true }, // deep merge
    });
    expect([...s.trace.tags].sort()).toEqual(['t0', 't1', 't2', 't3']);
    expect(s.trace.tags).toHaveLength(4);
    expect(s.span).toMatchObject({
      id: SPAN,
      traceId: TRACE, // immutable
      startTime: at(T0, 100), // immutable
      environment: 'production', // immutable
      type: 'SPAN',
      name: 'span-second',
      level: 'WARNING', // null does not clear level
      metadata: { m: { p: 1, q: 2 } },
      input: 'span-in', // null does not clear
      output: { r: 2 },
      endTime: at(T0, 2000),
      statusMessage: 'done',
    });
    expect(s.gen).toMatchObject({
      id: GEN,
      traceId: TRACE,
      parentObservationId: SPAN,
      type: 'GENERATION',
      model: 'gpt-4o',
      input: [{ role: 'user', content: 'hi' }],
      output: 'answer',
      startTime: at(T0, 200),
      endTime: at(T0, 1800),
      usageDetails: { input: 12, output: 6, total: 18 }, // a non-empty usageDetails replaces the whole map
    });
    expect(s.score).toMatchObject({
      id: SCORE,
      traceId: TRACE,
      observationId: GEN,
      name: 'quality',
      value: 0.9,
      comment: null,
      environment: 'production', // immutable
      metadata: { k: 1 },
    });
    expect(s.trace.observations.map((o: { id: string }) => o.id).sort()).toEqual([GEN, SPAN].sort());
    expect(s.trace.scores.map((o: { id: string }) => o.id)).toEqual([SCORE]);
    expect(s.traceList.data.map((r: { id: string }) => r.id)).toEqual([TRACE]);
    expect(s.session).toMatchObject({ id: 'ooo-session', environment: 'production' });
  });

  for (const [name, requests] of Object.entries(SCENARIOS)) {
    it(`events ${name} end in the identical final state`, async () => {
      const expected = await inOrder();
      const actual = await finalState(engine, requests());
      expect(actual).toEqual(expected);
    });
  }
});
