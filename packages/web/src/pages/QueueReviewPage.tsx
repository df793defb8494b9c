import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'wouter';
import { api, ApiError } from '../api.js';
import { ReviewObject } from '../annotate/ReviewObject.js';
import { choicesOf, ScoreInputs, scoresToSave, type ScoreValues } from '../annotate/ScoreInputs.js';
import { usePromptRights } from '../prompts/use-prompt-role.js';
import { useFetch } from '../use-fetch.js';
import { useUrlState } from '../url-state.js';
import type { QueueDetailResponse, QueueItemResponse, ScoreConfig } from '../types.js';
import { FormError } from '../annotate/FormError.js';

const typing = (t: EventTarget | null): boolean => t instanceof HTMLElement && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);

/** The values a queue already gave the item, so a revisit shows (and can correct) them. */
function valuesFrom(configs: ScoreConfig[], item: QueueItemResponse): ScoreValues {
  const out: ScoreValues = {};
  for (const s of [...item.scores].reverse()) {
    const c = configs.find((x) => x.id === s.configId);
    if (c) out[c.id] = c.dataType === 'NUMERIC' ? String(s.value) : (s.stringValue ?? String(s.value));
  }
  return out;
}

/**
 * Reviews a queue one item at a time. Keys: 1-9 pick a category of the active config (↑/↓ choose
 * it), Enter saves the scores and moves on, S skips, ←/→ step through the items without saving.
 * A skipped item goes to the end of the reviewer's queue, kept by the server for later visits:
 * the other pending items come first, then the skipped ones in the order they were skipped.
 */
