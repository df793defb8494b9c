import { Fragment } from 'react';
import { splitVariables } from './prompt-text.js';

/** Prompt text with `{{variables}}` and prompt references marked; everything else is plain (escaped) text. */
export function Highlighted({ text }: { text: string }) {
  return (
    <>
      {splitVariables(text).map((p, i) =>
        p.kind === 'text' ? (
          <Fragment key={i}>{p.text}</Fragment>
        ) : (
          <mark key={i} className={`prompt-${p.kind}`} title={p.kind === 'variable' ? 'Variable: filled in by compile()' : 'Reference to another prompt, resolved when served'}>
            {p.text}
          </mark>
        ),
      )}
    </>
  );
}
