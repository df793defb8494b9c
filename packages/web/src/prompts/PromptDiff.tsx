import type { PromptVersionView } from '../types.js';
import { diffLines, sideBySide } from './line-diff.js';
import { configLines, promptLines } from './prompt-text.js';

/** Two versions side by side, prompt and config, removed lines on the left and added lines on the right highlighted. */
export function PromptDiff({ versions, from, to, onChange }: { versions: PromptVersionView[]; from: number; to: number; onChange(from: number, to: number): void }) {
  const a = versions.find((v) => v.version === from);
  const b = versions.find((v) => v.version === to);
  const choose = (label: string, value: number, set: (n: number) => void) => (
    <label>
      {label}{' '}
      <select aria-label={`${label} version`} value={value} onChange={(e) => set(Number(e.target.value))}>
        {versions.map((v) => (
          <option key={v.version} value={v.version}>
            v{v.version}
            {v.labels.length > 0 ? ` (${v.labels.join(', ')})` : ''}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="prompt-diff">
      <div className="inline-form">
        {choose('Compare', from, (n) => onChange(n, to))}
        {choose('with', to, (n) => onChange(from, n))}
      </div>
      {a && b ? (
        <>
          <DiffTable title="Prompt" left={promptLines(a)} right={promptLines(b)} from={from} to={to} />
          <DiffTable title="Config" left={configLines(a.config)} right={configLines(b.config)} from={from} to={to} />
        </>
      ) : (
        <p className="muted">Choose two versions.</p>
      )}
    </div>
  );
}

function DiffTable({ title, left, right, from, to }: { title: string; left: string[]; right: string[]; from: number; to: number }) {
  const rows = sideBySide(diffLines(left, right));
  const unchanged = rows.every((r) => !r.left?.changed && !r.right?.changed);
  return (
    <section>
      <h3>
        {title}
        {unchanged && <span className="muted small"> — no changes</span>}
      </h3>
      <table className="diff" aria-label={`${title} diff`}>
        <colgroup>
          <col className="line-no-col" />
          <col />
          <col className="line-no-col" />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th colSpan={2}>v{from}</th>
            <th colSpan={2}>v{to}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td className="line-no">{r.left?.no ?? ''}</td>
              <td className={r.left?.changed ? 'removed' : r.left ? '' : 'blank'}>{r.left?.text ?? ''}</td>
              <td className="line-no">{r.right?.no ?? ''}</td>
              <td className={r.right?.changed ? 'added' : r.right ? '' : 'blank'}>{r.right?.text ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
