import type { EntityEvent } from '@sightline/core';

/** One accepted request's events, ready to be committed. `raw[i]` is the JSON text of `events[i]` as received. */
export interface IngestItem {
  projectId: string;
  events: EntityEvent[];
  raw: string[];
  /**
   * The events copy observations from another server (`sightline import`): their usage and cost
   * are kept as sent, never re-priced by this server's models (which may differ from the source's).
   */
  keepUsageAndCost?: boolean;
}

/** A filter condition of the `filter` query parameter (Langfuse's filter objects). */
export interface FilterCondition {
  type: 'datetime' | 'string' | 'number' | 'stringOptions' | 'arrayOptions' | 'stringObject' | 'numberObject' | 'boolean' | 'null';
  column: string;
  operator: string;
  value?: unknown;
  key?: string;
}

export interface Page {
  /** 1-based page number. */
  page: number;
  limit: number;
}

export interface Paged<T> {
  rows: T[];
  totalItems: number;
  /** `totalItems` is an estimate (a list counted exactly only up to a bound: queries/bounded-total.ts). */
  totalEstimated?: boolean;
}

export interface StorageCapabilities {
  /** Only one writer at a time (SQLite): writes are serialised in-process. */
  singleWriter: boolean;
  /** Several processes may share the database (PostgreSQL). */
  sharedByInstances: boolean;
}
