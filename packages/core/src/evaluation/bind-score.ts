import type { ScoreChange } from '../ingestion/entity-event.js';
import type { ScoreBody } from '../ingestion/event-schemas.js';
import type { ScoreConfigRecord } from './score-config.js';

/** A score bound to its config: the change to store, or the rule it breaks (`field: rule`). */
export type BoundScore = { ok: true; change: ScoreChange } | { ok: false; error: string };

const TEXT_MAX = 500;

/**
 * Checks a score that names a config against it and gives the score the config's name and data
 * type (a score without `dataType` takes the config's). A categorical score is sent as one of the
 * config's labels and stores that category's value; a boolean one stores `True`/`False`.
 * Langfuse runs the same checks after acknowledging the event and drops the score silently;
 * Sightline runs them before the commit, so the client learns why (docs/compatibility.md §11).
 */
export function bindScoreToConfig(body: ScoreBody, change: ScoreChange, config: ScoreConfigRecord): BoundScore {
  const fail = (error: string): BoundScore => ({ ok: false, error });
  const where = `score config '${config.name}' (${config.id})`;
  if (body.dataType != null && body.dataType !== config.dataType) {
    return fail(`dataType: ${body.dataType} does not match the ${config.dataType} data type of ${where}`);
  }
  if (config.isArchived) return fail(`configId: ${where} is archived; new scores cannot use it until it is restored`);
  const v = body.value;
  const base = { ...change, name: config.name, dataType: config.dataType };
  switch (config.dataType) {
    case 'NUMERIC': {
      if (typeof v !== 'number') return fail(`value: ${where} is NUMERIC and needs a number`);
      if (config.minValue !== null && v < config.minValue) return fail(`value: ${v} is below the minValue ${config.minValue} of ${where}`);
      if (config.maxValue !== null && v > config.maxValue) return fail(`value: ${v} is above the maxValue ${config.maxValue} of ${where}`);
      return { ok: true, change: { ...base, value: v, stringValue: null } };
    }
    case 'BOOLEAN': {
      if (v !== 0 && v !== 1) return fail(`value: ${where} is BOOLEAN and needs 0 or 1`);
      return { ok: true, change: { ...base, value: v, stringValue: v === 1 ? 'True' : 'False' } };
    }
    case 'CATEGORICAL': {
      const categories = config.categories ?? [];
      const hit = typeof v === 'string' ? categories.find((c) => c.label === v) : undefined;
      if (!hit) {
        const labels = categories.map((c) => JSON.stringify(c.label)).join(', ');
        return fail(`value: ${JSON.stringify(v)} is not a category of ${where}; expected one of the labels ${labels}`);
      }
      return { ok: true, change: { ...base, value: hit.value, stringValue: hit.label } };
    }
    case 'TEXT': {
      if (typeof v !== 'string' || v.length < 1 || v.length > TEXT_MAX) return fail(`value: ${where} is TEXT and needs a string of 1 to ${TEXT_MAX} characters`);
      return { ok: true, change: { ...base, value: 0, stringValue: v } };
    }
  }
}
