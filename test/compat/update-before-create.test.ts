// Issue 12, point 1: an update that sorts before its create must not move the stored times. The
// langfuse v3 SDK sends exactly this when an app creates a generation with a past startTime and
// ends it right away: the update's envelope time T comes 1 ms before the create's, and both times
// the app gave lie ten minutes before T. The stored generation must keep the app's times (start
// t0, end t0 + 2 s, latency 2 s) however the two events arrive.
import { describe, expect, it } from 'vitest';
import { API, ENGINES, at, enc, ev, getOk, ingestOk, uid, useTestApp, type IngestionEvent, type TestApp } from './helpers.js';

const T = '2024-05-01T12:00:00.000Z';
const t0 = at(T, -10 * 60_000);
const end = at(t0, 2000);

/** The trace, the generation's create (envelope T + 1 ms) and its update (envelope T). */
function scenario() {
  const traceId = uid('trace-past-start');
  const id = uid('gen-past-start');
  const trace = ev('trace-create', { id: traceId, name: 'chat', timestamp: t0 }, at(T, -1));
  const create = ev('generation-create', { id, traceId, name: 'llm', startTime: t0, model: 'gpt-4o', input: 'hi' }, at(T, 1));
  const update = ev('generation-update', { id, traceId, endTime: end, output: 'hello' }, T);
  return { traceId, id, trace, create, update };
}

const arrivals: [string, (s: ReturnType<typeof scenario>) => IngestionEvent[][]][] = [
  ['one batch, update first', (s) => [[s.trace, s.update, s.create]]],
  ['one batch, create first', (s) => [[s.trace, s.create, s.update]]],
  ['two requests, update first', (s) => [[s.trace, s.update], [s.create]]],
  ['two requests, create first', (s) => [[s.trace, s.create], [s.update]]],
];

describe.each(ENGINES)('an update stamped before its create (%s)', (engine) => {
  const app = useTestApp(engine);

  async function expectAppTimes(t: TestApp, s: ReturnType<typeof scenario>) {
    const observation = await getOk(t, `${API}/observations/${enc(s.id)}`);
    expect(observation).toMatchObject({
      type: 'GENERATION', name: 'llm', output: 'hello', startTime: t0, endTime: end, latency: 2, completionStartTime: null,
    });
    const trace = await getOk(t, `${API}/traces/${enc(s.traceId)}`);
    expect(trace.latency).toBe(2);
    expect((trace.observations as { id: string }[]).map((o) => o.id)).toEqual([s.id]);
  }

  it.each(arrivals)('keeps the start, end and latency the app gave: %s', async (_name, requests) => {
    const t = app();
    const s = scenario();
    for (const batch of requests(s)) await ingestOk(t, batch);
    await expectAppTimes(t, s);
  });

  it('keeps them when a later update repeats the end time and the create comes last', async () => {
    const t = app();
    const s = scenario();
    const again = ev('generation-update', { id: s.id, endTime: end }, at(T, 2));
    await ingestOk(t, [s.trace, again]);
    await ingestOk(t, [s.update]);
    await ingestOk(t, [s.create]);
    await expectAppTimes(t, s);
  });
});
