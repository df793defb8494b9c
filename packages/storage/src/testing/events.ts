import { toEntityEvent, validateEvent, type EntityEvent } from '@sightline/core';
import type { IngestItem } from '../types.js';

/** A raw ingestion event as a client sends it. */
export interface RawEvent {
  id: string;
  type: string;
  timestamp: string;
  body: Record<string, unknown>;
}

let seq = 0;

/**
 * A raw event with a unique envelope id (unless `id` is given). `at` is the envelope time, as
 * an ISO string or epoch ms.
 *
 * @example
 * rawEvent('trace-create', { id: 't1', name: 'chat' }, '2024-01-01T00:00:00.000Z')
 */
export function rawEvent(type: string, body: Record<string, unknown>, at: string | number, id = `evt-${++seq}`): RawEvent {
  return { id, type, timestamp: typeof at === 'number' ? new Date(at).toISOString() : at, body };
}

/** Validates raw events into one `IngestItem` the way the ingestion endpoint does; throws on an invalid event. */
export function ingestItem(projectId: string, raws: RawEvent[]): IngestItem {
  const events: EntityEvent[] = [];
  const raw: string[] = [];
  for (const r of raws) {
    const v = validateEvent(r);
    if (!v.ok) throw new Error(`invalid test event ${v.id}: ${v.error}`);
    const e = toEntityEvent(v.event);
    if (!e) continue;
    events.push(e);
    raw.push(JSON.stringify(r));
  }
  return { projectId, events, raw };
}
