import { rng, shuffle } from '../../../../test/support/random.mjs';
import type { RawEvent } from './events.js';

/** The events cut into commits of 1–4 events, in a shuffled order (the same for the same seed). */
export function commits(events: RawEvent[], seed: number): RawEvent[][] {
  const r = rng(seed);
  const order = shuffle(events, r);
  const out: RawEvent[][] = [];
  for (let i = 0; i < order.length; ) {
    const n = 1 + Math.floor(r() * 4);
    out.push(order.slice(i, i + n));
    i += n;
  }
  return out;
}
