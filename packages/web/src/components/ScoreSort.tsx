import { useState, type FormEvent } from 'react';
import { useFetch } from '../use-fetch.js';
import type { ScoreConfigListResponse } from '../types.js';
import { splitSort } from './SortHeader.js';

/** The score name a `score:<name>.dir` sort is on, or null. */
export function sortedScore(sort: string): string | null {
  const { field } = splitSort(sort);
  return field.startsWith('score:') ? field.slice('score:'.length) : null;
}

interface Props {
  projectId: string;
  sort: string;
  onSort(sort: string): void;
}

/**
 * Sorts a list of groups (sessions, users) by one score name's mean: a name typed or picked among
 * the project's score configs, highest first; the column it adds flips the direction.
 */
export function ScoreSortForm({ projectId, sort, onSort }: Props) {
  const current = sortedScore(sort);
  const [name, setName] = useState(current ?? '');
  const { data } = useFetch<ScoreConfigListResponse>(`/projects/${projectId}/score-configs`);
  const names = [...new Set((data?.data ?? []).map((c) => c.name))].sort();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) onSort(`score:${name.trim()}.desc`);
  };
  return (
    <form onSubmit={submit} className="inline-form" aria-label="Sort by score">
      <label className="muted small">
        Sort by score{' '}
        <input aria-label="Score name to sort by" placeholder="score name" list={`score-names-${projectId}`} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <datalist id={`score-names-${projectId}`}>
        {names.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
      <button type="submit" disabled={!name.trim()}>
        Sort
      </button>
    </form>
  );
}

/** A group's mean of the sorted score name, or a dash when it has none. */
export function ScoreCell({ value }: { value: number | null | undefined }) {
  return <td className="num">{value === null || value === undefined ? '–' : Number(value.toFixed(4)).toString()}</td>;
}
