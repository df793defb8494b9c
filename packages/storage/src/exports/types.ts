export const EXPORT_FREQUENCIES = ['hourly', 'daily'] as const;
export type ExportFrequency = (typeof EXPORT_FREQUENCIES)[number];
export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What an admin sets for a project's scheduled export. */
export interface ExportScheduleSettings {
  frequency: ExportFrequency;
  /** Always holds `jsonl`; `csv` is optional. */
  formats: ExportFormat[];
  enabled: boolean;
}

/** A project's scheduled export: its settings, where the last run stopped, and the run lease. */
export interface ExportSchedule extends ExportScheduleSettings {
  projectId: string;
  /** The event-log position (`events.seq`) the last successful run exported up to; 0 before the first run. */
  watermarkSeq: number;
  /** The end (epoch ms) of the last exported window; null before the first run. */
  watermarkAt: number | null;
  nextRunAt: number;
  leaseOwner: string | null;
  leaseUntil: number | null;
  lastRunAt: number | null;
  lastStatus: 'ok' | 'error' | null;
  lastError: string | null;
  /** Blob keys the last successful run wrote (empty when it found nothing new). */
  lastObjectKeys: string[];
  lastTraceCount: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A successful run, as recorded by `succeed`. */
export interface ExportRunResult {
  at: number;
  watermarkSeq: number;
  watermarkAt: number;
  nextRunAt: number;
  objectKeys: string[];
  traceCount: number;
}

/** One page of the event log's changes to a project's traces. */
export interface TraceChangePage {
  /** Distinct ids of traces whose trace, observations or scores had events in the page. */
  traceIds: string[];
  /** The last event-log position read; the next page starts after it. */
  lastSeq: number;
  /** True when the page reached `toSeq`. */
  done: boolean;
}
