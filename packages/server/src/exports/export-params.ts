import { EXPORT_FORMATS, type ExportFormat, type TraceFilters } from '@sightline/storage';
import type { z } from 'zod';
import { enumParam } from '../query/parse-params.js';
import { traceListParams } from '../query/trace-list.js';

/** `format` of the export routes: jsonl (default) or csv. */
export const formatParam = enumParam(EXPORT_FORMATS).transform((f): ExportFormat => f ?? 'jsonl');

/** GET /api/public/export/traces: `format` and the filters of GET /api/public/traces (no paging, sorting or field groups). */
export const exportTraceParams = traceListParams
  .pick({ userId: true, name: true, sessionId: true, fromTimestamp: true, toTimestamp: true, tags: true, version: true, release: true, environment: true, filter: true })
  .extend({ format: formatParam });

export function exportFilters(p: z.output<typeof exportTraceParams>): TraceFilters {
  const { format: _format, ...filters } = p;
  return filters;
}

/** `sightline-traces-<project>-<UTC time>.<ext>`: a name that sorts by time and says what it holds. */
export function exportFileName(projectId: string, format: ExportFormat, at: number): string {
  const stamp = new Date(at).toISOString().replace(/[:.]/g, '-');
  return `sightline-traces-${projectId.replace(/[^A-Za-z0-9_-]/g, '_')}-${stamp}.${format}`;
}
