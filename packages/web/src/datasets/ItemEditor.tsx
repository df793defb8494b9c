import { useState, type FormEvent, type ReactNode } from 'react';
import { FormError } from '../components/FormError.js';
import { api, ApiError } from '../api.js';
import type { DatasetItemResponse, DatasetItemView } from '../types.js';
import { fromEditText, toEditText } from './json-text.js';

export interface ItemDraft {
  id?: string;
  input?: unknown;
  expectedOutput?: unknown;
  metadata?: unknown;
  sourceTraceId?: string | null;
  sourceObservationId?: string | null;
}

const FIELDS = [
  ['input', 'Input'],
  ['expectedOutput', 'Expected output'],
  ['metadata', 'Metadata'],
] as const;

/**
 * Creates or edits a dataset item. Each field is JSON, or plain text (saved as a string);
 * the server checks the dataset's schemas and answers a 400 naming the field, shown here.
 */
export function ItemEditor({ projectId, datasetId, draft, onSaved, onCancel, children }: {
  projectId: string;
  datasetId: string;
  draft: ItemDraft;
  onSaved(item: DatasetItemView): void;
  onCancel?(): void;
  children?: ReactNode;
}) {
  const [texts, setTexts] = useState(() => ({ input: toEditText(draft.input), expectedOutput: toEditText(draft.expectedOutput), metadata: toEditText(draft.metadata) }));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!datasetId) return setError('Pick a dataset first');
    setBusy(true);
    setError(null);
    try {
      const body = {
        id: draft.id,
        input: fromEditText(texts.input),
        expectedOutput: fromEditText(texts.expectedOutput),
        metadata: fromEditText(texts.metadata),
        sourceTraceId: draft.sourceTraceId,
        sourceObservationId: draft.sourceObservationId,
      };
      const { item } = await api.post<DatasetItemResponse>(`/projects/${projectId}/datasets/${datasetId}/items`, body);
      onSaved(item);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="item-editor" aria-label={draft.id ? 'Edit item' : 'New item'} onSubmit={(e) => void submit(e)}>
      {children}
      {FIELDS.map(([key, label]) => (
        <label key={key}>
          {label}
          <textarea name={key} rows={key === 'metadata' ? 2 : 4} value={texts[key]} onChange={(e) => setTexts({ ...texts, [key]: e.target.value })} />
        </label>
      ))}
      <p className="muted small">JSON, or plain text (saved as a string). Empty is none.</p>
      <div className="head-actions">
        <button type="submit" className="primary" disabled={busy}>
          {draft.id ? 'Save item' : 'Add item'}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      <FormError error={error} />
    </form>
  );
}
