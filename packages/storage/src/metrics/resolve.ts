import { badRequest } from '@sightline/core';
import type { SqlDialect } from '../db.js';
import type { FilterCondition } from '../types.js';
import { resolveGranularity } from './time-buckets.js';
import { AGGREGATIONS, METRIC_VIEWS, type Aggregation, type Bucketing, type MetricsQuery, type MetricView } from './types.js';
import { observationsView } from './view-observations.js';
import { scoresView } from './view-scores.js';
import { tracesView } from './view-traces.js';
import type { Dimension, Measure, View } from './view-types.js';

export interface ResolvedMetric {
  /** `<aggregation>_<measure>`. */
  field: string;
  measureName: string;
  measure: Measure;
  agg: Aggregation;
}

/** A metrics query checked against its view's catalog. */
export interface ResolvedQuery {
  view: View;
  dims: { name: string; dim: Dimension }[];
  metrics: ResolvedMetric[];
  filters: FilterCondition[];
  bucketing: Bucketing | null;
  from: number;
  to: number;
  orderBy: { field: string; direction: 'asc' | 'desc' }[];
  bins: number;
  rowLimit: number;
}

export const TIME_FIELD = 'time_dimension';

const list = (names: Iterable<string>) => [...names].join(', ');

export function getView(name: string, d: SqlDialect): View {
  if (!(METRIC_VIEWS as readonly string[]).includes(name)) throw badRequest(`view: unknown view ${JSON.stringify(name)}; expected one of ${list(METRIC_VIEWS)}`);
  const view = name as MetricView;
  if (view === 'traces') return tracesView(d);
  if (view === 'observations') return observationsView(d);
  return scoresView(view, d);
}

/** Aggregations a measure accepts: counts only sum up, distinct measures only count. */
export function aggregationsOf(m: Measure): readonly Aggregation[] {
  if (m.kind === 'count') return ['count', 'sum'];
  if (m.kind === 'distinct') return ['count', 'uniq', 'sum'];
  return AGGREGATIONS;
}

function intInRange(name: string, v: number | undefined, min: number, max: number, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < min || v > max) throw badRequest(`${name}: must be an integer between ${min} and ${max}`);
  return v;
}

/** Validates every name of `q` against the view, or throws a 400 naming the first unknown one. */
export function resolveQuery(q: MetricsQuery, d: SqlDialect): ResolvedQuery {
  const view = getView(q.view, d);
  if (!(q.fromTimestamp < q.toTimestamp)) throw badRequest('fromTimestamp: must be before toTimestamp');
  const dims = [...new Set(q.dimensions)].map((name, i) => {
    const dim = Object.hasOwn(view.dims, name) ? view.dims[name] : undefined;
    if (!dim) throw badRequest(`dimensions[${i}].field: unknown dimension ${JSON.stringify(name)} for view ${view.name}; expected one of ${list(Object.keys(view.dims))}`);
    return { name, dim };
  });
  const asked = q.metrics.length > 0 ? q.metrics : [{ measure: 'count', aggregation: 'count' as const }];
  const metrics = new Map<string, ResolvedMetric>();
  asked.forEach(({ measure: measureName, aggregation: agg }, i) => {
    const measure = Object.hasOwn(view.measures, measureName) ? view.measures[measureName] : undefined;
    if (!measure) throw badRequest(`metrics[${i}].measure: unknown measure ${JSON.stringify(measureName)} for view ${view.name}; expected one of ${list(Object.keys(view.measures))}`);
    const valid = aggregationsOf(measure);
    if (!valid.includes(agg)) throw badRequest(`metrics[${i}].aggregation: ${JSON.stringify(agg)} is not valid for measure ${measureName}; expected one of ${list(valid)}`);
    const field = `${agg}_${measureName}`;
    metrics.set(field, { field, measureName, measure, agg });
  });
  const bucketing = q.granularity === null ? null : resolveGranularity(q.granularity, q.fromTimestamp, q.toTimestamp);
  const orderable = [...dims.map((x) => x.name), ...(bucketing ? [TIME_FIELD] : []), ...[...metrics.values()].filter((m) => m.agg !== 'histogram').map((m) => m.field)];
  q.orderBy.forEach((o, i) => {
    if (!orderable.includes(o.field)) throw badRequest(`orderBy[${i}].field: unknown field ${JSON.stringify(o.field)}; expected one of ${list(orderable)}`);
  });
  return {
    view,
    dims,
    metrics: [...metrics.values()],
    filters: q.filters,
    bucketing,
    from: q.fromTimestamp,
    to: q.toTimestamp,
    orderBy: q.orderBy,
    bins: intInRange('config.bins', q.bins, 1, 100, 10),
    rowLimit: intInRange('config.row_limit', q.rowLimit, 1, 1000, 1000),
  };
}
