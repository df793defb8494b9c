import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStub, type Stub } from '../../../test/sdk/support/stub-server.js';
import { getActiveObservation, observe, Sightline } from './index.js';

let stub: Stub;
let sightline: Sightline;
beforeEach(async () => {
  stub = await startStub();
  sightline = new Sightline({ publicKey: 'pk-lf-test', secretKey: 'sk-lf-test', baseUrl: stub.url, onError: () => {} });
});
afterEach(async () => {
  await sightline.shutdown();
  await stub.close();
});

/** The stub's events after a flush, with helpers to find creates and updates by name or id. */
async function recorded() {
  await sightline.flush();
  const events = stub.events();
  const created = (name: string) => events.filter((e) => e.type.endsWith('-create') && e.body.name === name);
  const updates = (id: string) => events.filter((e) => e.type.endsWith('-update') && e.body.id === id);
  return { events, created, updates };
}

describe('observe()', () => {
  it('nests calls through AsyncLocalStorage, across awaits and concurrent calls', async () => {
    const leaf = observe(async (x: number) => {
      await new Promise((r) => setTimeout(r, 5));
      return x * 2;
    }, { name: 'leaf', sightline });
    const root = observe(async (a: number, b: number) => {
      const [x, y] = await Promise.all([leaf(a), leaf(b)]);
      return x + y;
    }, { name: 'root', sightline, trace: { userId: 'u1', tags: ['observed'] } });

    expect(await root(1, 2)).toBe(6);
    const { created, updates } = await recorded();
    const [trace] = created('root').filter((e) => e.type === 'trace-create');
    const [rootSpan] = created('root').filter((e) => e.type === 'span-create');
    expect(trace.body).toMatchObject({ input: [1, 2], userId: 'u1', tags: ['observed'] });
    expect(rootSpan.body).toMatchObject({ traceId: trace.body.id, parentObservationId: null, input: [1, 2] });
    const leaves = created('leaf');
    expect(leaves).toHaveLength(2);
    for (const l of leaves) expect(l.body).toMatchObject({ traceId: trace.body.id, parentObservationId: rootSpan.body.id });
    expect(leaves.map((l) => l.body.input).sort()).toEqual([1, 2]);
    expect(updates(rootSpan.body.id)[0].body).toMatchObject({ output: 6 });
    expect(updates(rootSpan.body.id)[0].body.endTime).toEqual(expect.any(String));
    expect(updates(trace.body.id).at(-1)).toBeUndefined(); // the trace's output is a trace-create, not an update
  });

  it('records sync results, keeps `this`, and makes the observation active inside', async () => {
    const obj = {
      factor: 3,
      times: observe(function (this: { factor: number }, n: number) {
        getActiveObservation()?.event({ name: 'inside' });
        return n * this.factor;
      }, { name: 'times', sightline }),
    };
    expect(obj.times(2)).toBe(6);
    const { created, updates } = await recorded();
    const span = created('times').find((e) => e.type === 'span-create');
    expect(updates(span.body.id)[0].body.output).toBe(6);
    expect(created('inside')[0].body.parentObservationId).toBe(span.body.id);
  });

  it('records errors as level ERROR with the message and rethrows them unchanged', async () => {
    const boom = new Error('boom');
    const failSync = observe(() => {
      throw boom;
    }, { name: 'failSync', sightline });
    const failAsync = observe(async () => {
      await Promise.resolve();
      throw new RangeError('async boom');
    }, { name: 'failAsync', sightline });
    expect(() => failSync()).toThrow(boom);
    await expect(failAsync()).rejects.toThrow(RangeError);
    const { created, updates } = await recorded();
    for (const [name, message] of [['failSync', 'boom'], ['failAsync', 'async boom']]) {
      const span = created(name).find((e) => e.type === 'span-create');
      expect(updates(span.body.id)[0].body).toMatchObject({ level: 'ERROR', statusMessage: message });
    }
  });

  it('observes async generators: items as output, nesting inside the body, timing at the end', async () => {
    const child = observe(async (s: string) => s.toUpperCase(), { name: 'child', sightline });
    const stream = observe(async function* (words: string[]) {
      for (const w of words) yield await child(w);
    }, { name: 'stream', sightline });
    const out: string[] = [];
    for await (const chunk of stream(['a', 'b'])) out.push(chunk);
    expect(out).toEqual(['A', 'B']);
    const { created, updates } = await recorded();
    const span = created('stream').find((e) => e.type === 'span-create');
    expect(updates(span.body.id)[0].body.output).toBe('AB');
    for (const c of created('child')) expect(c.body.parentObservationId).toBe(span.body.id);
  });

  it('can record a generation, and skip input/output capture', async () => {
    const llm = observe(async (prompt: string) => `echo ${prompt}`, { name: 'llm', asType: 'generation', captureInput: false, captureOutput: false, sightline });
    await llm('secret');
    const { created, events } = await recorded();
    const gen = created('llm').find((e) => e.type === 'generation-create');
    expect(gen.body.input).toBeUndefined();
    expect(JSON.stringify(events)).not.toContain('secret');
  });
});
