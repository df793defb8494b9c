import { useState } from 'react';
import { Link } from 'wouter';
import { api, ApiError } from '../api.js';
import { useFetch } from '../use-fetch.js';
import type { QueueAddResponse, QueueListResponse } from '../types.js';

export interface AddAction {
  label: string;
  /** Sends the add request to the chosen queue's items path (`/projects/…/queues/<id>/items`). */
  add(itemsPath: string): Promise<QueueAddResponse>;
  disabled?: boolean;
}

/** Choose a queue and add the object(s) to it; reports how many were added (objects already queued are kept once). */
export function AddToQueue({ projectId, actions }: { projectId: string; actions: AddAction[] }) {
  const queues = useFetch<QueueListResponse>(`/projects/${projectId}/queues`);
  const [queueId, setQueueId] = useState('');
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const list = queues.data?.data ?? [];
  const chosen = queueId || list[0]?.id || '';

  async function submit(add: AddAction['add']) {
    setBusy(true);
    setMessage(null);
    try {
      const r = await add(`/projects/${projectId}/queues/${chosen}/items`);
      const name = list.find((q) => q.id === chosen)?.name ?? 'the queue';
      const already = r.matched - r.added;
      const text = `Added ${r.added} to ${name}${already > 0 ? ` (${already} already queued)` : ''}${r.capped ? `; only the first ${r.limit.toLocaleString()} matches were considered` : ''}.`;
      setMessage({ text, error: false });
    } catch (err) {
      setMessage({ text: err instanceof ApiError ? err.message : String(err), error: true });
    } finally {
      setBusy(false);
    }
  }

  if (queues.data && list.length === 0) {
    return (
      <span className="small muted">
        <Link href={`/p/${projectId}/queues`}>Create an annotation queue</Link> to review this.
      </span>
    );
  }
  return (
    <span className="add-to-queue">
      <select aria-label="Annotation queue" value={chosen} onChange={(e) => setQueueId(e.target.value)}>
        {list.map((q) => (
          <option key={q.id} value={q.id}>
            {q.name}
          </option>
        ))}
      </select>
      {actions.map((a) => (
        <button key={a.label} type="button" disabled={busy || a.disabled || !chosen} onClick={() => void submit(a.add)}>
          {a.label}
        </button>
      ))}
      {message && (
        <span className={message.error ? 'error' : 'muted small'} role="status">
          {message.text}
        </span>
      )}
    </span>
  );
}

/** The add action for named objects. */
export const addObjects = (objectType: 'TRACE' | 'OBSERVATION' | 'SESSION', objectIds: string[], label = 'Add to queue'): AddAction => ({
  label,
  add: (itemsPath) => api.post<QueueAddResponse>(itemsPath, { objectType, objectIds }),
  disabled: objectIds.length === 0,
});
