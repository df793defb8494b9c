import type { Paged } from '@sightline/storage';

/** Splits `items` into runs of at most `size`. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Reads page after page of a page-based storage query until every row is in or `cap` rows are,
 * for responses that embed an unpaginated list (a session's traces).
 */
export async function collectPages<T>(fetchPage: (page: number, limit: number) => Promise<Paged<T>>, pageSize: number, cap: number): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 1; rows.length < cap; page++) {
    const result = await fetchPage(page, pageSize);
    rows.push(...result.rows);
    if (result.rows.length < pageSize || rows.length >= result.totalItems) break;
  }
  return rows.slice(0, cap);
}
