import { Link } from 'wouter';
import { formatTime } from '../format.js';
import { IoView } from '../render/IoView.js';
import type { QueueObjectView } from '../types.js';

function IoPair({ projectId, input, output, className }: { projectId: string; input: string | null; output: string | null; className?: string }) {
  return (
    <div className={className}>
      <IoView label="Input" value={input} projectId={projectId} />
      <IoView label="Output" value={output} projectId={projectId} />
    </div>
  );
}

/** The object under review, read-only: name, time, input and output, with a link to open it in full. */
export function ReviewObject({ projectId, object }: { projectId: string; object: QueueObjectView }) {
  const p = `/p/${projectId}`;
  switch (object.kind) {
    case 'MISSING':
      return <p className="error">This item's object no longer exists. Skip it or remove it from the queue.</p>;
    case 'TRACE': {
      const t = object.trace;
      return (
        <div className="detail" aria-label="Item under review">
          <h2>
            {t.name ?? '(unnamed trace)'} <span className="muted small">{formatTime(t.timestamp)}</span>
          </h2>
          <Link href={`${p}/traces/${encodeURIComponent(t.id)}`} className="small">
            Open trace
          </Link>
          <IoPair projectId={projectId} input={t.input} output={t.output} />
        </div>
      );
    }
    case 'OBSERVATION': {
      const o = object.observation;
      return (
        <div className="detail" aria-label="Item under review">
          <h2>
            {o.name ?? '(unnamed observation)'} <span className="chip">{o.type.toLowerCase()}</span>
          </h2>
          {o.traceId && (
            <Link href={`${p}/traces/${encodeURIComponent(o.traceId)}?observation=${encodeURIComponent(o.id)}`} className="small">
              Open in its trace
            </Link>
          )}
          <IoPair projectId={projectId} input={o.input} output={o.output} />
        </div>
      );
    }
    case 'SESSION':
      return (
        <div className="detail" aria-label="Item under review">
          <h2>Session {object.sessionId}</h2>
          <Link href={`${p}/sessions/${encodeURIComponent(object.sessionId)}`} className="small">
            Open session
          </Link>
          <ol className="conversation">
            {object.traces.map((t) => (
              <li key={t.id} className="turn">
                <div className="turn-head">
                  <strong>{t.name ?? '(unnamed trace)'}</strong> <span className="muted">{formatTime(t.timestamp)}</span>
                </div>
                <IoPair projectId={projectId} input={t.input} output={t.output} className="turn-body" />
              </li>
            ))}
          </ol>
        </div>
      );
  }
}
