import { useMemo, useState } from 'react';
import { FormError } from '../components/FormError.js';
import { api, ApiError } from '../api.js';
import type { DatasetImportResponse } from '../types.js';
import { chunkItems, guessMapping, parseFile, TARGETS, toItems, type Mapping, type ParsedFile, type Target } from './import-file.js';
import { previewText } from './json-text.js';

/** Matches the server's limits of one import request (500 items; the body limit with room to spare). */
const CHUNK_ITEMS = 500;
const CHUNK_BYTES = 4 * 1024 * 1024;
const TARGET_LABELS: Record<Target, string> = { ignore: 'ignore', input: 'input', expectedOutput: 'expected output', metadata: 'metadata', id: 'item id' };

/**
 * Imports a CSV or JSONL file: the file is read here, each column mapped to input, expected
 * output, metadata or the item id, and the items sent in chunks (each all or none) with progress.
 */
export function ImportPanel({ projectId, datasetId, onDone }: { projectId: string; datasetId: string; onDone(): void }) {
  const [file, setFile] = useState<ParsedFile | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const items = useMemo(() => (file ? toItems(file, mapping) : []), [file, mapping]);

  async function read(f: File | undefined) {
    setError(null);
    setProgress(null);
    if (!f) return setFile(null);
    try {
      const parsed = parseFile(f.name, await f.text());
      if (parsed.rows.length === 0) throw new Error('the file has no rows');
      setFile(parsed);
      setMapping(guessMapping(parsed.columns));
    } catch (err) {
      setFile(null);
      setError(`${f.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async function run() {
    const chunks = chunkItems(items, CHUNK_ITEMS, CHUNK_BYTES);
    let done = 0;
    setError(null);
    setProgress({ done, total: items.length });
    for (const chunk of chunks) {
      try {
        done += (await api.post<DatasetImportResponse>(`/projects/${projectId}/datasets/${datasetId}/items/import`, { items: chunk })).imported;
        setProgress({ done, total: items.length });
      } catch (err) {
        // Earlier chunks are stored; this one and the rest are not. The message names the row in the chunk.
        const message = err instanceof ApiError ? err.message : String(err);
        setError(`Stopped after ${done.toLocaleString()} of ${items.length.toLocaleString()} items (rows ${done + 1}–${done + chunk.length} not imported): ${message}`);
        return;
      }
    }
    onDone();
  }

  const mapped = Object.values(mapping).some((t) => t !== 'ignore');
  return (
    <section className="card import-panel" aria-label="Import items">
      <h3>Import items from CSV or JSONL</h3>
      <input type="file" aria-label="Import file" accept=".csv,.jsonl,.json,.ndjson,text/csv" onChange={(e) => void read(e.target.files?.[0])} />
      {file && (
        <>
          <table className="data mapping" aria-label="Column mapping">
            <thead>
              <tr>
                <th>Column</th>
                <th>Goes to</th>
                <th>First value</th>
              </tr>
            </thead>
            <tbody>
              {file.columns.map((c) => (
                <tr key={c}>
                  <td>{c}</td>
                  <td>
                    <select
                      aria-label={`Map column ${c}`}
                      value={Object.hasOwn(mapping, c) ? mapping[c] : 'ignore'}
                      onChange={(e) => setMapping({ ...mapping, ...Object.fromEntries([[c, e.target.value as Target]]) })}
                    >
                      {TARGETS.map((t) => (
                        <option key={t} value={t}>
                          {TARGET_LABELS[t]}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="preview">{previewText(Object.hasOwn(file.rows[0], c) ? file.rows[0][c] : '', 80)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">
            {file.rows.length.toLocaleString()} rows. Several columns mapped to one field become an object keyed by column name; cells holding JSON objects or arrays are parsed.
          </p>
          <button type="button" className="primary" disabled={!mapped || progress !== null} onClick={() => void run()}>
            Import {items.length.toLocaleString()} items
          </button>
        </>
      )}
      {progress && (
        <div className="import-progress">
          <progress aria-label="Import progress" value={progress.done} max={progress.total} />
          <span role="status">
            Imported {progress.done.toLocaleString()} of {progress.total.toLocaleString()}
          </span>
        </div>
      )}
      <FormError error={error} />
    </section>
  );
}
