import { foldEvents, priceObservation, type AnyRecord, type EntityEvent } from '@sightline/core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../testing/each-engine.js';
import { ingestItem, type RawEvent } from '../testing/index.js';

// Property: whatever order the events of a project arrive in, and however they are split into
// requests and group commits, every stored trace, observation and score (read back through
// storage) is the in-order fold of its events: sorted by sort key, folded one at a time, then
// priced. Body times (startTime, endTime, completionStartTime, trace timestamp) are explicit,
// absent or null, and lie before, at and after the envelope times, which tie (also below the
// millisecond) and differ. Issue 12: an update stamped before its create once moved endTime.

const BASE = Date.UTC(2024, 4, 1, 12);
const iso = (ms: number) => new Date(ms).toISOString();
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

/** Envelope times: four milliseconds, some with microseconds, so keys tie and differ below 1 ms. */
const envelope = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom('', '', '250', '750'))
  .map(([ms, micro]) => iso(BASE + ms).replace('Z', `${micro}Z`));
/** Body times: ten minutes before the envelopes (the v3 SDK case), just before, equal to and after them. */
const bodyTime = fc.constantFrom(-600_000, -598_000, -1_000, 0, 2, 2_000).map((off) => iso(BASE + off));
const bodyTimeOrNull = fc.oneof(bodyTime, fc.constant(null));

const metadata = fc.oneof(
  fc.dictionary(fc.constantFrom('a', 'b'), fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constantFrom('x', null), fc.dictionary(fc.constantFrom('c', 'd'), fc.integer({ min: 0, max: 2 }), { maxKeys: 2 })), { maxKeys: 2 }),
  fc.constantFrom('plain', 7),
);
const io = fc.constantFrom('', 'q1', 'q2', 0, { k: 1 }, null);

const OBSERVATION_IDS = ['o1', 'o2', 'o3'];
/** Event types one observation id is sent with; the last mixes kinds, so the type rule is exercised. */
const FAMILIES = [
  ['span-create', 'span-update'], ['generation-create', 'generation-update'], ['event-create'],
  ['agent-create'], ['tool-create'], ['chain-create'], ['retriever-create'], ['embedding-create'], ['evaluator-create'], ['guardrail-create'],
  ['observation-create', 'observation-update'],
  ['generation-create', 'span-update', 'observation-update', 'tool-create'],
];
const BASE_FIELDS = ['traceId', 'parentObservationId', 'environment', 'name', 'startTime', 'metadata', 'input', 'output', 'level', 'statusMessage', 'version'];
const SPAN_FIELDS = [...BASE_FIELDS, 'endTime'];
const GENERATION_FIELDS = [...SPAN_FIELDS, 'completionStartTime', 'model', 'modelParameters', 'usage', 'usageDetails', 'costDetails'];

/** The body fields the schema of `type` accepts (the legacy observation-* events carry a type and no prompt). */
function fieldsOf(type: string): string[] {
  if (type === 'event-create') return BASE_FIELDS;
  if (type.startsWith('span-')) return SPAN_FIELDS;
  if (type.startsWith('observation-')) return [...GENERATION_FIELDS, 'type'];
  return [...GENERATION_FIELDS, 'promptName', 'promptVersion'];
}

const observationBody = fc.record(
  {
    traceId: maybe(fc.constantFrom('tr1', 'tr2')), parentObservationId: maybe(fc.constantFrom('o1', 'o2', null)),
    environment: maybe(fc.constantFrom('prod', 'dev')), name: maybe(fc.constantFrom('n1', 'n2', null)),
    startTime: maybe(bodyTimeOrNull), endTime: maybe(bodyTimeOrNull), completionStartTime: maybe(bodyTimeOrNull),
    metadata: maybe(metadata), input: maybe(io), output: maybe(io), level: maybe(fc.constantFrom('DEBUG', 'WARNING', 'ERROR', null)),
    statusMessage: maybe(fc.constantFrom('s1', 's2')), version: maybe(fc.constantFrom('v1', 'v2')),
    model: maybe(fc.constantFrom('gpt-4o', 'claude-3-5-sonnet-20241022', 'no-such-model', null)),
    modelParameters: maybe(fc.constantFrom({ temperature: 0.2 }, { max_tokens: 5 }, null)),
    usage: maybe(fc.record({ input: fc.integer({ min: 0, max: 50 }), output: fc.integer({ min: 0, max: 50 }) })),
    usageDetails: maybe(fc.oneof(fc.record({ input: fc.integer({ min: 0, max: 50 }) }), fc.constant({}))),
    costDetails: maybe(fc.constantFrom({ total: 0.25 }, { input: 0.1, output: 0.2 }, {})),
    prompt: maybe(fc.constantFrom(['p', 1], ['p', 2])), type: fc.constantFrom('SPAN', 'GENERATION', 'EVENT'),
  },
  { requiredKeys: ['type'] },
);

