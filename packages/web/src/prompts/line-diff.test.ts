import { describe, expect, it } from 'vitest';
import { diffLines, sideBySide } from './line-diff.js';

const kinds = (a: string[], b: string[]) => diffLines(a, b).map((r) => (r.kind === 'same' ? ` ${r.left}` : r.kind === 'removed' ? `-${r.left}` : `+${r.right}`));

describe('line diff (LCS)', () => {
  it('marks nothing when both sides are equal, and everything when one side is empty', () => {
    expect(kinds(['a', 'b'], ['a', 'b'])).toEqual([' a', ' b']);
    expect(kinds([], ['a', 'b'])).toEqual(['+a', '+b']);
    expect(kinds(['a', 'b'], [])).toEqual(['-a', '-b']);
    expect(kinds([], [])).toEqual([]);
  });

  it('keeps the longest common subsequence and marks only the changed lines', () => {
    expect(kinds(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e'])).toEqual([' a', '-b', '+x', ' c', ' d', '+e']);
    // The LCS is a, b, d (3 lines), not the head `a` alone.
    expect(kinds(['a', 'b', 'c', 'd'], ['a', 'c2', 'b', 'd'])).toEqual([' a', '+c2', ' b', '-c', ' d']);
    expect(kinds(['x', 'a', 'b'], ['a', 'b', 'y'])).toEqual(['-x', ' a', ' b', '+y']);
  });

  it('numbers lines of each side from 1', () => {
    const rows = diffLines(['keep', 'old'], ['new', 'keep']);
    expect(rows).toEqual([
      { kind: 'added', right: 'new', rightNo: 1 },
      { kind: 'same', left: 'keep', right: 'keep', leftNo: 1, rightNo: 2 },
      { kind: 'removed', left: 'old', leftNo: 2 },
    ]);
  });

  it('pairs removed and added runs side by side', () => {
    const rows = sideBySide(diffLines(['a', 'b', 'c', 'z'], ['a', 'B', 'z']));
    expect(rows).toEqual([
      { left: { no: 1, text: 'a', changed: false }, right: { no: 1, text: 'a', changed: false } },
      { left: { no: 2, text: 'b', changed: true }, right: { no: 2, text: 'B', changed: true } },
      { left: { no: 3, text: 'c', changed: true }, right: null },
      { left: { no: 4, text: 'z', changed: false }, right: { no: 3, text: 'z', changed: false } },
    ]);
  });

  it('finds the minimal diff of large inputs, and beyond its table bound still gives both sides in order', () => {
    const make = (n: number, change: (i: number) => boolean) => Array.from({ length: n }, (_, i) => (change(i) ? `changed ${i}` : `line ${i}`));
    const rows = diffLines(make(1500, () => false), make(1500, (i) => i % 2 === 1));
    expect(rows.filter((r) => r.kind === 'removed')).toHaveLength(750);
    expect(rows.filter((r) => r.kind === 'added')).toHaveLength(750);
    const a = make(5000, () => false);
    const b = make(5000, (i) => i % 2 === 1);
    const big = diffLines(a, b);
    expect(big.flatMap((r) => (r.kind === 'added' ? [] : [r.left]))).toEqual(a);
    expect(big.flatMap((r) => (r.kind === 'removed' ? [] : [r.right]))).toEqual(b);
    expect(big[0]).toMatchObject({ kind: 'same', left: 'line 0' });
  });
});
