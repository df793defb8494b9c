import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.js';
import { FormError } from './FormError.js';

const TYPES = ['NUMERIC', 'CATEGORICAL', 'BOOLEAN', 'TEXT'] as const;

/** `good=1, bad=0` → categories; a label without a value gets its position. */
export function parseCategories(text: string): { label: string; value: number }[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part, i) => {
      const eq = part.lastIndexOf('=');
      const value = eq > 0 ? Number(part.slice(eq + 1)) : i;
      return { label: (eq > 0 ? part.slice(0, eq) : part).trim(), value: Number.isFinite(value) ? value : i };
    });
}

/** Defines a score config (what reviewers score with): NUMERIC with bounds, CATEGORICAL with labelled values, BOOLEAN or TEXT. */
export function ScoreConfigForm({ projectId, onCreated }: { projectId: string; onCreated(): void }) {
  const [name, setName] = useState('');
  const [dataType, setDataType] = useState<(typeof TYPES)[number]>('NUMERIC');
  const [min, setMin] = useState('');
  const [max, setMax] = useState('');
  const [categories, setCategories] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
    try {
      await api.post(`/projects/${projectId}/score-configs`, {
        name: name.trim(),
        dataType,
        ...(dataType === 'NUMERIC' ? { minValue: num(min), maxValue: num(max) } : {}),
        ...(dataType === 'CATEGORICAL' ? { categories: parseCategories(categories) } : {}),
      });
      setName('');
      setCategories('');
      onCreated();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }

  return (
    <form className="inline-form score-config-form" aria-label="New score config" onSubmit={(e) => void submit(e)}>
      <input aria-label="Config name" required placeholder="Name, e.g. helpfulness" value={name} onChange={(e) => setName(e.target.value)} />
      <select aria-label="Data type" value={dataType} onChange={(e) => setDataType(e.target.value as (typeof TYPES)[number])}>
        {TYPES.map((t) => (
          <option key={t}>{t}</option>
        ))}
      </select>
      {dataType === 'NUMERIC' && (
        <>
          <input aria-label="Minimum" type="number" step="any" placeholder="min" value={min} onChange={(e) => setMin(e.target.value)} />
          <input aria-label="Maximum" type="number" step="any" placeholder="max" value={max} onChange={(e) => setMax(e.target.value)} />
        </>
      )}
      {dataType === 'CATEGORICAL' && (
        <input aria-label="Categories" required placeholder="good=1, ok=0.5, bad=0" value={categories} onChange={(e) => setCategories(e.target.value)} />
      )}
      <button type="submit">Create config</button>
      <FormError error={error} />
    </form>
  );
}
