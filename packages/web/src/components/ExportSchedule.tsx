import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.js';
import { formatTime } from '../format.js';
import { useFetch } from '../use-fetch.js';
import type { ExportScheduleResponse } from '../types.js';

/** Settings: the project's scheduled export to the blob store (admins and owners). */
export function ExportSchedule({ projectId }: { projectId: string }) {
  const current = useFetch<ExportScheduleResponse>(`/projects/${projectId}/export-schedule`);
  const [frequency, setFrequency] = useState<'hourly' | 'daily'>('daily');
  const [csv, setCsv] = useState(false);
  const [enabled, setEnabled] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const s = current.data?.schedule ?? null;
  useEffect(() => {
    if (!s) return;
    setFrequency(s.frequency);
    setCsv(s.formats.includes('csv'));
    setEnabled(s.enabled);
  }, [s]);
  async function save(e: FormEvent) {
    e.preventDefault();
    try {
      await api.post<ExportScheduleResponse>(`/projects/${projectId}/export-schedule`, { frequency, csv, enabled });
      setMessage({ ok: true, text: 'Saved.' });
      current.reload();
    } catch (err) {
      setMessage({ ok: false, text: err instanceof ApiError ? err.message : String(err) });
    }
  }
  return (
    <section className="card">
      <h2>Scheduled export</h2>
      <p className="muted">
        Writes the traces that changed since the last run (with their observations and scores) as JSONL to the blob store, under
        exports/&lt;project&gt;/.
      </p>
      <form className="inline-form" onSubmit={(e) => void save(e)}>
        <label>
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled
        </label>
        <select aria-label="Export frequency" value={frequency} onChange={(e) => setFrequency(e.target.value as 'hourly' | 'daily')}>
          <option value="hourly">Hourly</option>
          <option value="daily">Daily</option>
        </select>
        <label>
          <input type="checkbox" checked={csv} onChange={(e) => setCsv(e.target.checked)} /> Also CSV
        </label>
        <button type="submit">Save export schedule</button>
      </form>
      {message && <p className={message.ok ? 'muted' : 'error'}>{message.text}</p>}
      {s && (
        <p className="muted" data-testid="export-schedule-status">
          Next run {formatTime(s.nextRunAt)}
          {s.lastRunAt !== null && ` · last run ${formatTime(s.lastRunAt)}: ${s.lastStatus === 'ok' ? `${s.lastTraceCount ?? 0} traces` : `failed (${s.lastError ?? ''})`}`}
        </p>
      )}
    </section>
  );
}
