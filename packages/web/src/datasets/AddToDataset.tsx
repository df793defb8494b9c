import { useState } from 'react';
import { Link } from 'wouter';
import { useFetch } from '../use-fetch.js';
import type { DatasetListResponse } from '../types.js';
import { ItemEditor } from './ItemEditor.js';
import { parseStored, useCanWriteDatasets } from './json-text.js';

/**
 * "Add to dataset" on a trace or an observation: its input and output prefill a new item's input
 * and expected output (editable), linked back to the trace and observation it came from.
 */
export function AddToDataset({ projectId, traceId, observationId, input, output }: {
  projectId: string;
  traceId: string;
  observationId?: string;
  input: string | null;
  output: string | null;
}) {
  const canWrite = useCanWriteDatasets(projectId);
  const [open, setOpen] = useState(false);
  const [datasetId, setDatasetId] = useState('');
  const [added, setAdded] = useState<{ datasetId: string; itemId: string } | null>(null);
  const datasets = useFetch<DatasetListResponse>(open ? `/projects/${projectId}/datasets?limit=100` : null);
  if (!canWrite) return null;
  if (!open) {
    return (
      <div className="add-to-dataset">
        <button type="button" onClick={() => setOpen(true)}>
          Add to dataset
        </button>
        {added && (
          <span className="muted small">
            {' '}
            Added as item <Link href={`/p/${projectId}/datasets/${added.datasetId}`}>{added.itemId}</Link>
          </span>
        )}
      </div>
    );
  }
  const list = datasets.data?.data ?? [];
  return (
    <section className="card add-to-dataset" aria-label="Add to dataset">
      <h3>Add to dataset</h3>
      {datasets.data && list.length === 0 && (
        <p className="muted">
          No datasets yet: <Link href={`/p/${projectId}/datasets`}>create one</Link> first.
        </p>
      )}
      <ItemEditor
        projectId={projectId}
        datasetId={datasetId}
        draft={{ input: parseStored(input), expectedOutput: parseStored(output), sourceTraceId: traceId, sourceObservationId: observationId }}
        onSaved={(item) => {
          setAdded({ datasetId, itemId: item.id });
          setOpen(false);
        }}
        onCancel={() => setOpen(false)}
      >
        <label>
          Dataset
          <select aria-label="Dataset" value={datasetId} onChange={(e) => setDatasetId(e.target.value)} required>
            <option value="" disabled>
              Choose a dataset
            </option>
            {list.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      </ItemEditor>
    </section>
  );
}
