// Test data for the metrics suites: a deterministic, varied data set and a rollup/scan comparison.
import { binOf, binValue, RELATIVE_ERROR } from '../metrics/histogram.js';
import type { MetricsQuery, MetricsRow } from '../metrics/types.js';
import { rng } from '../../../../test/support/random.mjs';
import { rawEvent, type RawEvent } from './events.js';

/** Monday 2024-03-04 09:17:23.456 UTC: deliberately not on an hour boundary. */
export const T0 = Date.UTC(2024, 2, 4, 9, 17, 23, 456);
export const HOUR = 3_600_000;
export const iso = (ms: number) => new Date(ms).toISOString();


const TYPES = ['generation', 'span', 'event', 'agent'] as const;
const MODELS = ['gpt-4o', 'gpt-3.5-turbo', 'claude-3-5-sonnet-20241022', 'no-such-model', null];

/**
 * `traces` traces over about 3.5 days from T0, each with 1–4 observations of mixed types,
 * names, models, levels and environments; usage provided or missing, some provided costs,
 * latencies from 0 ms to minutes (one negative), some without end or completion start.
 */
export function dataset(traces: number, seed = 7, prefix = 'x'): RawEvent[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const events: RawEvent[] = [];
  for (let i = 0; i < traces; i++) {
    const start = T0 + Math.floor(r() * 84 * HOUR);
    const environment = pick(['production', 'production', 'staging']);
    const traceId = `${prefix}t${i}`;
    events.push(rawEvent('trace-create', {
      id: traceId, name: pick(['chat', 'search', null]), userId: pick(['u1', 'u2', 'u3', null]), sessionId: pick(['s1', 's2', null]),
      environment, tags: pick([['a'], ['a', 'b'], []]), timestamp: iso(start), release: pick(['r1', 'r2']),
    }, start));
    const count = 1 + Math.floor(r() * 4);
    for (let j = 0; j < count; j++) {
      const type = pick(TYPES);
      const st = start + j * 700 + Math.floor(r() * 500);
      const latency = i === 3 && j === 0 ? -5 : Math.floor(Math.exp(r() * 12));
      const body: Record<string, unknown> = {
        id: `${traceId}-o${j}`, traceId, name: pick(['llm', 'retrieve', 'tool', null]), environment, startTime: iso(st),
        level: pick(['DEFAULT', 'DEFAULT', 'DEFAULT', 'WARNING', 'ERROR']), version: pick(['v1', null]),
      };
      if (type !== 'event' && r() < 0.85) body.endTime = iso(st + latency);
      if (type === 'generation') {
        body.model = pick(MODELS);
        if (r() < 0.7) body.completionStartTime = iso(st + Math.floor(latency * r()));
        const usage = r();
        if (usage < 0.5) body.usage = { input: Math.floor(r() * 3000), output: Math.floor(r() * 800) };
        else if (usage < 0.8) body.usageDetails = { input: Math.floor(r() * 3000), input_cached_tokens: Math.floor(r() * 100), output: Math.floor(r() * 800) };
        if (r() < 0.15) body.costDetails = { input: Math.floor(r() * 1000) / 1e5, output: Math.floor(r() * 1000) / 1e6 };
      }
      events.push(rawEvent(`${type}-create`, body, st));
    }
  }
  return events;
}

export const metricsQuery = (over: Partial<MetricsQuery>): MetricsQuery => ({
  view: 'observations', dimensions: [], metrics: [{ measure: 'count', aggregation: 'count' }], filters: [],
  granularity: null, fromTimestamp: T0 - 2 * HOUR, toTimestamp: T0 + 100 * HOUR, orderBy: [], ...over,
});

const PERCENTILE = /^p\d\d_/;

/**
 * Differences between rows answered from rollups and rows of a full scan; empty when they
 * agree: the same groups in the same order, every count and sum identical, and each
 * percentile equal to the histogram value of the exact percentile and within the documented
 * relative error of it.
 */
export function rollupMismatches(rollup: MetricsRow[], scan: MetricsRow[]): string[] {
  const out: string[] = [];
  if (rollup.length !== scan.length) out.push(`rows: ${rollup.length} from rollups, ${scan.length} from the scan`);
  scan.forEach((exact, i) => {
    const row = rollup[i] ?? {};
    for (const [field, value] of Object.entries(exact)) {
      const got = JSON.stringify(row[field]);
      if (!PERCENTILE.test(field) || value === null) {
        if (got !== JSON.stringify(value)) out.push(`row ${i} ${field}: ${got} from rollups, ${JSON.stringify(value)} from the scan`);
        continue;
      }
      const v = Number(value);
      const binned = binValue(binOf(v));
      const withinBound = Math.abs(Number(row[field]) - v) <= Math.abs(v) * RELATIVE_ERROR;
      if (row[field] !== binned || !withinBound) out.push(`row ${i} ${field}: ${got} from rollups; exact ${v}, binned ${binned}`);
    }
  });
  return out;
}
