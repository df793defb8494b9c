import type { TraceDocument } from './trace-documents.js';

/**
 * CSV (RFC 4180) of exported traces, one row per trace. Text cells that a spreadsheet would run
 * as a formula (starting with = + - @, or a tab or carriage return) get a leading `'`; numbers
 * are written as numbers and never prefixed.
 */
export const CSV_COLUMNS = [
  'id', 'timestamp', 'name', 'userId', 'sessionId', 'release', 'version', 'environment', 'tags', 'input', 'output', 'metadata',
  'latency', 'totalCost', 'inputTokens', 'outputTokens', 'totalTokens', 'observationCount', 'scores',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: quoted when it holds a comma, quote or line break; formula-like text defused. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Text as is, anything else (objects, arrays, numbers, booleans) as JSON; null stays empty. */
const asText = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));

/** Scores by name, each name's values in timestamp order: numeric and boolean scores give `value`, categorical ones `stringValue`. */
function scoresByName(doc: TraceDocument): string {
  const out: Record<string, (number | string | null)[]> = {};
  for (const s of doc.scores) {
    const v = s.dataType === 'CATEGORICAL' ? (s.stringValue ?? null) : s.value;
    if (Object.hasOwn(out, s.name)) out[s.name].push(v);
    else Object.defineProperty(out, s.name, { value: [v], enumerable: true, writable: true, configurable: true });
  }
  return JSON.stringify(out);
}

/** The row of one trace, in `CSV_COLUMNS` order. */
export function csvRow(doc: TraceDocument): string {
  let input = 0;
  let output = 0;
  let total = 0;
  for (const o of doc.observations) {
    input += o.usage.input;
    output += o.usage.output;
    total += o.usage.total;
  }
  const cells: (string | number | null)[] = [
    doc.id, doc.timestamp, doc.name, doc.userId, doc.sessionId, doc.release, doc.version, doc.environment,
    JSON.stringify(doc.tags), asText(doc.input), asText(doc.output), JSON.stringify(doc.metadata ?? {}),
    doc.latency, doc.totalCost, input, output, total, doc.observations.length, scoresByName(doc),
  ];
  return `${cells.map(csvField).join(',')}\r\n`;
}

export const csvHeader = (): string => `${CSV_COLUMNS.join(',')}\r\n`;
