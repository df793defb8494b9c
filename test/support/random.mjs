// Seeded randomness for tests and benchmarks: the same seed gives the same data on every run,
// so a failure can be replayed from the seed it reports. Plain JavaScript for the benchmarks;
// types in random.d.mts.

/** mulberry32: a small seeded PRNG returning numbers in [0, 1). */
export function rng(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A shuffled copy of `xs` (Fisher–Yates) driven by `random`. */
export function shuffle(xs, random) {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
