import { parseId } from './otlp-values.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

const MAX_REASONS = 5;
const HINT =
  'Typical causes: an OTLP logs or metrics payload sent to the traces endpoint, or attributes sent as a {key: value} object instead of a list of {key, value} pairs.';

/** Byte lengths OTLP prescribes for ids. */
const ID_BYTES = { traceId: 16, spanId: 8, parentSpanId: 8 } as const;

/**
 * Why an id cannot be used, or null when it can. Bytes must have the OTLP length (this catches
 * log records decoded as spans); an all-hex string must spell that many bytes; other strings are
 * passed through as Langfuse does.
 */
export function idProblem(v: unknown, field: keyof typeof ID_BYTES): string | null {
  if (v === undefined || v === null || v === '') return 'is absent';
  const id = parseId(v);
  if (id === undefined) return 'is not a hex string or bytes';
  const expected = ID_BYTES[field] * 2;
  if (/^[0-9a-fA-F]+$/.test(id) && id.length !== expected) return `must be ${expected} hex characters (${ID_BYTES[field]} bytes); got ${id.length}`;
  return null;
}

function notArray(v: unknown): boolean {
  return v !== undefined && v !== null && !Array.isArray(v);
}

/** Problems of one span, each naming the field and the rule. */
function spanProblems(span: unknown): string[] {
  if (!isObject(span)) return ['is not an object'];
  const problems: string[] = [];
  for (const field of ['traceId', 'spanId'] as const) {
    const p = idProblem(span[field], field);
    if (p) problems.push(`${field} ${p}`);
  }
  const parent = span.parentSpanId;
  if (parent !== undefined && parent !== null && parent !== '' && !(parent instanceof Uint8Array && parent.length === 0)) {
    const p = idProblem(parent, 'parentSpanId');
    if (p) problems.push(`parentSpanId ${p}`);
  }
  if (notArray(span.attributes)) problems.push('attributes must be a list of {key, value} pairs');
  if (notArray(span.events)) problems.push('events must be an array');
  else if (Array.isArray(span.events) && span.events.some((e) => isObject(e) && notArray(e.attributes))) {
    problems.push('events[].attributes must be a list of {key, value} pairs');
  }
  return problems;
}

/**
 * Checks the shape of a decoded export before anything is mapped. Any problem rejects the
 * whole export (as Langfuse does), so a client never gets a partial write it cannot see.
 * Returns the error message, or null when the export can be processed.
 */
export function validateExport(resourceSpans: unknown[]): string | null {
  let total = 0;
  const invalid: string[] = [];
  for (const [r, resourceSpan] of resourceSpans.entries()) {
    if (resourceSpan === null || resourceSpan === undefined) continue;
    const where = `resourceSpans[${r}]`;
    if (!isObject(resourceSpan)) return `Invalid OTLP trace export: ${where} must be an object`;
    if (isObject(resourceSpan.resource) && notArray(resourceSpan.resource.attributes)) {
      return `Invalid OTLP trace export: ${where}.resource.attributes must be a list of {key, value} pairs. ${HINT}`;
    }
    if (notArray(resourceSpan.scopeSpans)) return `Invalid OTLP trace export: ${where}.scopeSpans must be an array. ${HINT}`;
    for (const [s, scopeSpan] of ((resourceSpan.scopeSpans as unknown[] | undefined) ?? []).entries()) {
      if (scopeSpan === null || scopeSpan === undefined) continue;
      const scopeWhere = `${where}.scopeSpans[${s}]`;
      if (!isObject(scopeSpan)) return `Invalid OTLP trace export: ${scopeWhere} must be an object`;
      if (isObject(scopeSpan.scope) && notArray(scopeSpan.scope.attributes)) {
        return `Invalid OTLP trace export: ${scopeWhere}.scope.attributes must be a list of {key, value} pairs. ${HINT}`;
      }
      if (notArray(scopeSpan.spans)) return `Invalid OTLP trace export: ${scopeWhere}.spans must be an array. ${HINT}`;
      for (const [i, span] of ((scopeSpan.spans as unknown[] | undefined) ?? []).entries()) {
        total++;
        const problems = spanProblems(span);
        if (problems.length > 0) invalid.push(`${scopeWhere}.spans[${i}]: ${problems.join(', ')}`);
      }
    }
  }
  if (invalid.length === 0) return null;
  const shown = invalid.slice(0, MAX_REASONS).join('; ');
  const more = invalid.length > MAX_REASONS ? ` (and ${invalid.length - MAX_REASONS} more)` : '';
  return `Invalid OTLP trace export: ${invalid.length} of ${total} span(s) cannot be processed: ${shown}${more}. ${HINT}`;
}