const traceBody = fc.record(
  {
    id: fc.constantFrom('tr1', 'tr2'), timestamp: maybe(bodyTimeOrNull), name: maybe(fc.constantFrom('t1', 't2', null)),
    userId: maybe(fc.constantFrom('u1', 'u2', null)), sessionId: maybe(fc.constantFrom('s1', 's2')), environment: maybe(fc.constantFrom('prod', 'dev')),
    metadata: maybe(metadata), tags: maybe(fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 2 })), public: maybe(fc.boolean()),
    input: maybe(io), output: maybe(io), release: maybe(fc.constantFrom('r1', null)), version: maybe(fc.constantFrom('v1', 'v2')),
  },
  { requiredKeys: ['id'] },
);

const scoreBody = fc.record(
  {
    id: fc.constantFrom('sc1', 'sc2'), traceId: fc.constantFrom('tr1', 'tr2'), observationId: maybe(fc.constantFrom('o1', null)),
    name: fc.constantFrom('q1', 'q2'), value: fc.integer({ min: 0, max: 3 }), comment: maybe(fc.constantFrom('c1', null)),
    environment: maybe(fc.constantFrom('prod', 'dev')), metadata: maybe(metadata),
  },
  { requiredKeys: ['id', 'traceId', 'name', 'value'] },
);

type Spec = { at: string } & ({ kind: 'trace'; body: Record<string, unknown> } | { kind: 'score'; body: Record<string, unknown> } | { kind: 'observation'; obs: number; pick: number; body: Record<string, unknown> });
const spec: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('trace' as const), at: envelope, body: traceBody }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('score' as const), at: envelope, body: scoreBody }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('observation' as const), at: envelope, obs: fc.nat(OBSERVATION_IDS.length - 1), pick: fc.nat(9), body: observationBody }) },
);

/** Turns the generated specs into raw events, each observation id sent with event types of its family. */
function toRawEvents(specs: Spec[], families: number[]): RawEvent[] {
  return specs.map((s, i): RawEvent => {
    const id = `e${i}`;
    if (s.kind !== 'observation') return { id, type: s.kind === 'trace' ? 'trace-create' : 'score-create', timestamp: s.at, body: s.body };
    const family = FAMILIES[families[s.obs]];
    const type = family[s.pick % family.length];
    const { prompt, ...rest } = s.body as { prompt?: [string, number] } & Record<string, unknown>;
    const all: Record<string, unknown> = { ...rest, ...(prompt ? { promptName: prompt[0], promptVersion: prompt[1] } : {}) };
    const body: Record<string, unknown> = { id: OBSERVATION_IDS[s.obs] };
    for (const f of fieldsOf(type)) if (f in all) body[f] = all[f];
    return { id, type, timestamp: s.at, body };
  });
}

/** The in-order fold: each entity's events sorted by sort key and folded one at a time, observations priced. */
function inOrderFold(events: EntityEvent[]): Map<string, AnyRecord> {
  const out = new Map<string, AnyRecord>();
  const sorted = [...events].sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  for (const e of sorted) {
    const key = `${e.kind}:${e.entityId}`;
    out.set(key, foldEvents(out.get(key), [e], { projectId: 'p', now: 0 })!);
  }
  for (const [key, r] of out) if (key.startsWith('observation:')) out.set(key, priceObservation(r as never, []));
  return out;
}

