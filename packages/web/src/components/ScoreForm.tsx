import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.js';

/** Adds a person's score (source ANNOTATION) to a trace or one of its observations. */
export function ScoreForm({ projectId, traceId, observationId, onAdded }: { projectId: string; traceId: string; observationId?: string; onAdded(): void }) {
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const numeric = value.trim() !== '' && Number.isFinite(Number(value));
    setBusy(true);
    setError(null);
    try {
      await api.post(`/projects/${projectId}/scores`, {
        traceId,
        observationId,
        name: name.trim(),
        value: numeric ? Number(value) : value.trim(),
        dataType: numeric ? 'NUMERIC' : 'CATEGORICAL',
        comment: comment.trim() || undefined,
      });
      setName('');
      setValue('');
      setComment('');
      onAdded();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="score-form" onSubmit={(e) => void submit(e)} aria-label="Add score">
      <input name="scoreName" required placeholder="Score name" value={name} onChange={(e) => setName(e.target.value)} />
      <input name="scoreValue" required placeholder="Value (number or label)" value={value} onChange={(e) => setValue(e.target.value)} />
      <input name="scoreComment" placeholder="Comment" value={comment} onChange={(e) => setComment(e.target.value)} />
      <button type="submit" disabled={busy}>
        Add score
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
