import { badRequest } from '@sightline/core';

export interface ParsedSort<F extends string> {
  field: F;
  direction: 'asc' | 'desc';
  /** For `score:<name>`: the score name. */
  scoreName?: string;
}

/**
 * A list's `sort` query parameter: `<field>.<asc|desc>`, where `field` is one of `fields`, or
 * `score:<name>` when `fields` holds `score` (the name may contain dots: the direction is after
 * the last one). Anything else is a 400 naming the field and the accepted ones.
 */
export function parseSort<const F extends string>(text: string | undefined, fields: readonly F[], fallback: ParsedSort<F>): ParsedSort<F> {
  if (text === undefined || text === '') return fallback;
  const dot = text.lastIndexOf('.');
  const field = dot < 0 ? text : text.slice(0, dot);
  const direction = dot < 0 ? '' : text.slice(dot + 1);
  const accepted = fields.map((f) => (f === 'score' ? 'score:<name>' : f)).join(', ');
  if (direction !== 'asc' && direction !== 'desc') throw badRequest(`sort: must be <field>.asc or <field>.desc; got ${JSON.stringify(text)}`);
  if (field.startsWith('score:') && (fields as readonly string[]).includes('score')) {
    const scoreName = field.slice('score:'.length);
    if (scoreName === '') throw badRequest('sort: score:<name> needs a score name');
    return { field: 'score' as F, direction, scoreName };
  }
  if (field === 'score' || !(fields as readonly string[]).includes(field)) {
    throw badRequest(`sort: cannot sort by ${JSON.stringify(field)}; sortable fields are ${accepted}`);
  }
  return { field: field as F, direction };
}
