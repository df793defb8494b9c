import type { ExportFormat } from '@sightline/storage';
import { csvHeader, csvRow } from './csv.js';
import type { TraceDocument } from './trace-documents.js';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** What an export reports as it goes: traces written so far. */
export type ExportProgress = (rowsDone: number) => void;

/**
 * The export file as text chunks, one per page: JSONL (one `GET /traces/{id}` body per line,
 * docs/compatibility.md §14) or CSV (a header, then one row per trace). A CSV of no traces is its header.
 */
export async function* encodeExport(pages: AsyncIterable<TraceDocument[]>, format: ExportFormat, onProgress?: ExportProgress): AsyncGenerator<string> {
  let done = 0;
  if (format === 'csv') yield csvHeader();
  for await (const docs of pages) {
    let chunk = '';
    for (const doc of docs) chunk += format === 'csv' ? csvRow(doc) : `${JSON.stringify(doc)}\n`;
    done += docs.length;
    onProgress?.(done);
    yield chunk;
  }
}
