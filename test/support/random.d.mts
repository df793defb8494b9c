// Types of random.mjs.
/** mulberry32: a small seeded PRNG returning numbers in [0, 1). */
export declare function rng(seed: number): () => number;
/** A shuffled copy of `xs` (Fisher–Yates) driven by `random`. */
export declare function shuffle<T>(xs: readonly T[], random: () => number): T[];
