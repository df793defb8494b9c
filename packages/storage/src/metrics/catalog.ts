import type { SqlDialect } from '../db.js';
import { baseFilterColumns, compileFilters } from './filter.js';
import { aggregationsOf, getView, resolveQuery, type ResolvedQuery } from './resolve.js';
import { METRIC_VIEWS, type Aggregation, type MetricsQuery, type MetricView } from './types.js';

/** What a query may name in one view: its dimensions, and each measure with the aggregations it accepts. */
export interface ViewCatalog {
  view: MetricView;
  dimensions: string[];
  measures: { name: string; aggregations: Aggregation[] }[];
}

/** Every view's names, for query builders (the UI's chart editor). */
export function metricsCatalog(d: SqlDialect): ViewCatalog[] {
  return METRIC_VIEWS.map((name) => {
    const view = getView(name, d);
    return {
      view: name,
      dimensions: Object.keys(view.dims),
      measures: Object.entries(view.measures).map(([measure, m]) => ({ name: measure, aggregations: [...aggregationsOf(m)] })),
    };
  });
}

/** `q` resolved against its view, or the 400 for its first unknown name or bad filter (nothing is run). */
export function checkMetricsQuery(q: MetricsQuery, d: SqlDialect): ResolvedQuery {
  const rq = resolveQuery(q, d);
  compileFilters(rq.filters, baseFilterColumns(rq.view), d, `${rq.view.alias}.project_id`);
  return rq;
}
