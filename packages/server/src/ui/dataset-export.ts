import type { DatasetItem } from '@sightline/storage';

/** Export formats of a dataset's items; the same columns as an import maps. */
export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const record = (i: DatasetItem) => ({ id: i.id, status: i.status, input: i.input, expectedOutput: i.expectedOutput, metadata: i.metadata, sourceTraceId: i.sourceTraceId, sourceObservationId: i.sourceObservationId });
const COLUMNS = ['id', 'status', 'input', 'expectedOutput', 'metadata', 'sourceTraceId', 'sourceObservationId'] as const;

/** A CSV field: JSON for structured values and plain text for strings, quoted when it holds a quote, comma or line break. */
function csvField(v: unknown): string {
  const text = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  // A leading =, +, - or @ would run as a formula when the file is opened in a spreadsheet (a negative number stays as it is).
  const safe = /^[=+@\t\r]|^-(?!\d)/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The lines of the export (a header first for CSV), each ending in a newline. */
export function exportLines(items: DatasetItem[], format: ExportFormat, header: boolean): string {
  if (format === 'jsonl') return items.map((i) => `${JSON.stringify(record(i))}\n`).join('');
  const rows = items.map((i) => {
    const r = record(i);
    return `${COLUMNS.map((c) => csvField(r[c])).join(',')}\r\n`;
  });
  return (header ? `${COLUMNS.join(',')}\r\n` : '') + rows.join('');
}