/** A record without what depends on when or where it was written, or on storage's bookkeeping. */
const comparable = (r: AnyRecord | null) => {
  if (!r) return r;
  const { projectId: _p, createdAt: _c, updatedAt: _u, merge: _m, ...rest } = r;
  return rest;
};

/** Commits: each event either joins the current request, starts a new request in the same commit, or starts a new commit. */
const CUT = { same: 0, request: 1, commit: 2 } as const;

const scenario = fc
  .record({ specs: fc.array(spec, { minLength: 1, maxLength: 14 }), families: fc.tuple(...OBSERVATION_IDS.map(() => fc.nat(FAMILIES.length - 1))) })
  .chain(({ specs, families }) =>
    fc.record({
      raws: fc.constant(toRawEvents(specs, families)),
      order: fc.shuffledSubarray(specs.map((_, i) => i), { minLength: specs.length }),
      cuts: fc.array(fc.constantFrom(CUT.same, CUT.request, CUT.commit), { minLength: specs.length, maxLength: specs.length }),
    }),
  );

/** Issue 12 as sent by the langfuse v3 SDK: the update (envelope T) comes before its create (T + 1 ms, startTime T − 10 min). */
const sdkV3PastStart: RawEvent[] = [
  { id: 'e0', type: 'trace-create', timestamp: iso(BASE), body: { id: 'tr1' } },
  { id: 'e1', type: 'generation-update', timestamp: iso(BASE), body: { id: 'o1', traceId: 'tr1', endTime: iso(BASE - 598_000) } },
  { id: 'e2', type: 'generation-create', timestamp: iso(BASE + 1), body: { id: 'o1', traceId: 'tr1', startTime: iso(BASE - 600_000), model: 'gpt-4o' } },
];

describeEachEngine('arrival order', (ctx) => {
  let runs = 0;

  async function ingestInCommits(projectId: string, raws: RawEvent[], order: number[], cuts: number[]): Promise<void> {
    let commit: RawEvent[][] = [[]];
    for (const [n, i] of order.entries()) {
      if (n > 0 && cuts[n] === CUT.commit) {
        await ctx.storage.ingest(commit.map((r) => ingestItem(projectId, r)));
        commit = [[]];
      } else if (n > 0 && cuts[n] === CUT.request) commit.push([]);
      commit[commit.length - 1].push(raws[i]);
    }
    await ctx.storage.ingest(commit.map((r) => ingestItem(projectId, r)));
  }

  async function read(projectId: string, key: string): Promise<AnyRecord | null> {
    const [kind, id] = key.split(':');
    if (kind === 'trace') return ctx.storage.traces.get(projectId, id);
    if (kind === 'observation') return ctx.storage.observations.get(projectId, id);
    return ctx.storage.scores.get(projectId, id);
  }

  it.each([
    ['in one commit, update first', [[0, 1, 2]]],
    ['in one commit, create first', [[0, 2, 1]]],
    ['create, then update', [[0, 2], [1]]],
    ['update, then create', [[0, 1], [2]]],
  ])('keeps the times the SDK sent when an update is stamped before its create: %s', async (_name, commits) => {
    const projectId = `arrival-${++runs}`;
    for (const c of commits) await ctx.storage.ingest([ingestItem(projectId, c.map((i) => sdkV3PastStart[i]))]);
    expect(await ctx.storage.observations.get(projectId, 'o1')).toMatchObject({ startTime: BASE - 600_000, endTime: BASE - 598_000 });
  });

  it('stores the in-order fold of every entity, whatever the arrival order and split into requests and commits', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ raws, order, cuts }) => {
        const projectId = `arrival-${++runs}`;
        const expected = inOrderFold(ingestItem(projectId, raws).events);
        await ingestInCommits(projectId, raws, order, cuts);
        for (const [key, record] of expected) {
          expect(comparable(await read(projectId, key)), key).toEqual(comparable(record));
        }
      }),
      {
        numRuns: 60,
        examples: [
          [{ raws: sdkV3PastStart, order: [0, 1, 2], cuts: [0, 0, 0] }],
          [{ raws: sdkV3PastStart, order: [2, 1, 0], cuts: [0, 2, 2] }],
        ],
      },
    );
  });
});
