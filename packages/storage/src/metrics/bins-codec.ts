/**
 * Histogram bins as stored in a rollup row: a JSON array of `[bin, count, bin, count, …]`
 * pairs, ascending by bin, without zero counts. JSON.parse of flat number arrays is fast,
 * which is what the percentile path spends its time on.
 */
const NOT_PLAIN = /[^0-9,\-[\] ]/;

export function decodeBins(text: unknown, into: Map<number, number> = new Map()): Map<number, number> {
  if (typeof text !== 'string' || text === '' || text === '[]') return into;
  // Anything but what encodeBins writes (an exponent, a fraction): the general parser.
  if (NOT_PLAIN.test(text)) return decodeJson(text, into);
  // Read in place (the text is integers, commas and brackets as encodeBins writes them): a rollup
  // read decodes thousands of these, and JSON.parse's arrays were most of its garbage.
  const n = text.length;
  let bin = 0;
  let pending = false;
  let value = 0;
  let negative = false;
  let digits = false;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 44;
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits = true;
    } else if (c === 45) {
      negative = true;
    } else if (c === 44 || c === 93) {
      if (!digits) continue;
      const v = negative ? -value : value;
      if (pending) into.set(bin, (into.get(bin) ?? 0) + v);
      else bin = v;
      pending = !pending;
      value = 0;
      negative = false;
      digits = false;
    }
  }
  return into;
}

function decodeJson(text: string, into: Map<number, number>): Map<number, number> {
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
