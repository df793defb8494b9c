import type { CompactTree } from '../types.js';

/** The compact tree with child lists (CSR arrays) and depths: built once per trace, O(n). */
export interface TreeModel {
  tree: CompactTree;
  n: number;
  /** Children of node i are childList[childStart[i] .. childStart[i + 1]), in start order. */
  childStart: Int32Array;
  childList: Int32Array;
  depth: Int32Array;
  /** Top-level nodes in start order (roots, plus nodes whose parent chain loops). */
  roots: number[];
  /** Milliseconds from the first start to the last end (at least 1). */
  span: number;
  indexOf(id: string): number;
}

export function buildTreeModel(tree: CompactTree): TreeModel {
  const n = tree.count;
  const counts = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) if (tree.parent[i] >= 0) counts[tree.parent[i]]++;
  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) childStart[i + 1] = childStart[i] + counts[i];
  const fill = childStart.slice(0, n);
  const childList = new Int32Array(childStart[n]);
  for (let i = 0; i < n; i++) {
    const p = tree.parent[i];
    if (p >= 0) childList[fill[p]++] = i;
  }
  // Depth-first from the roots; anything left unvisited sits on a parent cycle and becomes a root.
  const depth = new Int32Array(n).fill(-1);
  const roots: number[] = [];
  const stack: number[] = [];
  const visit = (root: number) => {
    roots.push(root);
    depth[root] = 0;
    stack.push(root);
    while (stack.length) {
      const v = stack.pop()!;
      for (let k = childStart[v]; k < childStart[v + 1]; k++) {
        const c = childList[k];
        if (depth[c] !== -1) continue;
        depth[c] = depth[v] + 1;
        stack.push(c);
      }
    }
  };
  for (let i = 0; i < n; i++) if (tree.parent[i] < 0) visit(i);
  for (let i = 0; i < n; i++) if (depth[i] === -1) visit(i);
  roots.sort((a, b) => a - b);
  let span = 1;
  for (let i = 0; i < n; i++) span = Math.max(span, tree.end[i] >= 0 ? tree.end[i] : tree.start[i]);
  let index: Map<string, number> | null = null;
  return {
    tree, n, childStart, childList, depth, roots, span,
    indexOf(id) {
      index ??= new Map(tree.id.map((x, i) => [x, i]));
      return index.get(id) ?? -1;
    },
  };
}

export const hasChildren = (m: TreeModel, i: number): boolean => m.childStart[i + 1] > m.childStart[i];

/** Rows in display order (pre-order, children by start time), skipping the subtrees of collapsed nodes. */
export function visibleRows(m: TreeModel, collapsed: ReadonlySet<number>): Int32Array {
  const out = new Int32Array(m.n);
  let len = 0;
  const seen = new Uint8Array(m.n);
  const stack: number[] = [];
  for (let r = m.roots.length - 1; r >= 0; r--) stack.push(m.roots[r]);
  while (stack.length) {
    const v = stack.pop()!;
    if (seen[v]) continue;
    seen[v] = 1;
    out[len++] = v;
    if (collapsed.has(v)) continue;
    for (let k = m.childStart[v + 1] - 1; k >= m.childStart[v]; k--) {
      const c = m.childList[k];
      if (!seen[c] && m.depth[c] === m.depth[v] + 1) stack.push(c);
    }
  }
  return out.subarray(0, len);
}

/** The path of ancestors of `i` (nearest first), to expand them when `i` is selected from elsewhere. */
export function ancestors(m: TreeModel, i: number): number[] {
  const out: number[] = [];
  for (let p = m.tree.parent[i]; p >= 0 && out.length < m.n && m.depth[p] < m.depth[i]; p = m.tree.parent[p]) out.push(p);
  return out;
}
