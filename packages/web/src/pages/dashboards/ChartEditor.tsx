import { useState, type FormEvent } from 'react';
import type { DashboardChart, MetricsCatalogResponse } from '../../types.js';
import { useFetch } from '../../use-fetch.js';
import { ANY_OF, chartOf, draftOf, emptyDraft, newChartId, NUMBER_OPERATORS, TEXT_OPERATORS, type ChartDraft, type FilterDraft } from './chart-form.js';

const CHART_TYPES = ['line', 'bar', 'number', 'table'];
const GRANULARITY_CHOICES: [string, string][] = [
  ['', 'none (totals)'], ['auto', 'auto (fits the range)'], ['minute', 'minute'], ['hour', 'hour'], ['day', 'day'], ['week', 'week'], ['month', 'month'],
];

/**
 * Builds a chart from the metrics query language: view, measure, aggregation, dimension,
 * filters, time bucket and chart type, offered from the server's catalog. The server checks the
 * query on save; its message (naming the field) is shown here.
 */
export function ChartEditor({ projectId, initial, onSave, onCancel }: { projectId: string; initial?: DashboardChart; onSave(chart: DashboardChart): Promise<void>; onCancel(): void }) {
  const catalog = useFetch<MetricsCatalogResponse>(`/projects/${projectId}/metrics/catalog`).data;
  const [draft, setDraft] = useState<ChartDraft>(() => (initial ? draftOf(initial) : emptyDraft()));
  const [failure, setFailure] = useState<string | null>(null);
  const view = catalog?.views.find((v) => v.view === draft.view);
  const measure = view?.measures.find((m) => m.name === draft.measure);
  const change = (patch: Partial<ChartDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const changeFilter = (i: number, patch: Partial<FilterDraft>) => change({ filters: draft.filters.map((f, j) => (j === i ? { ...f, ...patch } : f)) });

  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      await onSave(chartOf(draft, initial?.id ?? newChartId()));
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <form className="card" aria-label={initial ? `Edit chart ${initial.title}` : 'New chart'} onSubmit={(e) => void submit(e)}>
      <div className="chart-editor">
        <label>
          Title
          <input value={draft.title} onChange={(e) => change({ title: e.target.value })} required maxLength={200} />
        </label>
        <Choice label="Chart type" value={draft.chartType} options={CHART_TYPES} onChange={(v) => change({ chartType: v as ChartDraft['chartType'] })} />
        <Choice label="View" value={draft.view} options={(catalog?.views ?? [{ view: draft.view }]).map((v) => v.view)}
          onChange={(v) => change({ view: v, measure: 'count', aggregation: 'count', dimension: '', filters: [] })} />
        <Choice label="Measure" value={draft.measure} options={(view?.measures ?? [{ name: draft.measure }]).map((m) => m.name)} onChange={(v) => change({ measure: v, aggregation: 'count' })} />
        <Choice label="Aggregation" value={draft.aggregation} options={measure?.aggregations.filter((a) => a !== 'histogram') ?? [draft.aggregation]} onChange={(v) => change({ aggregation: v })} />
        <Choice label="Dimension" value={draft.dimension} options={[['', 'none'], ...(view?.dimensions ?? [])]} onChange={(v) => change({ dimension: v })} />
        <Choice label="Time bucket" value={draft.granularity} options={GRANULARITY_CHOICES} onChange={(v) => change({ granularity: v })} />
      </div>
      <fieldset className="chart-filters">
        <legend>Filters</legend>
        {draft.filters.map((f, i) => (
          <div key={i} className="filter-row">
            <select aria-label={`Filter ${i + 1} column`} value={f.column} onChange={(e) => changeFilter(i, { column: e.target.value })}>
              {view?.dimensions.map((d) => (
                <option key={d}>{d}</option>
              ))}
            </select>
            <select aria-label={`Filter ${i + 1} operator`} value={f.operator} onChange={(e) => changeFilter(i, { operator: e.target.value })}>
              {[...TEXT_OPERATORS, ANY_OF, ...NUMBER_OPERATORS].map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
            <input aria-label={`Filter ${i + 1} value`} value={f.value} placeholder={f.operator === ANY_OF ? 'a, b, c' : ''} onChange={(e) => changeFilter(i, { value: e.target.value })} />
            <button type="button" onClick={() => change({ filters: draft.filters.filter((_, j) => j !== i) })}>
              Remove filter
            </button>
          </div>
        ))}
        <button type="button" onClick={() => change({ filters: [...draft.filters, { column: view?.dimensions[0] ?? '', operator: '=', value: '' }] })}>
          Add filter
        </button>
      </fieldset>
      <div className="head-actions">
        <button type="submit" className="primary">
          Save chart
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {failure && <p className="error">{failure}</p>}
    </form>
  );
}

/** A labelled select; an option is its value, or `[value, text]`. */
function Choice({ label, value, options, onChange }: { label: string; value: string; options: (string | [string, string])[]; onChange(value: string): void }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => {
          const [v, text] = typeof o === 'string' ? [o, o] : o;
          return (
            <option key={v} value={v}>
              {text}
            </option>
          );
        })}
      </select>
    </label>
  );
}
