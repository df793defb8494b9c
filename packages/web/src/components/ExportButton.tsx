import { useState } from 'react';

type Format = 'jsonl' | 'csv';

/** Lines (JSONL) or rows (CSV, minus its header) seen so far in a streamed download. */
function countRows(chunk: Uint8Array): number {
  let n = 0;
  for (const byte of chunk) if (byte === 10) n++;
  return n;
}

/**
 * Exports the traces the page shows (its filters, search and sort; every page, not just the
 * visible one) through `/api/ui/projects/:id/export/traces`. The download is read as a stream
 * so the button can show how many traces have arrived; the file is saved when it is complete.
 * (CSV fields may hold line breaks, so for CSV the count is approximate until the end.)
 */
export function ExportButton({ projectId, query }: { projectId: string; query: string }) {
  const [format, setFormat] = useState<Format>('jsonl');
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run() {
    setError(null);
    setProgress(0);
    try {
      const sep = query ? '&' : '?';
      const res = await fetch(`/api/ui/projects/${encodeURIComponent(projectId)}/export/traces${query}${sep}format=${format}`, { credentials: 'same-origin' });
      if (!res.ok || !res.body) {
        const body = (await res.json().catch(() => null)) as { message?: string } | null;
        throw new Error(body?.message ?? `${res.status} ${res.statusText}`);
      }
      const reader = res.body.getReader();
      const chunks: Uint8Array[] = [];
      let rows = format === 'csv' ? -1 : 0;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        chunks.push(value);
        rows += countRows(value);
        setProgress(Math.max(0, rows));
      }
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `traces.${format}`;
      const url = URL.createObjectURL(new Blob(chunks as BlobPart[], { type: res.headers.get('content-type') ?? 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setProgress(null);
    } catch (err) {
      setProgress(null);
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <span className="export-control">
      <select aria-label="Export format" value={format} onChange={(e) => setFormat(e.target.value as Format)} disabled={progress !== null}>
        <option value="jsonl">JSONL</option>
        <option value="csv">CSV</option>
      </select>
      <button type="button" onClick={() => void run()} disabled={progress !== null}>
        Export
      </button>
      {progress !== null && (
        <span className="export-progress" role="status">
          Exporting… {progress} traces
        </span>
      )}
      {error && (
        <span className="error" role="alert">
          Export failed: {error}
        </span>
      )}
    </span>
  );
}
