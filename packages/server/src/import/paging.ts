import type { SourceClient } from './source-client.js';

interface PageBody<T> {
  data: T[];
  meta?: { totalPages?: number; totalItems?: number };
}

/** Every row of a page-numbered Langfuse list (`page`, `limit` ≤ 100, `meta.totalPages`), page by page. */
export async function* allPages<T>(source: SourceClient, path: string, query: Record<string, string | number | undefined> = {}, limit = 100): AsyncGenerator<T> {
  for (let page = 1; ; page++) {
    const body = await source.get<PageBody<T>>(path, { ...query, page, limit });
    yield* body.data;
    const totalPages = body.meta?.totalPages;
    if (body.data.length < limit || (totalPages !== undefined && page >= totalPages)) return;
  }
}

/** Runs `fn` over `items` with at most `concurrency` calls in flight; results in input order. */
export async function mapConcurrent<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}

/** Epoch ms of an ISO time from the source, or `fallback` when it has none. */
export const epochOr = (iso: unknown, fallback: number): number => {
  const ms = typeof iso === 'string' ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? ms : fallback;
};
