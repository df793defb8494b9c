import { lazy, Suspense, useState } from 'react';

const Markdown = lazy(() => import('./Markdown.js'));

const FOLD_CHARS = 2000;
const FOLD_LINES = 30;
// Headings, list items, fences, bold, links, quotes, and a table's delimiter row (`| --- | :-: |`).
const MARKDOWN_HINT = /(^#{1,6}\s)|(^\s*([-*+]|\d+\.)\s+\S)|(```)|(\*\*[^*]+\*\*)|(\[[^\]]+\]\([^)]+\))|(^\s*>\s)|(^ {0,3}\|?[ \t]*:?-+:?[ \t]*\|[ \t|:-]*$)/m;

/** Everything a user sent, shown as text: long text folded, markdown rendered (never raw HTML) with a raw toggle. */
export function TextBlock({ text }: { text: string }) {
  const lines = text.split('\n', FOLD_LINES + 1).length;
  const long = text.length > FOLD_CHARS || lines > FOLD_LINES;
  const [open, setOpen] = useState(false);
  const looksMarkdown = MARKDOWN_HINT.test(text.slice(0, 20_000));
  const [raw, setRaw] = useState(!looksMarkdown);
  const shown = long && !open ? text.slice(0, FOLD_CHARS).split('\n').slice(0, FOLD_LINES).join('\n') : text;
  return (
    <div className="text-block">
      {looksMarkdown && (
        <button type="button" className="link small" onClick={() => setRaw(!raw)}>
          {raw ? 'Render markdown' : 'Show raw'}
        </button>
      )}
      {raw ? (
        <pre className="text">{shown}</pre>
      ) : (
        <Suspense fallback={<pre className="text">{shown}</pre>}>
          <div className="markdown">
            <Markdown text={shown} />
          </div>
        </Suspense>
      )}
      {long && (
        <button type="button" className="link small" onClick={() => setOpen(!open)}>
          {open ? 'Fold' : `Show all (${text.length.toLocaleString()} characters)`}
        </button>
      )}
    </div>
  );
}
