import type { ChartQuery, DashboardChart, DashboardChartType } from '../../types.js';

/** A filter as the chart editor holds it: the operator decides the filter type sent. */
export interface FilterDraft {
  column: string;
  operator: string;
  value: string;
}

export interface ChartDraft {
  title: string;
  chartType: DashboardChartType;
  view: string;
  measure: string;
  aggregation: string;
  /** '' for none. */
  dimension: string;
  /** '' for none (no time axis), `auto` for the bucket that fits the viewer's range. */
  granularity: string;
  filters: FilterDraft[];
}

export const TEXT_OPERATORS = ['=', 'contains', 'does not contain', 'starts with', 'ends with'];
export const NUMBER_OPERATORS = ['>', '<', '>=', '<='];
export const ANY_OF = 'any of';

export const emptyDraft = (): ChartDraft => ({
  title: '', chartType: 'line', view: 'traces', measure: 'count', aggregation: 'count', dimension: '', granularity: 'auto', filters: [],
});

/** The editor's draft of a saved chart (filters it cannot show are kept as text of their value). */
export function draftOf(chart: DashboardChart): ChartDraft {
  const q = chart.query;
  const m = q.metrics?.[0];
  return {
    title: chart.title,
    chartType: chart.chartType,
    view: q.view,
    measure: m?.measure ?? 'count',
    aggregation: m?.aggregation ?? 'count',
    dimension: q.dimensions?.[0]?.field ?? '',
    granularity: q.timeDimension?.granularity ?? '',
    filters: (q.filters ?? []).map((f) => ({ column: f.column, operator: f.operator, value: Array.isArray(f.value) ? f.value.join(', ') : String(f.value ?? '') })),
  };
}

function filterOf(f: FilterDraft): NonNullable<ChartQuery['filters']>[number] {
  if (f.operator === ANY_OF) return { column: f.column, operator: f.operator, type: 'stringOptions', value: f.value.split(',').map((s) => s.trim()).filter(Boolean) };
  if (NUMBER_OPERATORS.includes(f.operator)) return { column: f.column, operator: f.operator, type: 'number', value: Number(f.value) };
  return { column: f.column, operator: f.operator, type: 'string', value: f.value };
}

/** The chart a draft saves: one metric, at most one dimension; numbers and tables of a single value have no time axis. */
export function chartOf(draft: ChartDraft, id: string): DashboardChart {
  const timeless = draft.chartType === 'number';
  const query: ChartQuery = {
    view: draft.view,
    dimensions: draft.dimension && !timeless ? [{ field: draft.dimension }] : [],
    metrics: [{ measure: draft.measure, aggregation: draft.aggregation }],
    filters: draft.filters.filter((f) => f.column !== '').map(filterOf),
  };
  if (draft.granularity && !timeless) query.timeDimension = { granularity: draft.granularity };
  return { id, title: draft.title.trim(), chartType: draft.chartType, query };
}

/** An id unique within a dashboard (crypto.randomUUID needs a secure context, which a LAN http address is not). */
export const newChartId = (): string => `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
