import { toEntityEvent, validateEvent, valueRangeError, type EntityEvent } from '@sightline/core';
import type { AccessLevel } from '../http/app-env.js';
import { fieldLimitError } from './field-limits.js';
import { mayHoldLoneSurrogate, replaceLoneSurrogates } from './lone-surrogates.js';
import { bindScoreRefs, type ScoreRefs } from './score-refs.js';

export interface EventSuccess {
  id: string;
  status: 201;
}
export interface EventError {
  id: string;
  status: number;
  message?: string;
  error?: string;
}

export interface ProcessedBatch {
  events: EntityEvent[];
  raw: string[];
  successes: EventSuccess[];
  errors: EventError[];
}

/** Event types a Bearer public key (access level "scores") may send. */
const SCORE_ACCESS_TYPES = new Set(['score-create', 'sdk-log']);

/**
 * Validates each event on its own: a bad event becomes an entry in `errors` and the others go
 * on. Valid events are turned into entity events ready for the commit; `sdk-log` events are
 * acknowledged and not stored. A score naming a config or queue is checked against `refs`
 * (see `loadScoreRefs`; a name missing from them is unknown) and takes its config's name and type.
 * `texts`, when given, holds each event's JSON text as sent (`JSON.parse(texts[i])` is `batch[i]`):
 * the event log keeps that text rather than the event serialised again.
 */
export function processBatch(batch: unknown[], access: AccessLevel, refs: ScoreRefs, texts?: readonly string[] | null): ProcessedBatch {
  const out: ProcessedBatch = { events: [], raw: [], successes: [], errors: [] };
  for (let i = 0; i < batch.length; i++) {
    const received = batch[i];
    let raw = received;
    let text = texts?.[i] ?? JSON.stringify(raw) ?? 'null';
    if (mayHoldLoneSurrogate(text)) {
      raw = replaceLoneSurrogates(raw);
      text = JSON.stringify(raw);
    }
    const v = validateEvent(raw);
    if (!v.ok) {
      out.errors.push({ id: v.id, status: 400, message: v.message, error: v.error });
      continue;
    }
    const outOfLimits = fieldLimitError(v.event.id, v.event.body) ?? valueRangeError(v.event);
    if (outOfLimits) {
      out.errors.push({ id: v.event.id, status: 400, message: 'Invalid request data', error: outOfLimits });
      continue;
    }
    if (access === 'scores' && !SCORE_ACCESS_TYPES.has(v.event.type)) {
      out.errors.push({ id: v.event.id, status: 401, message: 'Authentication error', error: 'Access Scope Denied' });
      continue;
    }
    let entity = toEntityEvent(v.event);
    if (v.event.type === 'score-create' && entity?.kind === 'score') {
      const bound = bindScoreRefs(v.event.body, entity.change, refs);
      if (!bound.ok) {
        out.errors.push({ id: v.event.id, status: 400, message: 'Invalid request data', error: bound.error });
        continue;
      }
      entity = { ...entity, change: bound.change };
      // The log keeps the config's name and type, so a rebuild from it names the score as stored.
      if (bound.config) {
        const sent = raw as { body: Record<string, unknown> };
        text = JSON.stringify({ ...sent, body: { ...sent.body, name: bound.change.name, dataType: bound.change.dataType } });
      }
    }
    if (entity) {
      out.events.push(entity);
      out.raw.push(text);
    }
    out.successes.push({ id: v.event.id, status: 201 });
  }
  return out;
}
