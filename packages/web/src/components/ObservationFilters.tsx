import { useEffect, useState, type FormEvent } from 'react';
import type { UrlChanges } from '../url-state.js';

/** Text filters of the observations table: URL key, label, placeholder. Applied on Enter or "Apply". */
const TEXT = [
  ['name', 'Name', 'contains'],
  ['model', 'Model', 'gpt-4o, … (any of)'],
  ['prompt', 'Prompt', 'prompt name'],
  ['minLatency', 'Latency ≥ (s)', 'seconds'],
  ['minTtft', 'TTFT ≥ (s)', 'seconds'],
  ['minTokens', 'Tokens ≥', 'total'],
  ['minCost', 'Cost ≥ ($)', 'USD'],
  ['score', 'Score', 'score name'],
  ['minScore', 'Score ≥', 'value'],
] as const;

export const OBSERVATION_TYPES = ['GENERATION', 'SPAN', 'EVENT', 'AGENT', 'TOOL', 'CHAIN', 'RETRIEVER', 'EVALUATOR', 'EMBEDDING', 'GUARDRAIL'];

/** The observations table's filters: time, type and level apply at once, the text fields on "Apply". */
export function ObservationFilters({ params, set }: { params: URLSearchParams; set(changes: UrlChanges): void }) {
  const [draft, setDraft] = useState<Record<string, string>>({});
  const key = params.toString();
  useEffect(() => {
    setDraft(Object.fromEntries(TEXT.map(([k]) => [k, params.get(k) ?? ''])));
  }, [key]);
  function apply(e: FormEvent) {
    e.preventDefault();
    set(Object.fromEntries(TEXT.map(([k]) => [k, draft[k]?.trim() || null])));
  }
  return (
    <form className="filters" onSubmit={apply} aria-label="Observation filters">
      <label>
        Time
        <select aria-label="Time range" value={params.get('range') ?? '7d'} onChange={(e) => set({ range: e.target.value })}>
          <option value="1h">Last hour</option>
          <option value="24h">Last 24 hours</option>
          <option value="7d">Last 7 days</option>
          <option value="30d">Last 30 days</option>
          <option value="all">All time</option>
        </select>
      </label>
      <label>
        Type
        <select aria-label="Type" value={params.get('type') ?? ''} onChange={(e) => set({ type: e.target.value || null })}>
          <option value="">All</option>
          {OBSERVATION_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label>
        Level
        <select aria-label="Level" value={params.get('level') ?? ''} onChange={(e) => set({ level: e.target.value || null })}>
          <option value="">Any</option>
          {['ERROR', 'WARNING', 'DEFAULT', 'DEBUG'].map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </label>
      {TEXT.map(([k, label, placeholder]) => (
        <label key={k}>
          {label}
          <input name={k} value={draft[k] ?? ''} placeholder={placeholder} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} />
        </label>
      ))}
      <button type="submit" className="primary">
        Apply
      </button>
    </form>
  );
}
