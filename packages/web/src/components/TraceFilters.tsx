import { useEffect, useState, type FormEvent } from 'react';
import { useFetch } from '../use-fetch.js';
import type { EnvironmentListResponse } from '../types.js';
import type { UrlChanges } from '../url-state.js';

const FIELDS = [
  ['q', 'Search', 'names, inputs, outputs, id'],
  ['name', 'Name', 'exact name'],
  ['user', 'User', 'user id'],
  ['session', 'Session', 'session id'],
  ['tags', 'Tags', 'a, b (all of)'],
] as const;

/** Epoch ms (URL) ⇄ the value of a datetime-local input, in the browser's time zone. */
function toLocalInput(ms: string | null): string {
  if (!ms || !Number.isFinite(Number(ms))) return '';
  const d = new Date(Number(ms));
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
/** Switching to a custom range starts from the last 24 hours. */
function rangeChange(range: string, params: URLSearchParams): UrlChanges {
  if (range !== 'custom') return { range, from: null, to: null };
  const now = Date.now();
  return { range, from: params.get('from') ?? String(now - 86_400_000), to: params.get('to') ?? String(now) };
}
const fromLocalInput = (v: string): string | null => (v ? String(new Date(v).getTime()) : null);

interface Props {
  projectId: string;
  params: URLSearchParams;
  set(changes: UrlChanges): void;
}

/** The trace list's filters. Text fields apply on Enter or "Apply"; selects apply at once. */
export function TraceFilters({ projectId, params, set }: Props) {
  const [draft, setDraft] = useState<Record<string, string>>({});
  const key = params.toString();
  useEffect(() => {
    const next: Record<string, string> = {};
    for (const [k] of FIELDS) next[k] = params.get(k) ?? '';
    next.meta = params.getAll('meta').join(', ');
    setDraft(next);
  }, [key]);
  const environments = useFetch<EnvironmentListResponse>(`/projects/${projectId}/environments`).data?.data ?? [];

  function apply(e: FormEvent) {
    e.preventDefault();
    const changes: UrlChanges = {};
    for (const [k] of FIELDS) changes[k] = draft[k]?.trim() || null;
    // Each key=value is its own (repeatable) parameter.
    changes.meta = (draft.meta ?? '').split(',').map((s) => s.trim()).filter((s) => s.includes('='));
    set(changes);
  }

  return (
    <form className="filters" onSubmit={apply} aria-label="Trace filters">
      <label>
        Time
        <select aria-label="Time range" value={params.get('range') ?? '7d'} onChange={(e) => set(rangeChange(e.target.value, params))}>
          <option value="1h">Last hour</option>
          <option value="24h">Last 24 hours</option>
          <option value="7d">Last 7 days</option>
          <option value="30d">Last 30 days</option>
          <option value="all">All time</option>
          <option value="custom">Custom…</option>
        </select>
      </label>
      {params.get('range') === 'custom' && (
        <>
          <label>
            From
            <input type="datetime-local" aria-label="From" value={toLocalInput(params.get('from'))} onChange={(e) => set({ from: fromLocalInput(e.target.value) })} />
          </label>
          <label>
            To
            <input type="datetime-local" aria-label="To" value={toLocalInput(params.get('to'))} onChange={(e) => set({ to: fromLocalInput(e.target.value) })} />
          </label>
        </>
      )}
      {FIELDS.map(([k, label, placeholder]) => (
        <label key={k}>
          {label}
          <input name={k} value={draft[k] ?? ''} placeholder={placeholder} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} />
        </label>
      ))}
      <label>
        Metadata
        <input name="meta" value={draft.meta ?? ''} placeholder="key=value, …" onChange={(e) => setDraft({ ...draft, meta: e.target.value })} />
      </label>
      <label>
        Environment
        <select aria-label="Environment" value={params.get('env') ?? ''} onChange={(e) => set({ env: e.target.value || null })}>
          <option value="">All</option>
          {environments.map((env) => (
            <option key={env} value={env}>
              {env}
            </option>
          ))}
        </select>
      </label>
      <label>
        Level
        <select aria-label="Level" value={params.get('level') ?? ''} onChange={(e) => set({ level: e.target.value || null })}>
          <option value="">Any</option>
          <option value="ERROR">Has ERROR</option>
          <option value="WARNING">Has WARNING</option>
          <option value="DEFAULT">Has DEFAULT</option>
          <option value="DEBUG">Has DEBUG</option>
        </select>
      </label>
      <button type="submit" className="primary">
        Apply
      </button>
    </form>
  );
}
