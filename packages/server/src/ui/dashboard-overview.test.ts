// The dashboard's figures come from rollups only, and equal those of a full scan of the base
// tables (percentiles: the bin of the exact value, within 0.8 %), on both engines.
import { dataset, ENGINES, ingestItem, METRICS_T0, openTestStorage, rawEvent, rollupMismatches, type RawEvent, type TestStorage } from '@sightline/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardOverview, type OverviewParams } from './dashboard-overview.js';

const HOUR = 3_600_000;
const P = 'dash-project';

/** Scores of every kind on the data set's traces, some sent twice with another value. */
function scores(n: number): RawEvent[] {
  const out: RawEvent[] = [];
  for (let i = 0; i < n; i++) {
    const at = METRICS_T0 + ((i * 7919) % 84) * HOUR + i;
    const traceId = `xt${i % 150}`;
    const ts = new Date(at).toISOString();
    const environment = i % 4 ? 'production' : 'staging';
    if (i % 3 === 0) out.push(rawEvent('score-create', { id: `c${i}`, traceId, name: 'sentiment', dataType: 'CATEGORICAL', value: i % 2 ? 'positive' : 'negative', environment, timestamp: ts }, at));
    else if (i % 5 === 0) out.push(rawEvent('score-create', { id: `b${i}`, traceId, name: 'helpful', dataType: 'BOOLEAN', value: i % 2, environment, timestamp: ts }, at));
    else out.push(rawEvent('score-create', { id: `n${i}`, traceId, name: i % 2 ? 'quality' : 'relevance', value: (i % 97) / 7, environment, timestamp: ts }, at));
  }
  out.push(rawEvent('score-create', { id: 'n1', traceId: 'xt1', name: 'quality', value: 0.123456, timestamp: new Date(METRICS_T0 + HOUR).toISOString() }, METRICS_T0 + 10 * HOUR));
  return out;
}

describe.each(ENGINES)('dashboard overview on %s', (engine) => {
  let opened: TestStorage;

  beforeAll(async () => {
    opened = await openTestStorage(engine);
    const events = [...dataset(150), ...scores(200)];
    for (let i = 0; i < events.length; i += 83) await opened.storage.ingest([ingestItem(P, events.slice(i, i + 83))]);
  });
  afterAll(async () => {
    await opened?.close();
  });

  const RANGES: [string, OverviewParams][] = [
    ['hourly, partial hours at both ends', { from: METRICS_T0 - 2 * HOUR + 123_456, to: METRICS_T0 + 90 * HOUR - 65_432, environment: null, granularity: 'hour' }],
    ['daily, one environment', { from: METRICS_T0 - 2 * HOUR, to: METRICS_T0 + 100 * HOUR, environment: 'production', granularity: 'day' }],
    ['weekly', { from: METRICS_T0 - 30 * 24 * HOUR, to: METRICS_T0 + 100 * HOUR, environment: null, granularity: 'week' }],
  ];

  it.each(RANGES)('%s: every series from rollups, equal to a scan', async (_name, params) => {
    const rollup = await dashboardOverview(opened.storage, P, params, 'rollup');
    const scan = await dashboardOverview(opened.storage, P, params, 'scan');
    const series = ['traces', 'observations', 'errors', 'usage', 'byModel', 'latencyOverTime', 'traceLatency', 'scoresNumeric', 'scoreCategories'] as const;
    for (const name of series) expect({ [name]: rollupMismatches(rollup[name], scan[name]) }).toEqual({ [name]: [] });
    // The data set gives every series something to show.
    expect(scan.scoresNumeric.length).toBeGreaterThan(0);
    expect(scan.scoreCategories.length).toBeGreaterThan(0);
    expect(scan.traceLatency[0].p95_latency).not.toBeNull();
  });
});
