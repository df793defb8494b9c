import { useEffect, useMemo, useRef, useState } from 'react';
import { query } from '../api.js';
import { ExportButton } from '../components/ExportButton.js';
import { TraceFilters } from '../components/TraceFilters.js';
import { TraceTable } from '../components/TraceTable.js';
import { useFetch } from '../use-fetch.js';
import { useUrlState } from '../url-state.js';
import type { TraceListResponse } from '../types.js';

export const RANGES: Record<string, number | null> = { '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3, all: null };
const list = (v: string | null) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);

/** Traces of a project: filters, search, sort and keyset pages, all held in the URL; live mode over server-sent events. */
export function TracesPage({ projectId }: { projectId: string }) {
  const [params, set] = useUrlState();
  const live = params.get('live') === '1';
  const [now, setNow] = useState(() => Date.now());
  const range = params.get('range') ?? '7d';
  const cursor = params.get('cursor');

  // The list's filters without paging: the export reads the same selection to its end.
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
      sort: params.get('sort'),
    };
  }, [params, range, now]);
  const path = `/projects/${projectId}/traces${query({ ...filters, cursor: live ? undefined : cursor, limit: 50 })}`;
  const { data, error, loading } = useFetch<TraceListResponse>(path);

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
          <ExportButton projectId={projectId} query={query(filters)} />
        </div>
      </header>
      <TraceFilters projectId={projectId} params={params} set={(c) => set({ ...c, cursor: null })} />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <TraceTable
        projectId={projectId}
        rows={data?.data ?? []}
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
