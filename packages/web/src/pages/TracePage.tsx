import { useEffect, useMemo, useState } from 'react';
import { Link } from 'wouter';
import { ScoreForm } from '../components/ScoreForm.js';
import { ScoreList } from '../components/ScoreList.js';
import { AddToDataset } from '../datasets/AddToDataset.js';
import { AddToQueue, addObjects } from '../annotate/AddToQueue.js';
import { CommentThread } from '../annotate/CommentThread.js';
import { formatCost, formatDuration, formatTime, formatTokens } from '../format.js';
import { IoView } from '../render/IoView.js';
import { JsonTree } from '../render/JsonTree.js';
import { useSession } from '../session.js';
import { ObservationDetail } from '../trace/ObservationDetail.js';
import { ObservationList } from '../trace/ObservationList.js';
import { ancestors, buildTreeModel } from '../trace/tree-model.js';
import { useFetch } from '../use-fetch.js';
import { useUrlState } from '../url-state.js';
import type { CompactTree, TraceDetailResponse } from '../types.js';

/** One trace: its tree or timeline on the left, the selected observation (or the trace) on the right. */
export function TracePage({ projectId, traceId }: { projectId: string; traceId: string }) {
  const [params, set] = useUrlState();
  const { session } = useSession();
  const role = session?.projects.find((p) => p.id === projectId)?.role;
  const canScore = role === 'owner' || role === 'admin' || role === 'member';
  const base = `/projects/${projectId}/traces/${encodeURIComponent(traceId)}`;
  const trace = useFetch<TraceDetailResponse>(base);
  const treeData = useFetch<CompactTree>(`${base}/tree`);
  const model = useMemo(() => (treeData.data ? buildTreeModel(treeData.data) : null), [treeData.data]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const mode = params.get('view') === 'timeline' ? 'timeline' : 'tree';
  const selectedId = params.get('observation');
  const selected = model && selectedId ? model.indexOf(selectedId) : -1;

  // An observation selected by URL must be visible: open its collapsed ancestors.
  useEffect(() => {
    if (!model || selected < 0) return;
    const closed = ancestors(model, selected).filter((a) => collapsed.has(a));
    if (closed.length > 0) setCollapsed((c) => new Set([...c].filter((x) => !closed.includes(x))));
  }, [model, selected, collapsed]);

  const toggle = (i: number) =>
    setCollapsed((c) => {
      const next = new Set(c);
      if (next.has(i)) next.delete(i);
      else next.add(i);
      return next;
    });

  if (trace.error) return <p className="error">{trace.error}</p>;
  const t = trace.data?.trace;
  const totals = trace.data?.totals ?? null;

  return (
    <section className="page trace-page">
      <header className="page-head">
        <div>
          <Link href={`/p/${projectId}/traces`} className="muted small">
            ← Traces
          </Link>
          <h1>{t ? (t.name ?? '(unnamed trace)') : 'Trace'}</h1>
          <code className="muted">{traceId}</code>
          {t && canScore && (
            <div>
              <AddToQueue projectId={projectId} actions={[addObjects('TRACE', [t.id])]} />
            </div>
          )}
        </div>
        {t && (
          <dl className="fields inline">
            <div>
              <dt>Time</dt>
              <dd>{formatTime(t.timestamp)}</dd>
            </div>
            {t.userId && (
              <div>
                <dt>User</dt>
                <dd>
                  <Link href={`/p/${projectId}/users/${encodeURIComponent(t.userId)}`}>{t.userId}</Link>
                </dd>
              </div>
            )}
            {t.sessionId && (
              <div>
                <dt>Session</dt>
                <dd>
                  <Link href={`/p/${projectId}/sessions/${encodeURIComponent(t.sessionId)}`}>{t.sessionId}</Link>
                </dd>
              </div>
            )}
            {totals && (
              <>
                <div>
                  <dt>Latency</dt>
                  <dd>{formatDuration(totals.latencyMs)}</dd>
                </div>
                <div>
                  <dt>Observations</dt>
                  <dd>{totals.observationCount.toLocaleString()}</dd>
                </div>
                <div>
                  <dt>Tokens</dt>
                  <dd>{formatTokens(totals.totalTokens)}</dd>
                </div>
                <div>
                  <dt>Cost</dt>
                  <dd>{formatCost(totals.totalCost)}</dd>
                </div>
              </>
            )}
            <div>
              <dt>Env</dt>
              <dd>{t.environment}</dd>
            </div>
            {t.release && (
              <div>
                <dt>Release</dt>
                <dd>{t.release}</dd>
              </div>
            )}
            {t.version && (
              <div>
                <dt>Version</dt>
                <dd>{t.version}</dd>
              </div>
            )}
          </dl>
        )}
      </header>
      {t && t.tags.length > 0 && (
        <div className="chips">
          {t.tags.map((tag) => (
            <span key={tag} className="chip tag">
              {tag}
            </span>
          ))}
        </div>
      )}
      <div className="split">
        <div className="split-left">
          <div className="tabs" role="tablist">
            <button type="button" role="tab" aria-selected={mode === 'tree'} onClick={() => set({ view: null }, true)}>
              Tree
            </button>
            <button type="button" role="tab" aria-selected={mode === 'timeline'} onClick={() => set({ view: 'timeline' }, true)}>
              Timeline
            </button>
            <button type="button" className={`trace-root${selected < 0 ? ' selected' : ''}`} onClick={() => set({ observation: null }, true)}>
              Trace
            </button>
          </div>
          {treeData.error && <p className="error">{treeData.error}</p>}
          {!model && !treeData.error && <p className="muted">Loading observations…</p>}
          {model && model.n === 0 && <p className="muted">This trace has no observations.</p>}
          {model && model.n > 0 && (
            <ObservationList
              model={model}
              mode={mode}
              collapsed={collapsed}
              onToggle={toggle}
              selected={selected}
              onSelect={(i) => set({ observation: model.tree.id[i] }, true)}
            />
          )}
        </div>
        <div className="split-right">
          {selectedId && selected >= 0 ? (
            <ObservationDetail key={selectedId} projectId={projectId} observationId={selectedId} canScore={canScore} />
          ) : t ? (
            <div className="detail" aria-label="Trace detail">
              <IoView label="Input" value={t.input} projectId={projectId} />
              <IoView label="Output" value={t.output} projectId={projectId} />
              <AddToDataset projectId={projectId} traceId={t.id} input={t.input} output={t.output} />
              {Object.keys(t.metadata).length > 0 && (
                <section>
                  <h3>Metadata</h3>
                  <JsonTree value={t.metadata} />
                </section>
              )}
              <section>
                <h3>Scores</h3>
                <ScoreList scores={trace.data?.scores ?? []} />
                {canScore && <ScoreForm projectId={projectId} traceId={t.id} onAdded={trace.reload} />}
              </section>
              <CommentThread projectId={projectId} objectType="TRACE" objectId={t.id} />
            </div>
          ) : (
            <p className="muted">Loading…</p>
          )}
        </div>
      </div>
    </section>
  );
}

