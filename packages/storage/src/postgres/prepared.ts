/**
 * Statement texts that PostgreSQL connections keep prepared: generic code marks a text whose
 * wording does not depend on its data (bulk-sql.ts: one array parameter per column, not one
 * parameter per value) with `preparable`, and the driver then sends it as a named statement —
 * parsed and planned once per connection instead of on every execution. A text gets a name
 * once and keeps it for the life of the process; at most MAX_PREPARED texts are named (more
 * would mean a caller marks texts that vary, and each connection would keep them all).
 */
const MAX_PREPARED = 500;

export interface Prepared {
  /** The statement's name on every connection. */
  name: string;
  /** The text with `$n` placeholders. */
  text: string;
}

const named = new Map<string, Prepared | null>();
let count = 0;

/** Marks `sql` (with `?` placeholders) as worth preparing; returns it unchanged. */
export function preparable(sql: string): string {
  if (!named.has(sql) && named.size < MAX_PREPARED) named.set(sql, null);
  return sql;
}

/** Whether `sql` was marked preparable. */
export function isPreparable(sql: string): boolean {
  return named.has(sql);
}

/** The name and positional text of a marked statement (`positional` rewrites the placeholders, once), or undefined. */
export function preparedOf(sql: string, positional: (sql: string) => string): Prepared | undefined {
  const p = named.get(sql);
  // undefined: never marked; null: marked, not named yet.
  if (p !== null) return p;
  const made = { name: `sl_prepared_${count++}`, text: positional(sql) };
  named.set(sql, made);
  return made;
}

