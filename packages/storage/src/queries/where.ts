/** A piece of SQL with its bound parameters, in placeholder order. */
export interface Fragment {
  sql: string;
  params: unknown[];
}

/** Concatenates SQL text and fragments, keeping parameters in placeholder order. */
export function concat(...parts: (string | Fragment)[]): Fragment {
  const out: Fragment = { sql: '', params: [] };
  for (const p of parts) {
    if (typeof p === 'string') out.sql += p;
    else {
      out.sql += p.sql;
      out.params.push(...p.params);
    }
  }
  return out;
}

/** The parts of `a UNION ALL b UNION ALL …`, to pass to concat. */
export const joinArms = (arms: Fragment[]): (string | Fragment)[] => arms.flatMap((arm, i) => (i === 0 ? [arm] : [' UNION ALL ', arm]));

/** `?, ?, ?` for `n` values. */
export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** Splits `items` into runs of at most `size` (at least 1). */
export function chunks<T>(items: T[], size: number): T[][] {
  const step = Math.max(1, Math.floor(size));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += step) out.push(items.slice(i, i + step));
  return out;
}

/** Escapes LIKE wildcards so a user value matches literally (used with `ESCAPE '\'`). */
export const escapeLike = (v: string): string => v.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Collects AND-ed conditions and their parameters. Helpers skip conditions whose value is
 * absent, so query files read as a list of the filters they support.
 */
export class Where {
  private readonly parts: string[] = [];
  readonly params: unknown[] = [];

  /** Adds a raw condition; `params` must follow the order of its placeholders. */
  add(sql: string, ...params: unknown[]): this {
    this.parts.push(sql);
    this.params.push(...params);
    return this;
  }

  fragment(f: Fragment): this {
    return this.add(f.sql, ...f.params);
  }

  /** `column op ?` when `value` is defined. */
  cmp(column: string, op: '=' | '<' | '>' | '<=' | '>=' | '<>', value: unknown): this {
    return value === undefined ? this : this.add(`${column} ${op} ?`, value);
  }

  eq(column: string, value: unknown): this {
    return this.cmp(column, '=', value);
  }

  /** `column IN (...)` when `values` is non-empty. */
  in(column: string, values: readonly unknown[] | undefined): this {
    if (!values || values.length === 0) return this;
    return this.add(`${column} IN (${placeholders(values.length)})`, ...values);
  }

  /** `WHERE a AND b ...`, or an empty string. */
  get sql(): string {
    return this.parts.length === 0 ? '' : `WHERE ${this.parts.map((p) => `(${p})`).join(' AND ')}`;
  }
}

/** `LIMIT ? OFFSET ?` parameters of a 1-based page. */
export function pageParams(page: number, limit: number): [number, number] {
  return [limit, Math.max(0, (page - 1) * limit)];
}

/** EXISTS condition: the trace `traceRef` (an SQL expression) carries `tag`. */
export const hasTag = (projectRef: string, traceRef: string): string =>
  `EXISTS (SELECT 1 FROM trace_tags tt WHERE tt.project_id = ${projectRef} AND tt.trace_id = ${traceRef} AND tt.tag = ?)`;
