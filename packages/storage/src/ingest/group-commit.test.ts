import { describe, expect, it } from 'vitest';
import type { IngestItem } from '../types.js';
import { groupCommit } from './group-commit.js';

/** An item of `n` events (their content does not matter to the grouping), tagged by `projectId`. */
const item = (projectId: string, n = 1, chars = 10): IngestItem => ({
  projectId,
  events: Array.from({ length: n }, () => ({}) as IngestItem['events'][number]),
  raw: Array.from({ length: n }, () => 'x'.repeat(chars)),
});

/** A commit function whose calls stay open until released, recording what each call committed. */
function gatedCommit(fail: (projects: string[]) => boolean = () => false) {
  const calls: { projects: string[]; now: number; release(): void }[] = [];
  const commit = (items: IngestItem[], now: number) =>
    new Promise<void>((resolve, reject) => {
      const projects = items.map((i) => i.projectId);
      calls.push({ projects, now, release: () => (fail(projects) ? reject(new Error(`failed ${projects.join(',')}`)) : resolve()) });
    });
  return { calls, commit };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('group commit', () => {
  it('commits requests that arrive during a commit together, and answers each only once committed', async () => {
    const { calls, commit } = gatedCommit();
    const g = groupCommit(commit, { inFlight: 1, maxEvents: 1000, maxChars: 1e6, maxWaitMs: 1e9 });
    const done: string[] = [];
    const a = g.submit([item('a')], 1).then(() => done.push('a'));
    const b = g.submit([item('b')], 2).then(() => done.push('b'));
    const c = g.submit([item('c')], 3).then(() => done.push('c'));
    await tick();
    expect(calls.map((c) => c.projects)).toEqual([['a']]);
    calls[0].release();
    await a;
    await tick();
    // b and c waited while a committed: one transaction for both, stamped with the later arrival's clock.
    expect(calls.map((c) => c.projects)).toEqual([['a'], ['b', 'c']]);
    expect(calls[1].now).toBe(3);
    expect(done).toEqual(['a']);
    calls[1].release();
    await Promise.all([b, c]);
    expect(done).toEqual(['a', 'b', 'c']);
  });

  it('starts a second commit only while a whole group waits, and never more than inFlight', async () => {
    const { calls, commit } = gatedCommit();
    const g = groupCommit(commit, { inFlight: 2, maxEvents: 2, maxChars: 1e6, maxWaitMs: 1e9 });
    const all = [g.submit([item('a')], 0), g.submit([item('b')], 0)];
    await tick();
    // b alone is not a whole group: it waits for a's commit, to leave with whatever comes meanwhile.
    expect(calls.map((c) => c.projects)).toEqual([['a']]);
    all.push(g.submit([item('c')], 0));
    await tick();
    expect(calls.map((c) => c.projects)).toEqual([['a'], ['b', 'c']]);
    all.push(g.submit([item('d')], 0), g.submit([item('e')], 0), g.submit([item('f')], 0));
    await tick();
    // Two commits run: d and e wait although they fill a group.
    expect(calls).toHaveLength(2);
    calls[1].release();
    await tick();
    expect(calls.map((c) => c.projects)).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
    calls[0].release();
    await tick();
    // f alone waits for the one commit still running.
    expect(calls).toHaveLength(3);
    calls[2].release();
    await tick();
    expect(calls.map((c) => c.projects)).toEqual([['a'], ['b', 'c'], ['d', 'e'], ['f']]);
    calls[3].release();
    await Promise.all(all);
  });

  it('gives a request a slot of its own once it has waited maxWaitMs behind a long commit', async () => {
    const { calls, commit } = gatedCommit();
    const g = groupCommit(commit, { inFlight: 2, maxEvents: 1000, maxChars: 1e6, maxWaitMs: 30 });
    const slow = g.submit([item('big-and-slow')], 0);
    const small = g.submit([item('small')], 0);
    await tick();
    expect(calls.map((c) => c.projects)).toEqual([['big-and-slow']]);
    await new Promise((r) => setTimeout(r, 60));
    // The first commit still runs; the small request did not wait for it.
    expect(calls.map((c) => c.projects)).toEqual([['big-and-slow'], ['small']]);
    calls[1].release();
    await small;
    calls[0].release();
    await slow;
  });

  it('stops a group at maxEvents and maxChars, but still commits a request larger than either alone', async () => {
    const { calls, commit } = gatedCommit();
    const g = groupCommit(commit, { inFlight: 1, maxEvents: 10, maxChars: 100, maxWaitMs: 1e9 });
    const all = [
      g.submit([item('first')], 0),
      g.submit([item('e4', 4)], 0),
      g.submit([item('e5', 5)], 0),
      g.submit([item('e3', 3)], 0), // 4 + 5 + 3 > 10: waits for the next group
      g.submit([item('big', 50)], 0), // over maxEvents on its own
      g.submit([item('long', 1, 80)], 0), // 50 + 80 characters > 100 with big
    ];
    for (let i = 0; i < 5; i++) {
      await tick();
      calls.at(-1)!.release();
    }
    await Promise.all(all);
    expect(calls.map((c) => c.projects)).toEqual([['first'], ['e4', 'e5'], ['e3'], ['big'], ['long']]);
  });

  it('commits a failed group again one request at a time, so only the bad request fails', async () => {
    const { calls, commit } = gatedCommit((projects) => projects.includes('bad'));
    const g = groupCommit(commit, { inFlight: 1, maxEvents: 1000, maxChars: 1e6, maxWaitMs: 1e9 });
    const first = g.submit([item('first')], 0);
    const results = ['ok1', 'bad', 'ok2'].map((p) => g.submit([item(p)], 0).then(() => 'ok', (e: Error) => e.message));
    await tick();
    calls[0].release();
    await first;
    // The group, then its members alone, each released as it comes.
    for (let i = 0; i < 4; i++) {
      await tick();
      calls.at(-1)!.release();
    }
    expect(await Promise.all(results)).toEqual(['ok', 'failed bad', 'ok']);
    expect(calls.map((c) => c.projects)).toEqual([['first'], ['ok1', 'bad', 'ok2'], ['ok1'], ['bad'], ['ok2']]);
  });

  it('reports idle only once the last commit ends with no request waiting, and says so each time', async () => {
    const { calls, commit } = gatedCommit();
    let idled = 0;
    const g = groupCommit(commit, { inFlight: 1, maxEvents: 1000, maxChars: 1e6, maxWaitMs: 1e9, onIdle: () => idled++ });
    expect(g.idle()).toBe(true);
    const a = g.submit([item('a')], 0);
    const b = g.submit([item('b')], 0);
    expect(g.idle()).toBe(false);
    await tick();
    calls[0].release();
    await a;
    await tick();
    // b waited behind a: its commit runs, so the queue is not idle yet.
    expect(idled).toBe(0);
    expect(g.idle()).toBe(false);
    calls[1].release();
    await b;
    await tick();
    expect(idled).toBe(1);
    expect(g.idle()).toBe(true);
    const c = g.submit([item('c')], 0);
    await tick();
    calls[2].release();
    await c;
    await tick();
    expect(idled).toBe(2);
  });
});
