/** One row of a side-by-side diff: a line on both sides, only on the left (removed) or only on the right (added). */
export type DiffRow =
  | { kind: 'same'; left: string; right: string; leftNo: number; rightNo: number }
  | { kind: 'removed'; left: string; leftNo: number }
  | { kind: 'added'; right: string; rightNo: number };

/**
 * Above this many cells the LCS table (lines × lines) would be too large for a browser tab; the
 * lines between the common head and tail are then shown as all removed and all added.
 */
const MAX_CELLS = 4_000_000;

/**
 * A line diff of `a` (old) and `b` (new) from their longest common subsequence: common head and
 * tail lines are matched first, the rest by the classic dynamic-programming table.
 */
export function diffLines(a: string[], b: string[]): DiffRow[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const rows: DiffRow[] = [];
  const same = (i: number, j: number) => rows.push({ kind: 'same', left: a[i], right: b[j], leftNo: i + 1, rightNo: j + 1 });
  for (let i = 0; i < head; i++) same(i, i);
  middle(a, b, head, a.length - tail, b.length - tail, rows);
  for (let k = tail; k > 0; k--) same(a.length - k, b.length - k);
  return rows;
}

/** Diffs a[from, aEnd) against b[from, bEnd), appending rows. */
function middle(a: string[], b: string[], from: number, aEnd: number, bEnd: number, rows: DiffRow[]): void {
  const n = aEnd - from;
  const m = bEnd - from;
  const removed = (i: number) => rows.push({ kind: 'removed', left: a[i], leftNo: i + 1 });
  const added = (j: number) => rows.push({ kind: 'added', right: b[j], rightNo: j + 1 });
  if (n * m > MAX_CELLS || n === 0 || m === 0) {
    for (let i = from; i < aEnd; i++) removed(i);
    for (let j = from; j < bEnd; j++) added(j);
    return;
  }
  // lcs[i][j]: length of the LCS of a[from+i..] and b[from+j..], flattened row by row.
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = a[from + i] === b[from + j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[from + i] === b[from + j]) {
      rows.push({ kind: 'same', left: a[from + i], right: b[from + j], leftNo: from + i + 1, rightNo: from + j + 1 });
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
      removed(from + i++);
    } else {
      added(from + j++);
    }
  }
  while (i < n) removed(from + i++);
  while (j < m) added(from + j++);
}

/** A side-by-side layout: removed and added runs paired on one row where they face each other. */
export interface SideBySideRow {
  left: { no: number; text: string; changed: boolean } | null;
  right: { no: number; text: string; changed: boolean } | null;
}

export function sideBySide(rows: DiffRow[]): SideBySideRow[] {
  const out: SideBySideRow[] = [];
  let k = 0;
  while (k < rows.length) {
    const r = rows[k];
    if (r.kind === 'same') {
      out.push({ left: { no: r.leftNo, text: r.left, changed: false }, right: { no: r.rightNo, text: r.right, changed: false } });
      k++;
      continue;
    }
    const removed: { no: number; text: string; changed: boolean }[] = [];
    const added: { no: number; text: string; changed: boolean }[] = [];
    for (; k < rows.length && rows[k].kind !== 'same'; k++) {
      const c = rows[k];
      if (c.kind === 'removed') removed.push({ no: c.leftNo, text: c.left, changed: true });
      else if (c.kind === 'added') added.push({ no: c.rightNo, text: c.right, changed: true });
    }
    for (let x = 0; x < Math.max(removed.length, added.length); x++) out.push({ left: removed[x] ?? null, right: added[x] ?? null });
  }
  return out;
}