export function QueueReviewPage({ projectId, queueId }: { projectId: string; queueId: string }) {
  const { canWrite } = usePromptRights(projectId);
  const [params, set] = useUrlState();
  const queue = useFetch<QueueDetailResponse>(`/projects/${projectId}/queues/${queueId}`);
  const items = useMemo(() => queue.data?.items ?? [], [queue.data]);
  const configs = useMemo(() => queue.data?.configs ?? [], [queue.data]);
  const [skippedOrder, setSkippedOrder] = useState<string[] | null>(null);
  // The server's list, or the one the last skip answered with until the queue is read again.
  useEffect(() => setSkippedOrder(null), [queue.data]);
  const skippedList = useMemo(() => skippedOrder ?? queue.data?.skipped ?? [], [skippedOrder, queue.data]);
  const skipped = useMemo<ReadonlySet<string>>(() => new Set(skippedList), [skippedList]);
  const requested = params.get('item');
  const firstSkipped = (except?: string) => skippedList.find((id) => id !== except && items.some((i) => i.id === id && i.status === 'PENDING')) ?? null;
  const current =
    items.find((i) => i.id === requested) ??
    items.find((i) => i.status === 'PENDING' && !skipped.has(i.id)) ??
    items.find((i) => i.id === firstSkipped()) ??
    null;
  const index = current ? items.indexOf(current) : -1;
  const item = useFetch<QueueItemResponse>(current ? `/projects/${projectId}/queues/${queueId}/items/${current.id}` : null);
  const [values, setValues] = useState<ScoreValues>({});
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const loadedFor = useRef<string | null>(null);

  // New item: start from what this queue already recorded for it.
  useEffect(() => {
    if (!item.data || item.data.item.id !== current?.id || loadedFor.current === current.id) return;
    loadedFor.current = current.id;
    setValues(valuesFrom(configs, item.data));
    setActive(0);
    setError(null);
  }, [item.data, current, configs]);

  /** The next pending item after the current one (wrapping), other than `except`; null when none is left. */
  const nextPending = useCallback(
    (except: ReadonlySet<string>) => {
      const n = items.length;
      for (let k = 1; k <= n; k++) {
        const i = items[(index + k + n) % n];
        if (i && i.status === 'PENDING' && !except.has(i.id) && i.id !== current?.id) return i.id;
      }
      return null;
    },
    [items, index, current],
  );

  const go = useCallback((id: string | null) => set({ item: id ?? 'done' }, true), [set]);

  const skip = useCallback(async () => {
    if (!current || busy || !canWrite || current.status !== 'PENDING') return;
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ skipped: string[] }>(`/projects/${projectId}/queues/${queueId}/items/${current.id}/skip`, {});
      setSkippedOrder(r.skipped);
      // Next: a pending item not skipped, else the skipped item waiting longest (this one when it is the only one).
      go(nextPending(new Set(r.skipped)) ?? r.skipped.find((id) => id !== current.id) ?? current.id);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }, [current, busy, canWrite, projectId, queueId, nextPending, go]);

  const save = useCallback(async () => {
    if (!current || busy || !canWrite) return;
    setBusy(true);
    setError(null);
    try {
      await api.post(`/projects/${projectId}/queues/${queueId}/items/${current.id}/complete`, { scores: scoresToSave(configs, values) });
      const next = nextPending(skipped) ?? firstSkipped(current.id);
      queue.reload();
      go(next);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }, [current, busy, canWrite, projectId, queueId, configs, values, nextPending, skipped, skippedList, items, queue, go]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      // Enter on a button or link is that control's own action, in a text area a new line.
      if (e.key === 'Enter' && !(e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLButtonElement || e.target instanceof HTMLAnchorElement)) {
        e.preventDefault();
        void save();
        return;
      }
      if (typing(e.target)) return;
      const config = configs[active];
      if (/^[1-9]$/.test(e.key) && config) {
        const choice = choicesOf(config)[Number(e.key) - 1];
        if (!choice) return;
        setValues((v) => ({ ...v, [config.id]: choice.label }));
        setActive((a) => Math.min(a + 1, configs.length - 1));
      } else if (e.key === 's' || e.key === 'S') void skip();
      else if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, configs.length - 1));
      else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
      else if (e.key === 'ArrowRight' && index >= 0 && index < items.length - 1) go(items[index + 1].id);
      else if (e.key === 'ArrowLeft' && index > 0) go(items[index - 1].id);
      else return;
      e.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [configs, active, save, skip, go, index, items]);

  if (queue.error) return <p className="error">{queue.error}</p>;
  const q = queue.data?.queue;
  const total = queue.data?.totalItems ?? 0;
  return (
    <section className="page review-page">
      <header className="page-head">
        <div>
          <Link href={`/p/${projectId}/queues`} className="muted small">
            ← Queues
          </Link>
          <h1>{q?.name ?? 'Queue'}</h1>
        </div>
        {q && (
          <div className="review-progress" aria-label="Progress">
            {current ? (
              <strong>
                Item {index + 1} of {total}
              </strong>
            ) : null}{' '}
            <span className="muted">
              {q.completed} completed · {q.pending} pending{skipped.size > 0 ? ` · ${skipped.size} skipped by you, at the end of your queue` : ''}
            </span>
            <progress max={Math.max(1, total)} value={q.completed} />
          </div>
        )}
      </header>
      {queue.data && !current && (
        <div className="card review-done">
          <h2>{q && q.pending === 0 ? 'All items are reviewed.' : 'No pending items among the first 1,000 of this queue.'}</h2>
        </div>
      )}
      {current && (
        <div className="split">
          <div className="split-left review-object">
            {item.error && <p className="error">{item.error}</p>}
            {item.data && item.data.item.id === current.id ? <ReviewObject projectId={projectId} object={item.data.object} /> : <p className="muted">Loading…</p>}
          </div>
          <div className="split-right review-scores">
            {current.status === 'COMPLETED' && <p className="chip">completed — saving again adds new scores</p>}
            {skipped.has(current.id) && <p className="chip" title="You skipped this item; it waited at the end of your queue">skipped earlier</p>}
            <ScoreInputs configs={configs} values={values} active={active} onActive={setActive} onChange={(id, v) => setValues((s) => ({ ...s, [id]: v }))} />
            <FormError error={error} />
            <div className="review-actions">
              <button type="button" className="primary" disabled={busy || !canWrite} onClick={() => void save()}>
                Save &amp; next <kbd>Enter</kbd>
              </button>
              <button type="button" disabled={busy || !canWrite || current.status !== 'PENDING'} onClick={() => void skip()}>
                Skip <kbd>S</kbd>
              </button>
            </div>
            <p className="muted small">
              Keys: <kbd>1</kbd>–<kbd>9</kbd> pick a category · <kbd>↑</kbd>/<kbd>↓</kbd> choose the score · <kbd>←</kbd>/<kbd>→</kbd> previous/next item
            </p>
            {!canWrite && <p className="muted small">Viewers can read the queue; scoring needs the member role.</p>}
          </div>
        </div>
      )}
    </section>
  );
}
