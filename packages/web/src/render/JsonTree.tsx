import { useState } from 'react';
import { parseMediaRef, splitMediaRefs } from './media-refs.js';
import { MediaText } from './MediaText.js';
import { MediaView } from './MediaView.js';

const MAX_CHILDREN = 200;
const FOLD_STRING = 400;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A collapsible JSON viewer; children render only when expanded, so huge values stay cheap. */
export function JsonTree({ value, name, depth = 0 }: { value: Json; name?: string; depth?: number }) {
  const isObject = typeof value === 'object' && value !== null;
  const entries: [string, Json][] = isObject ? (Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value)) : [];
  const [open, setOpen] = useState(depth < 2 && entries.length <= 50);
  const [limit, setLimit] = useState(MAX_CHILDREN);
  const label = name !== undefined ? <span className="json-key">{name}: </span> : null;
  if (!isObject) {
    return (
      <div className="json-row" style={{ paddingLeft: depth * 14 }}>
        {label}
        <JsonScalar value={value} />
      </div>
    );
  }
  const brackets = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return (
    <div className="json-node">
      <div className="json-row" style={{ paddingLeft: depth * 14 }}>
        <button type="button" className="twisty" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? '▾' : '▸'}
        </button>
        {label}
        <span className="muted">
          {brackets[0]}
          {open ? '' : ` ${entries.length} ${Array.isArray(value) ? 'items' : 'keys'} ${brackets[1]}`}
        </span>
      </div>
      {open && (
        <>
          {entries.slice(0, limit).map(([k, v]) => (
            <JsonTree key={k} name={k} value={v} depth={depth + 1} />
          ))}
          {entries.length > limit && (
            <button type="button" className="link small" style={{ marginLeft: (depth + 1) * 14 }} onClick={() => setLimit(limit + MAX_CHILDREN)}>
              Show {Math.min(MAX_CHILDREN, entries.length - limit)} more of {entries.length - limit}
            </button>
          )}
          <div className="json-row muted" style={{ paddingLeft: depth * 14 }}>
            {brackets[1]}
          </div>
        </>
      )}
    </div>
  );
}

function JsonScalar({ value }: { value: Json }) {
  const [open, setOpen] = useState(false);
  if (typeof value !== 'string') return <span className={`json-${value === null ? 'null' : typeof value}`}>{String(value)}</span>;
  const media = parseMediaRef(value);
  if (media) return <MediaView media={media} />;
  if (splitMediaRefs(value).length > 1) return <MediaText text={value} />;
  const long = value.length > FOLD_STRING;
  return (
    <span className="json-string">
      “{long && !open ? `${value.slice(0, FOLD_STRING)}…` : value}”
      {long && (
        <button type="button" className="link small" onClick={() => setOpen(!open)}>
          {open ? 'fold' : `+${(value.length - FOLD_STRING).toLocaleString()} chars`}
        </button>
      )}
    </span>
  );
}

export type { Json };
