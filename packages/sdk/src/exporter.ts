import { SightlineError } from './errors.js';
import { isRetryableStatus } from './retry.js';
import type { Transport } from './transport.js';
import type { IngestionResponse } from './types.js';

/** What became of a batch: delivered (possibly with per-event rejections), worth trying later, or given up. */
export type ExportResult = 'delivered' | 'retry-later' | 'dropped';

/** Sends batches of already-serialised ingestion events. */
export interface Exporter {
  export(items: string[], signal?: AbortSignal): Promise<ExportResult>;
}

/** Options of {@link createIngestionExporter}. */
export interface IngestionExporterOptions {
  transport: Transport;
  onError: (error: SightlineError) => void;
  /** Sent as the batch's `metadata` next to `batch_size`, as the official SDKs do. */
  metadata?: Record<string, unknown>;
}

/**
 * The exporter for POST /api/public/ingestion. Events arrive already serialised, so a batch body
 * is a string join: each event is stringified exactly once, on the tracing call.
 * Per-event errors of a 207 go to `onError` and are never resent (the server judged the event,
 * not the connection); other failures are `retry-later` only when a retry could help.
 * @example
 * ```ts
 * const exporter = createIngestionExporter({ transport, onError: console.warn });
 * await exporter.export([JSON.stringify(event)]);
 * ```
 */
export function createIngestionExporter(options: IngestionExporterOptions): Exporter {
  const { transport, onError } = options;
  const metadata = JSON.stringify(options.metadata ?? {}).slice(1, -1);
  return {
    async export(items, signal) {
      const body = `{"batch":[${items.join(',')}],"metadata":{"batch_size":${items.length}${metadata ? `,${metadata}` : ''}}}`;
      let status: number;
      let text: string;
      try {
        ({ status, text } = await transport.send({ method: 'POST', path: '/api/public/ingestion', body, signal }));
      } catch (e) {
        // Aborted by shutdown() after its timeout: already reported as flush_timeout.
        if (signal?.aborted) return 'retry-later';
        const reason = e instanceof Error ? e.message : String(e);
        onError(new SightlineError('network', `ingestion request failed: ${reason}`, { events: items.length, cause: e }));
        return 'retry-later';
      }
      if (status >= 200 && status < 300) {
        reportRejected(text, onError);
        return 'delivered';
      }
      const parsed = parse(text);
      const retry = isRetryableStatus(status);
      const what = retry ? 'kept for a later attempt' : 'dropped';
      onError(new SightlineError('http', `ingestion answered ${status}; ${items.length} events ${what}`, { status, body: parsed, events: items.length }));
      return retry ? 'retry-later' : 'dropped';
    },
  };
}

function reportRejected(text: string, onError: (error: SightlineError) => void): void {
  const parsed = parse(text) as Partial<IngestionResponse> | undefined;
  if (!parsed || !Array.isArray(parsed.errors)) return;
  for (const e of parsed.errors) {
    const why = [e.message, e.error].filter(Boolean).join(': ');
    onError(new SightlineError('rejected_event', `event ${e.id} rejected with ${e.status}${why ? `: ${why}` : ''}`, { status: e.status, eventId: e.id, body: e }));
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
