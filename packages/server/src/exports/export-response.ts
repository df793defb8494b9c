import type { TraceRecord } from '@sightline/core';
import type { ExportFormat, Storage } from '@sightline/storage';
import type { Logger } from '../logger.js';
import { CONTENT_TYPES, encodeExport } from './encode-export.js';
import { exportFileName } from './export-params.js';
import { streamBody } from './stream-body.js';
import { traceDocuments } from './trace-documents.js';

/** The streamed download of an export; `total` (when known) goes in `X-Total-Count` for progress. */
export function exportResponse(
  storage: Storage,
  logger: Logger,
  projectId: string,
  format: ExportFormat,
  pages: AsyncIterable<TraceRecord[]>,
  total: number | null,
): Response {
  const body = streamBody(encodeExport(traceDocuments(storage, projectId, pages), format), (err) => {
    logger.error('export failed mid-stream', { projectId, error: String(err) });
  });
  const headers = new Headers({
    'content-type': CONTENT_TYPES[format],
    'content-disposition': `attachment; filename="${exportFileName(projectId, format, Date.now())}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  if (total !== null) headers.set('x-total-count', String(total));
  return new Response(body, { status: 200, headers });
}
