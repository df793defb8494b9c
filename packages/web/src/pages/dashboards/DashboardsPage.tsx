import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { api } from '../../api.js';
import { formatTime } from '../../format.js';
import { usePromptRights } from '../../prompts/use-prompt-role.js';
import type { DashboardListResponse, DashboardResponse } from '../../types.js';
import { useFetch } from '../../use-fetch.js';

/** The project's dashboards: the built-in overview first, then the saved custom ones; members create new ones here. */
export function DashboardsPage({ projectId }: { projectId: string }) {
  const { data, error } = useFetch<DashboardListResponse>(`/projects/${projectId}/dashboards`);
  const { canWrite } = usePromptRights(projectId);
  const [, navigate] = useLocation();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [failure, setFailure] = useState<string | null>(null);

  async function create(e: FormEvent) {
    e.preventDefault();
    try {
      const { dashboard } = await api.post<DashboardResponse>(`/projects/${projectId}/dashboards`, { name, description: description || null, charts: [] });
      navigate(`/p/${projectId}/dashboards/${dashboard.id}`);
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <section className="page">
      <header className="page-head">
        <h1>Dashboards</h1>
      </header>
      <ul className="dashboard-list" aria-label="Dashboards">
        <li className="card">
          <Link href={`/p/${projectId}/dashboard`}>Overview</Link>
          <div className="muted small">Built in: traces, cost, tokens, latency and scores over time.</div>
        </li>
        {data?.data.map((d) => (
          <li key={d.id} className="card">
            <Link href={`/p/${projectId}/dashboards/${d.id}`}>{d.name}</Link>
            {d.description && <div className="small">{d.description}</div>}
            <div className="muted small">
              {d.chartCount} {d.chartCount === 1 ? 'chart' : 'charts'} · updated {formatTime(d.updatedAt)}
            </div>
          </li>
        ))}
      </ul>
      {error && <p className="error">{error}</p>}
      {canWrite && (
        <form className="card chart-editor" aria-label="New dashboard" onSubmit={(e) => void create(e)}>
          <label>
            Name
            <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
          </label>
          <label>
            Description
            <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} />
          </label>
          <button type="submit" className="primary">
            Create dashboard
          </button>
          {failure && <p className="error">{failure}</p>}
        </form>
      )}
    </section>
  );
}
