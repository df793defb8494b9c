import type { TraceRecord } from '@sightline/core';
import type { Storage, TraceExportCursor, TraceFilters, TraceSearchQuery } from '@sightline/storage';

/** Traces per page: small enough that a page's observations stay a few MB, large enough that round trips do not dominate. */
export const EXPORT_PAGE_SIZE = 250;

/** The public list's filtered traces, oldest first, in keyset pages (see storage `traces.exportPage`). */
export async function* filteredTracePages(storage: Storage, projectId: string, filters: TraceFilters, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<TraceRecord[]> {
  let after: TraceExportCursor | null = null;
  for (;;) {
    const page = await storage.traces.exportPage(projectId, filters, after, pageSize);
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    const last = page[page.length - 1];
    after = { timestamp: last.timestamp, id: last.id };
  }
}

/** The UI's trace search (its filters, search text and sort) walked to the end through its keyset cursor. */
export async function* searchedTracePages(storage: Storage, projectId: string, query: TraceSearchQuery, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<TraceRecord[]> {
  let cursor = query.cursor;
  for (;;) {
    const page = await storage.traces.search(projectId, { ...query, cursor, limit: pageSize });
    if (page.rows.length > 0) yield page.rows;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

/**
 * The traces that had events in the event-log range `(afterSeq, toSeq]`, in pages. Memory stays
 * bounded, so a trace whose events are far apart in the log can appear in more than one page;
 * the ids of the last `recentLimit` traces written are remembered to skip most repeats.
 */
export async function* changedTracePages(storage: Storage, projectId: string, afterSeq: number, toSeq: number, pageSize = EXPORT_PAGE_SIZE, recentLimit = 50_000): AsyncGenerator<TraceRecord[]> {
  const recent = new Set<string>();
  let from = afterSeq;
  for (;;) {
    const change = await storage.exports.changes(projectId, from, toSeq, pageSize * 8);
    const fresh = change.traceIds.filter((id) => !recent.has(id));
    for (let i = 0; i < fresh.length; i += pageSize) {
      const traces = await storage.traces.getMany(projectId, fresh.slice(i, i + pageSize));
      if (traces.length > 0) yield traces.sort((a, b) => a.timestamp - b.timestamp || (a.id < b.id ? -1 : 1));
    }
    for (const id of fresh) {
      recent.add(id);
      if (recent.size > recentLimit) recent.delete(recent.values().next().value as string);
    }
    if (change.done) return;
    from = change.lastSeq;
  }
}
