import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { api, ApiError } from '../api.js';
import { ScoreConfigForm } from '../annotate/ScoreConfigForm.js';
import { formatTime } from '../format.js';
import { usePromptRights } from '../prompts/use-prompt-role.js';
import { useFetch } from '../use-fetch.js';
import type { QueueListResponse, ScoreConfig, ScoreConfigListResponse } from '../types.js';
import { FormError } from '../annotate/FormError.js';

const describeConfig = (c: ScoreConfig): string =>
  c.dataType === 'NUMERIC'
    ? `${c.minValue ?? '−∞'} … ${c.maxValue ?? '∞'}`
    : c.dataType === 'TEXT'
      ? 'free text'
      : (c.categories ?? []).map((k) => `${k.label}=${k.value}`).join(', ');

/** Annotation queues: each with its pending and completed counts and a link to review; members create queues and score configs. */
export function QueuesPage({ projectId }: { projectId: string }) {
  const { canWrite } = usePromptRights(projectId);
  const queues = useFetch<QueueListResponse>(`/projects/${projectId}/queues`);
  const configs = useFetch<ScoreConfigListResponse>(`/projects/${projectId}/score-configs`);
  const active = (configs.data?.data ?? []).filter((c) => !c.isArchived);
  return (
    <section className="page">
      <header className="page-head">
        <h1>Annotation queues</h1>
      </header>
      {queues.error && <p className="error">{queues.error}</p>}
      <div className="table-wrap">
        <table className="data" aria-label="Queues">
          <thead>
            <tr>
              <th>Queue</th>
              <th>Pending</th>
              <th>Completed</th>
              <th>Score configs</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {queues.data?.data.map((q) => (
              <tr key={q.id} data-queue-id={q.id}>
                <td>
                  <Link href={`/p/${projectId}/queues/${q.id}`}>{q.name}</Link>
                  {q.description && <div className="muted small">{q.description}</div>}
                </td>
                <td className="num">{q.pending}</td>
                <td className="num">{q.completed}</td>
                <td>{q.scoreConfigIds.map((id) => configs.data?.data.find((c) => c.id === id)?.name ?? id).join(', ')}</td>
                <td className="nowrap">{formatTime(q.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {queues.data && queues.data.data.length === 0 && <p className="empty">No queues yet. Create one below, then add traces from the Traces list, a trace or a session.</p>}
      </div>
      {canWrite && (
        <>
          <h2>New queue</h2>
          {configs.data && active.length === 0 ? (
            <p className="muted">A queue scores with score configs; create one first.</p>
          ) : (
            <NewQueueForm projectId={projectId} configs={active} onCreated={queues.reload} />
          )}
        </>
      )}
      <h2>Score configs</h2>
      <ul className="config-list">
        {configs.data?.data.map((c) => (
          <li key={c.id}>
            <strong>{c.name}</strong> <span className="chip">{c.dataType}</span> <span className="muted small">{describeConfig(c)}</span>
            {c.isArchived && <span className="chip">archived</span>}
          </li>
        ))}
      </ul>
      {canWrite && <ScoreConfigForm projectId={projectId} onCreated={configs.reload} />}
    </section>
  );
}

function NewQueueForm({ projectId, configs, onCreated }: { projectId: string; configs: ScoreConfig[]; onCreated(): void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await api.post(`/projects/${projectId}/queues`, { name: name.trim(), description: description.trim() || undefined, scoreConfigIds: chosen });
      setName('');
      setDescription('');
      setChosen([]);
      onCreated();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }

  return (
    <form className="card new-queue" aria-label="New queue" onSubmit={(e) => void submit(e)}>
      <input aria-label="Queue name" required placeholder="Queue name" value={name} onChange={(e) => setName(e.target.value)} />
      <input aria-label="Queue description" placeholder="Description (optional)" value={description} onChange={(e) => setDescription(e.target.value)} />
      <fieldset>
        <legend>Score with</legend>
        {configs.map((c) => (
          <label key={c.id}>
            <input
              type="checkbox"
              checked={chosen.includes(c.id)}
              onChange={(e) => setChosen((s) => (e.target.checked ? [...s, c.id] : s.filter((x) => x !== c.id)))}
            />
            {c.name} <span className="muted small">({c.dataType})</span>
          </label>
        ))}
      </fieldset>
      <button type="submit" className="primary" disabled={chosen.length === 0}>
        Create queue
      </button>
      <FormError error={error} />
    </form>
  );
}
