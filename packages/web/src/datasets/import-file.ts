/*
 * Reading an import file in the browser: CSV (RFC 4180: quoted fields, doubled quotes, line
 * breaks inside quotes) or JSON Lines, into rows of named columns; then a column mapping turns
 * the rows into dataset items. Nothing here touches the DOM.
 */

export type Row = Record<string, unknown>;

export interface ParsedFile {
  columns: string[];
  rows: Row[];
}

/** Where a column's values go; `ignore` drops the column. */
export const TARGETS = ['ignore', 'input', 'expectedOutput', 'metadata', 'id'] as const;
export type Target = (typeof TARGETS)[number];
export type Mapping = Record<string, Target>;

/** Fields of a CSV text, row by row. */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => r.length > 1 || r[0] !== '');
}

/** A CSV file whose first row names the columns. */
export function parseCsv(text: string): ParsedFile {
  const [header, ...records] = csvRecords(text.replace(/^\uFEFF/, ''));
  if (!header) return { columns: [], rows: [] };
  const columns = header.map((h, i) => h.trim() || `column ${i + 1}`);
  const rows = records.map((r) => {
    const row: Row = {};
    columns.forEach((c, i) => Object.defineProperty(row, c, { value: r[i] ?? '', enumerable: true, writable: true, configurable: true }));
    return row;
  });
  return { columns, rows };
}

/** JSON Lines: one JSON object a line; the columns are their keys. A line that is not an object is an error naming its number. */
export function parseJsonl(text: string): ParsedFile {
  const rows: Row[] = [];
  const columns = new Set<string>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`line ${i + 1}: is not valid JSON`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`line ${i + 1}: must be a JSON object`);
    for (const k of Object.keys(value)) columns.add(k);
    rows.push(value as Row);
  });
  return { columns: [...columns], rows };
}

export const parseFile = (name: string, text: string): ParsedFile => (/\.jsonl?$|\.ndjson$/i.test(name) ? parseJsonl(text) : parseCsv(text));

/** A first guess at the mapping from the column names Langfuse exports and common test sets use. */
export function guessMapping(columns: string[]): Mapping {
  const out: Mapping = {};
  for (const c of columns) {
    const k = c.toLowerCase().replace(/[^a-z]/g, '');
    const target: Target =
      k === 'input' || k === 'question' || k === 'prompt' ? 'input'
      : k === 'expectedoutput' || k === 'expected' || k === 'answer' || k === 'output' ? 'expectedOutput'
      : k === 'metadata' ? 'metadata'
      : k === 'id' ? 'id'
      : 'ignore';
    Object.defineProperty(out, c, { value: target, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A CSV cell holding a JSON object or array becomes that value; any other cell stays text. */
function cellValue(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return v;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return v;
  }
}

export interface ImportItem {
  id?: string;
  input?: unknown;
  expectedOutput?: unknown;
  metadata?: unknown;
}

/**
 * The items of the rows under `mapping`: one column mapped to a field gives the field that
 * column's value; several give an object keyed by their names. Empty cells are left out.
 */
export function toItems(file: ParsedFile, mapping: Mapping): ImportItem[] {
  const byTarget = new Map<Exclude<Target, 'ignore'>, string[]>();
  for (const c of file.columns) {
    const t = Object.hasOwn(mapping, c) ? mapping[c] : 'ignore';
    if (t !== 'ignore') byTarget.set(t, [...(byTarget.get(t) ?? []), c]);
  }
  return file.rows.map((row) => {
    const item: ImportItem = {};
    for (const [target, cols] of byTarget) {
      const present = cols.filter((c) => Object.hasOwn(row, c) && row[c] !== '' && row[c] !== undefined && row[c] !== null);
      if (present.length === 0) continue;
      if (target === 'id') item.id = String(row[present[0]]);
      else if (cols.length === 1) item[target] = cellValue(row[present[0]]);
      else item[target] = Object.fromEntries(present.map((c) => [c, cellValue(row[c])]));
    }
    return item;
  });
}

/** Splits items into request-sized chunks: at most `count` items and about `bytes` of JSON each. */
export function chunkItems(items: ImportItem[], count: number, bytes: number): ImportItem[][] {
  const out: ImportItem[][] = [];
  let chunk: ImportItem[] = [];
  let size = 0;
  for (const item of items) {
    const n = JSON.stringify(item).length;
    if (chunk.length > 0 && (chunk.length >= count || size + n > bytes)) {
      out.push(chunk);
      chunk = [];
      size = 0;
    }
    chunk.push(item);
    size += n;
  }
  if (chunk.length > 0) out.push(chunk);
  return out;
}
