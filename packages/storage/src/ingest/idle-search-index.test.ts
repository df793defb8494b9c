import { describe, expect, it } from 'vitest';
import { idleSearchIndex } from './idle-search-index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A backlog of `rows` that each step takes `per` of, with a switch for whether ingestion is idle. */
function backlog(rows: number, per: number, { failFirst = false } = {}) {
  const state = { rows, steps: 0, idle: true, failures: 0 };
  const step = async () => {
    await sleep(1);
    if (failFirst && state.failures === 0) {
      state.failures++;
      throw new Error('database is locked');
    }
    state.steps++;
    state.rows = Math.max(0, state.rows - per);
    return state.rows;
  };
  return { state, step };
}

/** Waits until `done` holds, up to `ms`. */
async function until(done: () => boolean, ms = 2000) {
  for (const t0 = Date.now(); !done() && Date.now() - t0 < ms; ) await sleep(10);
}

describe('search index in idle time', () => {
  it('takes steps while idle until fewer rows than the threshold are left', async () => {
    const { state, step } = backlog(5500, 1000);
    const idx = idleSearchIndex({ step, idle: () => state.idle, threshold: 1000, delayMs: 5 });
    idx.poke();
    await until(() => state.rows < 1000);
    await sleep(30);
    // 5,500 → 500: five steps, then the 500 left wait for more.
    expect(state.steps).toBe(5);
    expect(state.rows).toBe(500);
    await idx.close();
  });

  it('takes no step while ingestion runs, and resumes when poked idle again', async () => {
    const { state, step } = backlog(3000, 1000);
    state.idle = false;
    const idx = idleSearchIndex({ step, idle: () => state.idle, threshold: 1000, delayMs: 5 });
    idx.poke();
    await sleep(40);
    expect(state.steps).toBe(0);
    state.idle = true;
    idx.poke();
    await until(() => state.steps > 0);
    // Ingestion starts again after the first step: the rest waits for the next idle moment.
    state.idle = false;
    await sleep(40);
    expect(state.steps).toBe(1);
    state.idle = true;
    idx.poke();
    await until(() => state.rows === 0);
    expect(state.steps).toBe(3);
    await idx.close();
  });

  it('tries a failed step again a second later, without throwing into the caller', async () => {
    const { state, step } = backlog(1500, 1000, { failFirst: true });
    const idx = idleSearchIndex({ step, idle: () => state.idle, threshold: 1000, delayMs: 5 });
    idx.poke();
    await until(() => state.failures === 1);
    await sleep(300);
    // Not at once (a busy file stays busy for a while), and no poke needed.
    expect(state.steps).toBe(0);
    await until(() => state.steps === 1, 3000);
    expect(state.steps).toBe(1);
    expect(state.rows).toBe(500);
    await idx.close();
  });

  it('waits for a running step on close and takes none after it', async () => {
    const { state, step } = backlog(10_000, 1000);
    const idx = idleSearchIndex({ step, idle: () => state.idle, threshold: 1000, delayMs: 1 });
    idx.poke();
    await until(() => state.steps >= 1);
    await idx.close();
    const steps = state.steps;
    idx.poke();
    await sleep(30);
    expect(state.steps).toBe(steps);
    expect(state.rows).toBeGreaterThan(0);
  });
});
