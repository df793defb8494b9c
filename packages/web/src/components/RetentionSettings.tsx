import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.js';
import type { RetentionResponse } from '../types.js';
import { useFetch } from '../use-fetch.js';

const describe = (days: number | null) => (days === null ? 'Data is kept forever.' : `Traces, observations, scores and media older than ${days} day${days === 1 ? '' : 's'} are deleted.`);

/** The project's retention period: shown to every member, changed by owners and admins (the server checks the role too). */
export function RetentionSettings({ projectId, manage }: { projectId: string; manage: boolean }) {
  const current = useFetch<RetentionResponse>(`/projects/${projectId}/retention`);
  const [days, setDays] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function save(retentionDays: number | string | null) {
    try {
      const r = await api.post<RetentionResponse>(`/projects/${projectId}/retention`, { retentionDays });
      setMessage({ ok: true, text: r.retentionDays === null ? 'Saved: data is kept forever.' : `Saved: ${r.retentionDays} days.` });
      setDays('');
      current.reload();
    } catch (err) {
      setMessage({ ok: false, text: err instanceof ApiError ? err.message : String(err) });
    }
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    // Sent as typed (a number when it is one): the server names what is wrong with anything else.
    void save(days.trim() === '' || Number.isNaN(Number(days)) ? days : Number(days));
  }
  const value = current.data?.retentionDays;
  return (
    <section className="card" aria-label="Data retention">
      <h2>Data retention</h2>
      {current.data && <p data-testid="retention-current">{describe(value ?? null)}</p>}
      {manage ? (
        <>
          <form className="inline-form" onSubmit={submit}>
            <input aria-label="Retention days" inputMode="numeric" required placeholder="Days to keep" value={days} onChange={(e) => setDays(e.target.value)} />
            <button type="submit">Set retention</button>
            {value !== null && value !== undefined && (
              <button type="button" onClick={() => void save(null)}>
                Keep forever
              </button>
            )}
          </form>
          <p className="muted">Deletion runs in the background on the server, in small batches, and cannot be undone.</p>
        </>
      ) : (
        <p className="muted">Only owners and admins change the retention period.</p>
      )}
      {message && <p className={message.ok ? 'muted' : 'error'} role={message.ok ? 'status' : 'alert'}>{message.text}</p>}
    </section>
  );
}
