import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api } from '../../api.js';
import { ChartCard } from '../../charts/ChartCard.js';
import { MetricChart } from '../../charts/MetricChart.js';
import { RangeSelect, useRange } from '../../charts/range.js';
import { usePromptRights } from '../../prompts/use-prompt-role.js';
import type { DashboardChart, DashboardResponse, DashboardView } from '../../types.js';
import { useFetch } from '../../use-fetch.js';
import { ChartEditor } from './ChartEditor.js';

/**
 * A saved dashboard: its charts over the chosen range. Members add, edit, move and remove
 * charts; every change saves the whole dashboard (the server checks each chart's query).
 */
export function CustomDashboardPage({ projectId, dashboardId }: { projectId: string; dashboardId: string }) {
  const { data, error, reload } = useFetch<DashboardResponse>(`/projects/${projectId}/dashboards/${encodeURIComponent(dashboardId)}`);
  const { range, from, to, bucket, set } = useRange();
  const { canWrite } = usePromptRights(projectId);
  // The id of the chart being edited, or 'new' while one is being added.
  const [editing, setEditing] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [, navigate] = useLocation();
  const path = `/projects/${projectId}/dashboards/${encodeURIComponent(dashboardId)}`;

  if (error) return <p className="error">{error}</p>;
  if (!data) return <p className="muted">Loading…</p>;
  const d = data.dashboard;

  /** Saves the dashboard with `charts`; the server's 400 (naming the field) is shown, and thrown to the editor. */
  async function save(charts: DashboardChart[], rest: Partial<Pick<DashboardView, 'name' | 'description'>> = {}): Promise<void> {
    try {
      await api.put<DashboardResponse>(path, { name: rest.name ?? d.name, description: rest.description ?? d.description, charts });
      setFailure(null);
      reload();
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
      throw err;
    }
  }
  const move = (i: number, by: number) => {
    const charts = [...d.charts];
    [charts[i], charts[i + by]] = [charts[i + by], charts[i]];
    void save(charts).catch(() => {});
  };
  async function remove() {
    if (!window.confirm(`Delete the dashboard "${d.name}"?`)) return;
    await api.del(path);
    navigate(`/p/${projectId}/dashboards`);
  }

  return (
    <section className="page dashboard">
      <header className="page-head">
        <div>
          <div className="muted small">
            <Link href={`/p/${projectId}/dashboards`}>Dashboards</Link> /
          </div>
          <h1>{d.name}</h1>
          {d.description && <p className="muted">{d.description}</p>}
        </div>
        <div className="head-actions">
          <RangeSelect range={range} onChange={(r) => set({ range: r })} />
          {canWrite && (
            <>
              <button type="button" onClick={() => setEditing('new')}>
                Add chart
              </button>
              <button type="button" className="danger" onClick={() => void remove()}>
                Delete dashboard
              </button>
            </>
          )}
        </div>
      </header>
      {failure && <p className="error">{failure}</p>}
      {editing === 'new' && (
        <ChartEditor projectId={projectId} onCancel={() => setEditing(null)} onSave={async (chart) => {
          await save([...d.charts, chart]);
          setEditing(null);
        }} />
      )}
      {d.charts.length === 0 && editing === null && <p className="muted">No charts yet{canWrite ? ': add one.' : '.'}</p>}
      <div className="charts">
        {d.charts.map((chart, i) =>
          editing === chart.id ? (
            <ChartEditor key={chart.id} projectId={projectId} initial={chart} onCancel={() => setEditing(null)} onSave={async (next) => {
              await save(d.charts.map((c) => (c.id === chart.id ? next : c)));
              setEditing(null);
            }} />
          ) : (
            <ChartCard key={chart.id} title={chart.title} actions={canWrite && (
              <span className="chart-actions">
                <button type="button" aria-label={`Move ${chart.title} up`} disabled={i === 0} onClick={() => move(i, -1)}>↑</button>
                <button type="button" aria-label={`Move ${chart.title} down`} disabled={i === d.charts.length - 1} onClick={() => move(i, 1)}>↓</button>
                <button type="button" onClick={() => setEditing(chart.id)}>Edit</button>
                <button type="button" className="danger" onClick={() => void save(d.charts.filter((c) => c.id !== chart.id)).catch(() => {})}>Remove</button>
              </span>
            )}>
              <MetricChart projectId={projectId} chart={chart} from={from} to={to} fits={bucket} trimToData={range === 'all'} />
            </ChartCard>
          ),
        )}
      </div>
    </section>
  );
}
