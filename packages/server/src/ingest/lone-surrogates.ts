/**
 * Lone UTF-16 surrogates (`"\ud800"` in JSON) are valid in a JavaScript string but not in
 * PostgreSQL's jsonb: one stored in metadata makes every jsonb query over the project's rows
 * fail. They are replaced with U+FFFD, as a UTF-8 decoder does with invalid bytes.
 */

/** JSON.stringify escapes exactly the lone surrogates as `\udXXX` (paired ones stay raw), so this finds them in its output. */
const ESCAPED_SURROGATE = /\\u[dD][89abcdefABCDEF][0-9a-fA-F]{2}/;
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Whether `json` (JSON.stringify output) may hold a lone surrogate; false means it certainly does not. */
export const mayHoldLoneSurrogate = (json: string): boolean => ESCAPED_SURROGATE.test(json);

/** `value` with every lone surrogate in its strings and keys replaced by U+FFFD. */
export function replaceLoneSurrogates(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(LONE, '\uFFFD');
  if (Array.isArray(value)) return value.map(replaceLoneSurrogates);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // defineProperty, not assignment: a `__proto__` key from JSON must stay a plain own property.
    Object.defineProperty(out, k.replace(LONE, '\uFFFD'), { value: replaceLoneSurrogates(v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
