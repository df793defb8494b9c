import { useEffect, useMemo, useRef, useState } from 'react';
import { api, query } from '../api.js';
import { AddToQueue, addObjects } from '../annotate/AddToQueue.js';
import { useCommentCounts } from '../annotate/comment-counts.js';
import { usePromptRights } from '../prompts/use-prompt-role.js';
import { ExportButton } from '../components/ExportButton.js';
import { TraceFilters } from '../components/TraceFilters.js';
import { TraceTable } from '../components/TraceTable.js';
import { useFetch } from '../use-fetch.js';
import { useUrlState } from '../url-state.js';
import type { QueueAddResponse, TraceCountResponse, TraceListResponse } from '../types.js';

export const RANGES: Record<string, number | null> = { '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3, all: null };
const list = (v: string | null) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);

/** Traces of a project: filters, search, sort and keyset pages, all held in the URL; live mode over server-sent events. */
export function TracesPage({ projectId }: { projectId: string }) {
  const [params, set] = useUrlState();
  const live = params.get('live') === '1';
  const [now, setNow] = useState(() => Date.now());
  const range = params.get('range') ?? '7d';
  const cursor = params.get('cursor');

  // The filters alone (what the count needs), then the page's sort and cursor on top.
  const filters = useMemo(() => {
    const span = RANGES[range] ?? RANGES['7d'];
    const custom = range === 'custom';
    return {
      from: custom ? params.get('from') : span === null ? undefined : now - span,
      to: custom ? params.get('to') : undefined,
      name: params.get('name'),
      userId: params.get('user'),
      sessionId: params.get('session'),
      tags: list(params.get('tags')),
      environment: list(params.get('env')),
      level: params.get('level'),
      metadata: params.getAll('meta'),
      q: params.get('q'),
    };
  }, [params, range, now]);
  const path = `/projects/${projectId}/traces${query({ ...filters, sort: params.get('sort'), cursor: live ? undefined : cursor, limit: 50 })}`;
  const count = useFetch<TraceCountResponse>(`/projects/${projectId}/trace-count${query(filters)}`);
  const { data, error, loading } = useFetch<TraceListResponse>(path);
  const comments = useCommentCounts(projectId, 'TRACE', data?.data.map((t) => t.id) ?? []);
  const { canWrite } = usePromptRights(projectId);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const select = (ids: string[], on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  // "All matching": the list's own filters (not its page position) sent to the queue, which caps the count.
  const matching = useMemo(() => {
    const q = new URLSearchParams(path.slice(path.indexOf('?') + 1));
    q.delete('cursor');
    q.delete('limit');
    return q.toString();
  }, [path]);

  const connected = useLiveTraces(projectId, live, () => setNow(Date.now()));

  return (
    <section className="page">
      <header className="page-head">
        <h1>Traces</h1>
        <div className="head-actions">
          <label className={`live-toggle${live ? ' on' : ''}`} data-live={live ? (connected ? 'connected' : 'connecting') : 'off'}>
            <input type="checkbox" checked={live} onChange={(e) => set({ live: e.target.checked ? '1' : null, cursor: null })} />
            Live{live && <span aria-hidden="true">{connected ? ' ●' : ' ○'}</span>}
          </label>
          <button type="button" onClick={() => setNow(Date.now())}>
            Refresh
          </button>
          <ExportButton projectId={projectId} query={query({ ...filters, sort: params.get('sort') })} />
        </div>
      </header>
      <TraceFilters projectId={projectId} params={params} set={(c) => set({ ...c, cursor: null })} />
      {error && (
        <p className="error" role="alert">
          Could not load traces: {error}
        </p>
      )}
      {canWrite && (
        <div className="bulk-bar" aria-label="Bulk actions">
          <span className="muted small">{selected.size > 0 ? `${selected.size} selected` : 'Select rows, or take all matching traces:'}</span>
          <AddToQueue
            projectId={projectId}
            actions={[
              addObjects('TRACE', [...selected], `Add ${selected.size} selected to queue`),
              { label: 'Add all matching (up to 1,000)', add: (itemsPath) => api.post<QueueAddResponse>(`${itemsPath}/from-traces${matching ? `?${matching}` : ''}`) },
            ]}
          />
          {selected.size > 0 && (
            <button type="button" className="link" onClick={() => setSelected(new Set())}>
              Clear selection
            </button>
          )}
        </div>
      )}
      {!error && <TraceCount count={count.data} loading={count.loading} />}
      <TraceTable
        selected={selected}
        onSelect={canWrite ? select : undefined}
        commentCounts={comments}
        projectId={projectId}
        rows={error ? [] : (data?.data ?? [])}
        failed={error !== null}
        loading={loading && !data}
        sort={params.get('sort') ?? 'timestamp.desc'}
        onSort={(sort) => set({ sort, cursor: null })}
      />
      <div className="pager">
        <button type="button" disabled={!cursor} onClick={() => set({ cursor: null })}>
          First page
        </button>
        <button type="button" disabled={!data?.nextCursor || live} onClick={() => set({ cursor: data?.nextCursor })}>
          Next page →
        </button>
      </div>
    </section>
  );
}

/** Calls `onChange` (at most every 250 ms) while live mode is on and the server reports changed traces; true while connected. */
function useLiveTraces(projectId: string, live: boolean, onChange: () => void): boolean {
  const callback = useRef(onChange);
  callback.current = onChange;
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (!live) return;
    const source = new EventSource(`/api/ui/projects/${projectId}/live`);
    let timer: number | null = null;
    source.addEventListener('traces', () => {
      if (timer !== null) return;
      timer = window.setTimeout(() => {
        timer = null;
        callback.current();
      }, 250);
    });
    // Reconnects (EventSource retries by itself) can miss events: refresh on each (re)open.
    source.addEventListener('ready', () => {
      setConnected(true);
      callback.current();
    });
    source.addEventListener('error', () => setConnected(false));
    return () => {
      source.close();
      setConnected(false);
      if (timer !== null) window.clearTimeout(timer);
    };
  }, [projectId, live]);
  return connected;
}

/** "1,234 traces", or "≈ 12,300 traces" when the server estimated it. */
function TraceCount({ count, loading }: { count: TraceCountResponse | null; loading: boolean }) {
  if (!count) return <p className="muted trace-count">{loading ? 'Counting…' : ''}</p>;
  const n = count.count.toLocaleString('en-US');
  return (
    <p className="muted trace-count" data-estimated={count.estimated ? '1' : '0'} title={count.estimated ? 'Estimated from the newest 10,000 matches' : undefined}>
      {count.estimated ? `≈ ${n}` : n} {count.count === 1 ? 'trace' : 'traces'}
    </p>
  );
}
