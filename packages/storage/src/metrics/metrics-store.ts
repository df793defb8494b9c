import type { SqlDialect, WritableDb } from '../db.js';
import type { Paged } from '../types.js';
import { checkMetricsQuery, metricsCatalog, type ViewCatalog } from './catalog.js';
import { dailyMetrics } from './daily.js';
import { queryMetrics } from './query-metrics.js';
import { rebuildRollups } from './rollup-maintain.js';
import type { DailyMetricsQuery, DailyMetricsRow, MetricsPath, MetricsQuery, MetricsResult } from './types.js';

/** Metrics (§8): the query language over views, answered from rollups kept at ingestion or by a scan. */
export interface MetricsStore {
  /** Runs a metrics query; `path` forces rollups or a base-table scan (default: rollups when they cover the query). */
  query(projectId: string, q: MetricsQuery, path?: MetricsPath): Promise<MetricsResult>;
  /** Throws the 400 that `query` would throw for `q` (an unknown name, a bad filter) without running it. */
  check(q: MetricsQuery): void;
  /** Each view's dimensions, measures and the aggregations each measure accepts. */
  catalog(): ViewCatalog[];
  /** Daily usage and cost per model (`GET /metrics/daily`), newest day first. */
  daily(projectId: string, q: DailyMetricsQuery): Promise<Paged<DailyMetricsRow>>;
  /** Recomputes every rollup from the base tables. */
  rebuildRollups(): Promise<void>;
}

export type { ViewCatalog };

export function createMetricsStore(db: WritableDb, d: SqlDialect): MetricsStore {
  return {
    query: (projectId, q, path) => queryMetrics(db, d, projectId, q, path),
    check: (q) => void checkMetricsQuery(q, d),
    catalog: () => metricsCatalog(d),
    daily: (projectId, q) => dailyMetrics(db, d, projectId, q),
    rebuildRollups: () => rebuildRollups(db, d),
  };
}
