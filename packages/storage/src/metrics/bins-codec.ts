/**
 * Histogram bins as stored in a rollup row: a JSON array of `[bin, count, bin, count, …]`
 * pairs, ascending by bin, without zero counts. JSON.parse of flat number arrays is fast,
 * which is what the percentile path spends its time on.
 */
export function decodeBins(text: unknown, into: Map<number, number> = new Map()): Map<number, number> {
  if (typeof text !== 'string' || text === '' || text === '[]') return into;
  const flat = JSON.parse(text) as number[];
  for (let i = 0; i < flat.length; i += 2) into.set(flat[i], (into.get(flat[i]) ?? 0) + flat[i + 1]);
  return into;
}

export function encodeBins(bins: Map<number, number>): string {
  const flat: number[] = [];
  for (const bin of [...bins.keys()].sort((a, b) => a - b)) {
    const n = bins.get(bin) ?? 0;
    if (n !== 0) flat.push(bin, n);
  }
  return JSON.stringify(flat);
}
