// Metrics (§8): the query language over views, rollups kept at ingestion, daily usage.
export { dailyMetrics } from './daily.js';
export { queryMetrics } from './query-metrics.js';
export { ensureRollups, rebuildRollups, updateRollups } from './rollup-maintain.js';
