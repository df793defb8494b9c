// A deterministic workload of create/update events that touch the same traces, observations and
// scores many times, each entity's events with distinct envelope timestamps, so the final state
// is defined by the timestamps alone (docs/compatibility.md §3) and arrival order must not matter.
import { rng, shuffle } from '../../support/random.mjs';

export interface Envelope {
  id: string;
  type: string;
  timestamp: string;
  body: Record<string, unknown>;
}


const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);

/**
 * For each of `traces` traces: four trace events (names, users, metadata, tags, input/output,
 * `public` changing), a span with two updates, a generation with two updates (model, usage,
 * output, level, end time), an event sent twice, and two scores written three times each.
 */
export function mergeWorkload(prefix: string, traces: number, seed: number): Envelope[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const out: Envelope[] = [];
  let n = 0;
  for (let t = 0; t < traces; t++) {
    const traceId = `${prefix}-t${t}`;
    // Each entity's events get distinct, shuffled offsets inside the trace's own second.
    const offsets = shuffle(Array.from({ length: 40 }, (_, i) => i * 17 + 3), r);
    let o = 0;
    const ev = (type: string, body: Record<string, unknown>): void => {
      out.push({ id: `${prefix}-e${n++}`, type, timestamp: new Date(T0 + t * 1000 + offsets[o++]).toISOString(), body });
    };
    for (let k = 0; k < 4; k++) {
      ev('trace-create', {
        id: traceId,
        name: `trace-${t}-v${k}`,
        userId: pick(['alice', 'bob', 'carol', null]),
        sessionId: `s-${t % 3}`,
        metadata: { [`k${k}`]: k, shared: `v${k}`, nested: { [`n${k}`]: pick(['x', 'y']) } },
        tags: [pick(['a', 'b', 'c']), `v${k}`],
        input: k % 2 === 0 ? { question: `q${k}` } : undefined,
        output: k > 0 ? `answer ${k}` : null,
        release: pick(['r1', 'r2', 'r3']),
        public: r() < 0.5,
      });
    }
    const spanId = `${traceId}-span`;
    ev('span-create', { id: spanId, traceId, name: 'retrieve', startTime: new Date(T0 + t * 1000).toISOString(), input: { q: t } });
    for (let k = 0; k < 2; k++) {
      ev('span-update', { id: spanId, traceId, name: `retrieve-${k}`, output: { docs: k + 1 }, metadata: { step: k }, endTime: new Date(T0 + t * 1000 + 500 + k).toISOString() });
    }
    const genId = `${traceId}-gen`;
    ev('generation-create', { id: genId, traceId, parentObservationId: spanId, name: 'llm', model: 'gpt-4o-mini', input: [{ role: 'user', content: `hi ${t}` }] });
    for (let k = 0; k < 2; k++) {
      ev('generation-update', {
        id: genId,
        traceId,
        output: { role: 'assistant', content: `reply ${k}` },
        usageDetails: { input: 100 + k * 10 + t, output: 20 + k },
        level: pick(['DEFAULT', 'WARNING', 'ERROR']),
        statusMessage: `status ${k}`,
        endTime: new Date(T0 + t * 1000 + 700 + k).toISOString(),
        model: pick(['gpt-4o-mini', 'gpt-4o']),
      });
    }
    for (let k = 0; k < 2; k++) ev('event-create', { id: `${traceId}-event`, traceId, name: `guard-${k}`, metadata: { pass: k } });
    for (let s = 0; s < 2; s++) {
      for (let k = 0; k < 3; k++) {
        ev('score-create', { id: `${traceId}-score${s}`, traceId, name: `quality-${s}`, value: Math.round(r() * 100) / 100, comment: k === 2 ? null : `c${k}` });
      }
    }
  }
  return out;
}

/** Splits `events` into batches of 1..`max` events. */
export function batches<T>(events: T[], max: number, random: () => number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < events.length; ) {
    const size = 1 + Math.floor(random() * max);
    out.push(events.slice(i, i + size));
    i += size;
  }
  return out;
}

/** Drops the fields that differ between two databases or depend on the wall clock, recursively. */
export function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'projectId' || k === 'createdAt' || k === 'updatedAt' || k === 'htmlPath') continue;
    out[k] = comparable(v);
  }
  for (const list of ['observations', 'scores']) {
    if (Array.isArray(out[list])) (out[list] as { id: string }[]).sort((a, b) => (a.id < b.id ? -1 : 1));
  }
  return out;
}
